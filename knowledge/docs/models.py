"""Typed results of the knowledge base: search hits with their citation, and ingestion reports.

Hits carry everything a caller needs to cite a chunk (document id, title, section, page, source
path), so an answer built from them can always say where a sentence came from.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field, computed_field

# The caller roles that may be granted read access to a document. This is the vocabulary of
# `tools.common.Role`, repeated here because knowledge sits below tools (a test keeps them equal).
ROLES: tuple[str, ...] = (
    "rep",
    "manager",
    "marketing",
    "medical_affairs",
    "legal_compliance",
    "admin",
    "integration",
)
# Roles that may read every document whatever its own list says (auditing, operations).
SUPER_ROLES: frozenset[str] = frozenset({"admin"})

DOC_TYPES: tuple[str, ...] = (
    "ifu",
    "clinical_evidence",
    "competitor_intel",
    "vbp_status",
    "policy",
    "law",
    "playbook",
    "legal_memo",
    "other",
)


class Hit(BaseModel):
    """One retrieved chunk; `citation` is the string an answer prints next to what it used."""

    chunk_id: str
    doc_id: str
    title: str
    section: str = ""
    page: int | None = None
    source_path: str = ""
    text: str
    score: float
    metadata: dict[str, Any] = Field(default_factory=dict)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def citation(self) -> str:
        where = f" › {self.section}" if self.section else ""
        page = f", p. {self.page}" if self.page is not None else ""
        return f"[{self.chunk_id}] {self.title}{where}{page} ({self.source_path})"


FileStatus = Literal["added", "updated", "unchanged", "removed", "error"]


class FileOutcome(BaseModel):
    """What ingestion did with one file (or one removed document)."""

    path: str
    doc_id: str | None = None
    status: FileStatus
    chunks: int = 0
    error: str | None = None


class IngestReport(BaseModel):
    """Per-file outcomes plus totals; `ok` is False when any file failed."""

    files: list[FileOutcome] = Field(default_factory=list)
    seconds: float = 0.0
    embed_seconds: float = 0.0

    @computed_field  # type: ignore[prop-decorator]
    @property
    def chunks_embedded(self) -> int:
        return sum(f.chunks for f in self.files if f.status in ("added", "updated"))

    @computed_field  # type: ignore[prop-decorator]
    @property
    def counts(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for f in self.files:
            out[f.status] = out.get(f.status, 0) + 1
        return out

    @computed_field  # type: ignore[prop-decorator]
    @property
    def ok(self) -> bool:
        return all(f.status != "error" for f in self.files)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def chunks_per_s(self) -> float:
        return self.chunks_embedded / self.seconds if self.seconds > 0 else 0.0

    def errors(self) -> list[FileOutcome]:
        return [f for f in self.files if f.status == "error"]


class DocumentInfo(BaseModel):
    """A document as the collection knows it (one entry per document id)."""

    doc_id: str
    title: str
    source_path: str
    doc_type: str
    language: str
    roles: list[str]
    content_hash: str
    chunks: int
