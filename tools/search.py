"""Document search over the knowledge base, returning chunks that carry their citations.

The knowledge base lives in `knowledge.docs` and is built elsewhere; this service depends only on
the shape of its `search` method (a Protocol), so tests can pass a fake and the tool layer does
not import Chroma. Every hit becomes a `Source(kind="chunk")`, so an answer can cite it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import Any, Protocol

from pydantic import BaseModel

from tools.common import Principal, Role, Source, ToolResult

log = logging.getLogger(__name__)


class HitLike(Protocol):
    """What a knowledge-base hit exposes (`knowledge.docs.models.Hit`); read-only is enough."""

    @property
    def chunk_id(self) -> str: ...
    @property
    def doc_id(self) -> str: ...
    @property
    def title(self) -> str: ...
    @property
    def text(self) -> str: ...
    @property
    def score(self) -> float: ...
    @property
    def citation(self) -> str: ...


class KnowledgeBaseLike(Protocol):
    def search(
        self, query: str, roles_of_caller: Sequence[str], k: int, filters: dict[str, Any] | None
    ) -> Sequence[HitLike]: ...


class KnowledgeBaseUnavailableError(RuntimeError):
    """No knowledge base is wired (e.g. not ingested yet); the caller should say so, not guess."""


# Earlier name, kept for callers written against it.
KnowledgeBaseUnavailable = KnowledgeBaseUnavailableError


class DocHit(BaseModel):
    chunk_id: str
    doc_id: str
    title: str
    section: str = ""
    page: int | None = None
    source_path: str = ""
    text: str
    score: float
    citation: str


class DocSearchResult(ToolResult):
    query: str
    hits: list[DocHit]
    summary: str


def roles_for(principal: Principal | None) -> list[str]:
    """The caller's role for the knowledge base's visibility clause; no principal = system (admin)."""
    if principal is None:
        return [Role.ADMIN.value]
    return [principal.role.value]


def to_hit(hit: HitLike) -> DocHit:
    return DocHit(
        chunk_id=str(hit.chunk_id),
        doc_id=str(hit.doc_id),
        title=str(hit.title or ""),
        section=str(getattr(hit, "section", "") or ""),
        page=getattr(hit, "page", None),
        source_path=str(getattr(hit, "source_path", "") or ""),
        text=str(hit.text),
        score=float(hit.score),
        citation=str(getattr(hit, "citation", "") or hit.title),
    )


def chunk_source(hit: DocHit) -> Source:
    detail = " ".join(x for x in (hit.section, f"p.{hit.page}" if hit.page else "") if x)
    return Source(kind="chunk", ref=hit.doc_id, id=hit.chunk_id, title=hit.title, detail=detail)


class DocSearchService:
    """Role-filtered search of the knowledge base (clinical evidence, IFU, policies, laws, playbooks)."""

    def __init__(self, kb: KnowledgeBaseLike | Callable[[], KnowledgeBaseLike | None] | None) -> None:
        """`kb` may be a zero-argument provider, so wiring services does not open Chroma."""
        self._kb = kb

    @property
    def kb(self) -> KnowledgeBaseLike | None:
        if self._kb is not None and not hasattr(self._kb, "search") and callable(self._kb):
            self._kb = self._kb()
        return self._kb

    @property
    def available(self) -> bool:
        return self._kb is not None

    def search(
        self,
        query: str,
        principal: Principal | None = None,
        k: int = 5,
        filters: dict[str, Any] | None = None,
    ) -> DocSearchResult:
        """Top-k chunks the caller's role may read, best first."""
        if not query.strip():
            raise ValueError("empty search query")
        kb = self.kb
        if kb is None:
            raise KnowledgeBaseUnavailableError("the knowledge base is not loaded; run `copilot kb ingest`")
        raw = kb.search(query, roles_for(principal), k, filters)
        hits = [to_hit(h) for h in raw][:k]
        log.info("doc_search", extra={"query": query, "hits": len(hits)})
        titles = "; ".join(dict.fromkeys(h.title for h in hits))
        return DocSearchResult(
            query=query,
            hits=hits,
            summary=f"{len(hits)} passages: {titles}" if hits else "no matching passage",
            sources=[chunk_source(h) for h in hits],
        )
