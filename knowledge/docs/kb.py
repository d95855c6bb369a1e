"""KnowledgeBase: hybrid retrieval (dense + BM25, reciprocal-rank fusion) with role visibility.

Every read goes through Chroma with the caller's role in the `where` clause: dense hits come from
`collection.query(where=...)`, and lexical candidates are fetched back with
`collection.get(ids=..., where=...)`, so a chunk the caller may not read cannot reach a result
even if the local BM25 snapshot holds it.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, Literal

import numpy as np
from chromadb.api import ClientAPI
from chromadb.api.models.Collection import Collection

from knowledge.docs.embedders import Embedder
from knowledge.docs.filters import build_where, matches, visible_ids_where
from knowledge.docs.glossary import expansions
from knowledge.docs.lexical import LexicalIndex, Tokenizer
from knowledge.docs.models import DocumentInfo, Hit, IngestReport
from knowledge.docs.store import collection_version, open_collection
from knowledge.docs.vector_cache import VectorCache

log = logging.getLogger(__name__)

Mode = Literal["hybrid", "dense", "bm25"]
RRF_K = 60
PAGE = 2000
# Metadata kept out of Hit.metadata: internal bookkeeping, not facts about the text.
_INTERNAL = frozenset({"tokens", "content_hash", "source_abs", "effective_ord", "chunk_id"})
_INTERNAL_PREFIX = "vis_"


class KnowledgeBase:
    """Search, ingest and remove documents in one Chroma collection with one embedder."""

    def __init__(
        self,
        collection: Collection | ClientAPI,
        embedder: Embedder,
        session_factory: Any | None = None,
        data_dir: Path | None = None,
        mode: Mode = "hybrid",
        candidates: int = 30,
        version_check_s: float = 1.0,
        expand_queries: bool = True,
        vector_cache: VectorCache | None = None,
    ) -> None:
        self.embedder = embedder
        self.collection: Collection = (
            collection if isinstance(collection, Collection) else open_collection(collection, embedder)
        )
        self.session_factory = session_factory
        self.data_dir = data_dir
        self.mode: Mode = mode
        self.candidates = candidates
        self.expand_queries = expand_queries
        self.vector_cache = vector_cache
        self.last_ingest_keys: list[str] = []  # vector-cache keys of the chunks the last ingest wrote
        self.tokenizer = Tokenizer(data_dir / "cache" / "jieba" if data_dir else None)
        self._version_check_s = version_check_s
        self._lex: LexicalIndex | None = None
        self._lex_version: str | None = None
        self._lex_checked = 0.0
        self._masks: dict[str, np.ndarray] = {}
        self._lock = threading.RLock()
        self._executor: ThreadPoolExecutor | None = None

    # ----------------------------------------------------------------- search
    def search(
        self,
        query: str,
        roles_of_caller: str | Sequence[str],
        k: int = 5,
        filters: dict[str, Any] | None = None,
        mode: Mode | None = None,
    ) -> list[Hit]:
        """Top `k` chunks the caller's role (a Role value, or several) may read, best first.

        Every returned chunk comes out of a Chroma read whose `where` holds the caller's role:
        candidates from the vector index and from BM25 are fetched back in one
        `get(where={"$and": [chunk_id $in candidates, role clause, filters]})`.
        """
        mode = mode or self.mode
        where = build_where(roles_of_caller, filters)
        query = query.strip()
        if not query or k <= 0:
            return []
        n = max(self.candidates, k)
        dense: list[tuple[str, float]] = []
        lexical: list[tuple[str, float]] = []
        post_filter = False
        vector = None
        pending = None
        if mode == "hybrid":  # embed the query while BM25 runs: the C engine releases the GIL
            pending = self._pool().submit(self.embedder.embed_query, query)
        if mode in ("bm25", "hybrid"):
            lexical = self._lexical(query, n, where)
        if mode in ("dense", "hybrid"):
            vector = pending.result() if pending is not None else self.embedder.embed_query(query)
            # Chroma's filtered HNSW search costs far more than an unfiltered one when the role may
            # read most chunks (it materialises every allowed row), so without metadata filters we
            # over-fetch unfiltered neighbours and let the store verify them. Filters are selective:
            # search with them.
            post_filter = where is not None and not filters
            dense = self._dense(vector, n * 2 if post_filter else n, None if post_filter else where)
        if where is not None:
            unverified = [cid for cid, _ in (dense if post_filter else [])] + [cid for cid, _ in lexical]
            visible = self._visible(unverified, roles_of_caller, filters) | (
                {cid for cid, _ in dense} if not post_filter else set()
            )
            dense = [(cid, s) for cid, s in dense if cid in visible][:n]
            lexical = [(cid, s) for cid, s in lexical if cid in visible]
            if post_filter and len(dense) < k and vector is not None:
                dense = self._dense(vector, n, where)  # few readable neighbours: pre-filter instead
        if mode == "hybrid":
            fused = _rrf([[cid for cid, _ in dense], [cid for cid, _ in lexical]])
        else:
            fused = dict(dense if mode == "dense" else lexical)
        order = sorted(fused, key=lambda cid: -fused[cid])[:k]
        rows = self._rows(order, roles_of_caller, filters)  # texts, read under the role check again
        dense_rank = {cid: i for i, (cid, _) in enumerate(dense, start=1)}
        lex_rank = {cid: i for i, (cid, _) in enumerate(lexical, start=1)}
        hits = []
        for cid in order:
            if cid not in rows:
                continue
            text, meta = rows[cid]
            extra = {"dense_rank": dense_rank.get(cid), "bm25_rank": lex_rank.get(cid)}
            hits.append(_hit(cid, text, meta, fused[cid], extra))
        return hits

    def _pool(self) -> ThreadPoolExecutor:
        with self._lock:
            if self._executor is None:
                self._executor = ThreadPoolExecutor(max_workers=2, thread_name_prefix="kb-embed")
            return self._executor

    def _dense(self, vector: Any, n: int, where: dict[str, Any] | None) -> list[tuple[str, float]]:
        """Nearest chunk ids with cosine similarity (ids only: texts are fetched for the winners)."""
        res = self.collection.query(
            query_embeddings=[vector], n_results=n, where=where, include=["distances"]
        )
        dists = (res["distances"] or [[]])[0]
        return [(cid, 1.0 - float(d)) for cid, d in zip(res["ids"][0], dists, strict=True)]

    def _lexical(self, query: str, n: int, where: dict[str, Any] | None) -> list[tuple[str, float]]:
        """BM25 candidates among the chunks the local snapshot believes readable (the store decides)."""
        index = self.lexical_index()
        if not len(index):
            return []
        tokens = self.tokenizer.tokens(query)
        if self.expand_queries:
            tokens += self.tokenizer.tokens(" ".join(expansions(query)))
        return [(index.ids[i], s) for i, s in index.top(tokens, n, self._mask(index, where))]

    def _visible(
        self, ids: list[str], roles: str | Sequence[str], filters: dict[str, Any] | None
    ) -> set[str]:
        """Which of `ids` the store returns for the caller (the visibility check, ids only)."""
        if not ids:
            return set()
        where = visible_ids_where(roles, list(dict.fromkeys(ids)), filters)
        return set(self.collection.get(where=where, include=[])["ids"])

    def _rows(
        self, ids: list[str], roles: str | Sequence[str], filters: dict[str, Any] | None = None
    ) -> dict[str, tuple[str, dict[str, Any]]]:
        """Text and metadata of those of `ids` the caller may read."""
        if not ids:
            return {}
        where = visible_ids_where(roles, ids, filters)
        got = self.collection.get(where=where, include=["documents", "metadatas"])
        return {
            cid: (doc or "", dict(meta or {}))
            for cid, doc, meta in zip(got["ids"], got["documents"] or [], got["metadatas"] or [], strict=True)
        }

    def _mask(self, index: LexicalIndex, where: dict[str, Any] | None) -> np.ndarray | None:
        if where is None:
            return None
        key = json.dumps(where, sort_keys=True, ensure_ascii=False)
        with self._lock:
            mask = self._masks.get(key)
            if mask is None:
                mask = np.fromiter((matches(m, where) for m in index.metadatas), dtype=bool, count=len(index))
                if len(self._masks) > 64:
                    self._masks.clear()
                self._masks[key] = mask
            return mask

    def chunk(self, chunk_id: str, roles_of_caller: str | Sequence[str]) -> Hit | None:
        """One chunk by id, or None when it does not exist or the caller's role may not read it.

        This is how a citation in an answer is opened; visibility is the same store-side clause as search.
        """
        found = self._rows([chunk_id], roles_of_caller)
        if chunk_id not in found:
            return None
        text, meta = found[chunk_id]
        return _hit(chunk_id, text, meta, 1.0, {})

    # ---------------------------------------------------------- lexical index
    def lexical_index(self) -> LexicalIndex:
        """The BM25 snapshot, rebuilt when this or another process changed the collection."""
        with self._lock:
            now = time.monotonic()
            if self._lex is not None and now - self._lex_checked < self._version_check_s:
                return self._lex
            version = collection_version(self.collection)
            self._lex_checked = now
            if self._lex is None or version != self._lex_version:
                self._lex = self._build_lexical()
                self._lex_version = version
                self._masks.clear()
            return self._lex

    def _build_lexical(self) -> LexicalIndex:
        started = time.perf_counter()
        ids: list[str] = []
        tokens: list[list[str]] = []
        metas: list[dict[str, Any]] = []
        for cid, meta in self._scan():
            ids.append(cid)
            tokens.append(str(meta.pop("tokens", "")).split())
            metas.append(meta)
        index = LexicalIndex(ids, tokens, metas)
        log.info(
            "lexical index built", extra={"chunks": len(ids), "s": round(time.perf_counter() - started, 3)}
        )
        return index

    def _scan(self, where: dict[str, Any] | None = None) -> Any:
        offset = 0
        while True:
            page = self.collection.get(where=where, include=["metadatas"], limit=PAGE, offset=offset)
            for cid, meta in zip(page["ids"], page["metadatas"] or [], strict=True):
                yield cid, dict(meta or {})
            if len(page["ids"]) < PAGE:
                return
            offset += PAGE

    def invalidate(self) -> None:
        """Forget the lexical snapshot (after this process changed the collection)."""
        with self._lock:
            self._lex = None
            self._masks.clear()

    # ------------------------------------------------------- documents & ingest
    def documents(self) -> list[DocumentInfo]:
        """One entry per document id, from the collection itself (the source of truth)."""
        docs: dict[str, DocumentInfo] = {}
        for _cid, meta in self._scan():
            doc_id = str(meta.get("doc_id"))
            if doc_id in docs:
                docs[doc_id].chunks += 1
                continue
            docs[doc_id] = DocumentInfo(
                doc_id=doc_id,
                title=str(meta.get("title", "")),
                source_path=str(meta.get("source_path", "")),
                doc_type=str(meta.get("doc_type", "")),
                language=str(meta.get("language", "")),
                roles=list(meta.get("roles") or []),
                content_hash=str(meta.get("content_hash", "")),
                chunks=1,
            )
        return sorted(docs.values(), key=lambda d: d.doc_id)

    def ingest(
        self,
        paths: Sequence[Path | str],
        overrides: dict[str, Any] | None = None,
        progress: Callable[[str, int, int], None] | None = None,
        exclude_names: Sequence[str] = (),
        prune: bool = False,
    ) -> IngestReport:
        """Ingest files and directories; unchanged files are skipped (see `knowledge.docs.ingest`)."""
        from knowledge.docs.ingest import ingest_paths

        return ingest_paths(self, [Path(p) for p in paths], overrides or {}, progress, exclude_names, prune)

    def remove(self, doc_id: str) -> int:
        """Delete a document's chunks (and its registry row); returns how many chunks went."""
        from knowledge.docs.ingest import remove_document

        return remove_document(self, doc_id)

    def count(self) -> int:
        return int(self.collection.count())


def _rrf(rankings: list[list[str]], k: int = RRF_K) -> dict[str, float]:
    scores: dict[str, float] = {}
    for ranking in rankings:
        for rank, cid in enumerate(ranking, start=1):
            scores[cid] = scores.get(cid, 0.0) + 1.0 / (k + rank)
    return scores


def _hit(chunk_id: str, text: str, meta: dict[str, Any], score: float, extra: dict[str, Any]) -> Hit:
    page = meta.get("page")
    public = {k: v for k, v in meta.items() if k not in _INTERNAL and not k.startswith(_INTERNAL_PREFIX)}
    public.update({k: v for k, v in extra.items() if v is not None})
    return Hit(
        chunk_id=chunk_id,
        doc_id=str(meta.get("doc_id", "")),
        title=str(meta.get("title", "")),
        section=str(meta.get("section", "")),
        page=int(page) if isinstance(page, int) and page > 0 else None,
        source_path=str(meta.get("source_path", "")),
        text=text,
        score=float(score),
        metadata=public,
    )
