"""The Chroma side: clients, our registered embedding function, and the collection.

Chroma's default embedding function downloads an ONNX model on first use; we never let it run.
Every collection is created with `CopilotEmbeddingFunction`, registered under its own name, so a
client that reopens the collection (another process, `chroma run` users) rebuilds our offline
embedder from the persisted config instead of falling back to the default.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from chromadb.api import ClientAPI
from chromadb.api.models.Collection import Collection
from chromadb.api.types import Documents, EmbeddingFunction, Embeddings
from chromadb.config import Settings as ChromaSettings
from chromadb.utils.embedding_functions import register_embedding_function

from knowledge.docs.embedders import Embedder, load_embedder

log = logging.getLogger(__name__)

EF_NAME = "sales_copilot_offline"


@register_embedding_function
class CopilotEmbeddingFunction(EmbeddingFunction[Documents]):
    """Chroma adapter over our `Embedder` (passages on add, `embed_query` on query)."""

    def __init__(self, embedder: Embedder) -> None:
        self.embedder = embedder

    def __call__(self, input: Documents) -> Embeddings:
        return list(self.embedder.embed_passages(list(input)))

    def embed_query(self, input: Documents) -> Embeddings:
        return [self.embedder.embed_query(text) for text in input]

    @staticmethod
    def name() -> str:
        return EF_NAME

    @staticmethod
    def build_from_config(config: dict[str, Any]) -> CopilotEmbeddingFunction:
        return CopilotEmbeddingFunction(load_embedder(str(config["embedder"])))

    def get_config(self) -> dict[str, Any]:
        return {"embedder": self.embedder.spec}

    def default_space(self) -> str:  # type: ignore[override]
        return "cosine"

    def supported_spaces(self) -> list[str]:  # type: ignore[override]
        return ["cosine", "ip"]

    def validate_config_update(self, old_config: dict[str, Any], new_config: dict[str, Any]) -> None:
        if old_config.get("embedder") != new_config.get("embedder"):
            raise ValueError("a collection's embedder cannot change; use another collection")


def _settings() -> ChromaSettings:
    return ChromaSettings(anonymized_telemetry=False, allow_reset=False)


def make_client(path: Path | None = None, url: str | None = None) -> ClientAPI:
    """A `HttpClient` when a server URL is given (e.g. `chroma run`), else a `PersistentClient`."""
    import chromadb

    if url:
        parsed = urlparse(url)
        if not parsed.hostname:
            raise ValueError(f"not a Chroma server URL: {url!r}")
        ssl = parsed.scheme == "https"
        port = parsed.port or (443 if ssl else 8000)
        return chromadb.HttpClient(host=parsed.hostname, port=port, ssl=ssl, settings=_settings())
    if path is None:
        raise ValueError("make_client needs a directory or a server URL")
    path.mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(path=str(path), settings=_settings())


def collection_name(embedder: Embedder, prefix: str = "kb") -> str:
    """One collection per embedder: vectors from two models never share an index."""
    return f"{prefix}-{embedder.name}"


def open_collection(client: ClientAPI, embedder: Embedder, name: str | None = None) -> Collection:
    """Get or create the knowledge collection (cosine space) bound to our embedding function."""
    ef = CopilotEmbeddingFunction(embedder)
    return client.get_or_create_collection(
        name=name or collection_name(embedder),
        embedding_function=ef,  # type: ignore[arg-type]
        configuration={"hnsw": {"space": "cosine"}},
        metadata={"embedder": embedder.spec, "dim": embedder.dim, "kb_version": "0"},
    )


def collection_version(collection: Collection) -> str:
    """The collection's change marker as stored on the server (not the cached copy).

    Ingestion bumps it, so another process's search sees that its lexical index is stale.
    """
    model = collection._client.get_collection(  # the public Collection caches its metadata
        name=collection.name, tenant=collection.tenant, database=collection.database
    )
    return str((model.metadata or {}).get("kb_version", "0"))


def bump_version(collection: Collection) -> str:
    import uuid

    version = uuid.uuid4().hex
    metadata = dict(collection.metadata or {})
    metadata["kb_version"] = version
    collection.modify(metadata=metadata)
    return version
