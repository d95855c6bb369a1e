"""The vector cache: unchanged text is not embedded twice, and the demo corpus's shipped vectors
are current and equal to what the live model computes."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np

from knowledge.docs.embedders import Embedder
from knowledge.docs.factory import SEED_DOCS, SEED_EXCLUDE, SEED_VECTORS
from knowledge.docs.kb import KnowledgeBase
from knowledge.docs.store import make_client
from knowledge.docs.vector_cache import VectorCache


class Counting:
    """The real embedder, counting the passages it is asked to embed."""

    def __init__(self, inner: Embedder) -> None:
        self.inner = inner
        self.spec, self.name, self.fingerprint = inner.spec, inner.name, inner.fingerprint
        self.passages = 0

    @property
    def dim(self) -> int:
        return self.inner.dim

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        self.passages += len(texts)
        return self.inner.embed_passages(texts)

    def embed_query(self, text: str) -> np.ndarray:
        return self.inner.embed_query(text)


def test_a_second_collection_reuses_cached_vectors(
    embedder: Embedder, docs_dir: Path, tmp_path: Path
) -> None:
    counting = Counting(embedder)
    cache_file = tmp_path / "cache" / "vectors.npz"
    first = KnowledgeBase(make_client(tmp_path / "a"), counting, vector_cache=VectorCache(cache_file))
    report = first.ingest([docs_dir])
    assert counting.passages == report.chunks_embedded > 0 and cache_file.is_file()

    counting.passages = 0
    second = KnowledgeBase(make_client(tmp_path / "b"), counting, vector_cache=VectorCache(cache_file))
    again = second.ingest([docs_dir])
    assert again.chunks_embedded == report.chunks_embedded and counting.passages == 0
    assert second.search("瑞畅 晚期管腔丢失", "rep", k=1)[0].doc_id == "T-EVD-DCB"

    (docs_dir / "vbp-zj.md").write_text((docs_dir / "vbp-zj.md").read_text().replace("5,900", "5,950"))
    second.ingest([docs_dir])
    assert counting.passages == 1  # only the changed chunk


def test_shipped_demo_vectors_are_current_and_real(embedder: Embedder, tmp_path: Path) -> None:
    shipped = SEED_VECTORS / f"{embedder.fingerprint}.npz"
    assert shipped.is_file(), "run: python -m knowledge.docs.vector_cache"
    cache = VectorCache(None, sources=[shipped])
    counting = Counting(embedder)
    kb = KnowledgeBase(make_client(tmp_path / "chroma"), counting, data_dir=tmp_path, vector_cache=cache)
    report = kb.ingest([SEED_DOCS], exclude_names=SEED_EXCLUDE)
    assert report.ok
    # every demo chunk is covered: a stale file would make `copilot seed` embed again
    assert counting.passages == 0, "demo documents changed: run python -m knowledge.docs.vector_cache"
    got = kb.collection.get(include=["documents", "metadatas", "embeddings"], limit=3)
    heads = [
        f"{m['title']}\n{m['section']}\n{d}" if m["section"] else f"{m['title']}\n{d}"
        for d, m in zip(got["documents"], got["metadatas"], strict=True)
    ]  # type: ignore[arg-type]
    live = embedder.embed_passages(heads)
    stored = np.asarray(got["embeddings"], dtype=np.float32)
    assert np.allclose((live * stored).sum(axis=1), 1.0, atol=1e-4)
