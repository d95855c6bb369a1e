"""Build a KnowledgeBase from plain values (the runtime passes what it read from settings)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from knowledge.docs.kb import KnowledgeBase, Mode

SEED_DOCS = Path(__file__).resolve().parent.parent / "seed" / "docs"
SEED_EXCLUDE = ("README.md",)
SEED_VECTORS = SEED_DOCS / ".vectors"  # shipped embeddings of the demo chunks, see vector_cache.py


def open_knowledge_base(
    embedder: str,
    chroma_path: Path | None = None,
    chroma_url: str | None = None,
    data_dir: Path | None = None,
    session_factory: Any | None = None,
    mode: Mode = "hybrid",
) -> KnowledgeBase:
    """A Chroma server when `chroma_url` is set, else a persistent directory at `chroma_path`."""
    from knowledge.docs.embedders import load_embedder
    from knowledge.docs.store import make_client
    from knowledge.docs.vector_cache import VectorCache

    client = make_client(path=chroma_path, url=chroma_url)
    model = load_embedder(embedder)
    cache_file = data_dir / "cache" / f"vectors-{model.fingerprint}.npz" if data_dir else None
    cache = VectorCache(cache_file, sources=[SEED_VECTORS / f"{model.fingerprint}.npz"])
    return KnowledgeBase(
        client, model, session_factory=session_factory, data_dir=data_dir, mode=mode, vector_cache=cache
    )
