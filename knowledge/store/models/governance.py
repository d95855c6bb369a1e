"""Audit log (hash chain), compliance rules and their history, API keys, document registry."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import BigInteger, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from knowledge.store.base import Base


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class AuditEntry(Base):
    """Append-only; `hash` = sha256(prev_hash + canonical JSON of the entry)."""

    __tablename__ = "audit_log"

    seq: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    ts: Mapped[dt.datetime] = mapped_column(default=_now, index=True)
    actor: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(64), index=True)
    subject_type: Mapped[str] = mapped_column(String(32))
    subject_id: Mapped[str] = mapped_column(String(64))
    payload: Mapped[dict[str, Any]] = mapped_column(default=dict)
    prev_hash: Mapped[str] = mapped_column(String(64), unique=True)
    hash: Mapped[str] = mapped_column(String(64), unique=True)


class ComplianceRule(Base):
    """One version of a rule; the full rule document (condition, messages, examples) is `body`."""

    __tablename__ = "compliance_rules"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    version: Mapped[int] = mapped_column(primary_key=True)
    status: Mapped[str] = mapped_column(String(16), index=True)  # draft / active / retired
    applies_to: Mapped[str] = mapped_column(String(16), index=True)
    body: Mapped[dict[str, Any]]
    created_by: Mapped[str] = mapped_column(String(64), default="system")
    created_at: Mapped[dt.datetime] = mapped_column(default=_now)


class ComplianceFinding(Base):
    """A finding raised by `scan` or a check; `dedupe_key` makes each raised once."""

    __tablename__ = "compliance_findings"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    code: Mapped[str] = mapped_column(String(64), index=True)
    rule_id: Mapped[str] = mapped_column(String(64))
    rule_version: Mapped[int]
    subject_type: Mapped[str] = mapped_column(String(32))
    subject_id: Mapped[str] = mapped_column(String(64))
    province: Mapped[str | None] = mapped_column(String(8), default=None, index=True)
    occurred_on: Mapped[dt.date | None] = mapped_column(default=None)
    risk: Mapped[str] = mapped_column(String(8))
    evidence: Mapped[dict[str, Any]] = mapped_column(default=dict)
    dedupe_key: Mapped[str] = mapped_column(String(200), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=_now)


class ApiKey(Base):
    __tablename__ = "api_keys"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)  # public prefix shown in lists
    key_hash: Mapped[str] = mapped_column(String(128), unique=True)
    role: Mapped[str] = mapped_column(String(32))
    person_id: Mapped[str | None] = mapped_column(ForeignKey("people.id"), default=None)
    label: Mapped[str] = mapped_column(String(128), default="")
    created_at: Mapped[dt.datetime] = mapped_column(default=_now)
    expires_at: Mapped[dt.datetime | None] = mapped_column(default=None)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(default=None)


class Document(Base):
    """A knowledge-base document as ingested: content hash for idempotence, roles for visibility."""

    __tablename__ = "documents"

    id: Mapped[str] = mapped_column(String(128), primary_key=True)
    title: Mapped[str] = mapped_column(String(256))
    source_path: Mapped[str] = mapped_column(String(512))
    content_hash: Mapped[str] = mapped_column(String(64))
    doc_type: Mapped[str] = mapped_column(String(32))
    language: Mapped[str] = mapped_column(String(8))
    roles: Mapped[list[str]]
    meta: Mapped[dict[str, Any]] = mapped_column(default=dict)
    chunk_count: Mapped[int] = mapped_column(default=0)
    ingested_at: Mapped[dt.datetime] = mapped_column(default=_now)


class Thread(Base):
    """A chat thread and the key that owns it (messages live in the LangGraph checkpointer)."""

    __tablename__ = "threads"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    owner_key_id: Mapped[str | None] = mapped_column(String(32), default=None, index=True)
    role: Mapped[str] = mapped_column(String(32))
    title: Mapped[str] = mapped_column(String(256), default="")
    created_at: Mapped[dt.datetime] = mapped_column(default=_now)
    updated_at: Mapped[dt.datetime] = mapped_column(default=_now)
    meta: Mapped[dict[str, Any]] = mapped_column(default=dict)
