"""Thread ownership: a thread belongs to the key that created it, and only that key sees it.

Messages live in the LangGraph checkpointer (the chat service's business); the `threads` table
records who owns each thread id, so any worker can answer "is this yours?" from the database.
Another key asking for a thread gets 404, never 403, so thread ids leak nothing.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from copilot.api.errors import ApiError, not_found
from knowledge.store import audit
from knowledge.store.db import SessionFactory, transaction
from knowledge.store.models import Thread
from tools.common import Principal

THREAD_ID = re.compile(r"^[A-Za-z0-9_.:-]{1,64}$")


def new_thread_id() -> str:
    return f"thr_{uuid.uuid4().hex}"


def _check_id(thread_id: str) -> None:
    if not THREAD_ID.match(thread_id):
        raise ApiError(
            400,
            "thread_id must be 1-64 characters of letters, digits, '_', '.', ':' or '-'",
            code="invalid_thread_id",
            param="thread_id",
        )


def create_thread(
    factory: SessionFactory,
    principal: Principal,
    *,
    thread_id: str | None = None,
    title: str = "",
    meta: dict[str, Any] | None = None,
) -> Thread:
    """Create a thread owned by the principal's key (409-free: an id collision means 404)."""
    thread_id = thread_id or new_thread_id()
    _check_id(thread_id)
    now = dt.datetime.now(dt.UTC)
    row = Thread(
        id=thread_id,
        owner_key_id=principal.key_id,
        role=principal.role.value,
        title=title[:256],
        created_at=now,
        updated_at=now,
        meta=meta or {},
    )
    try:
        with transaction(factory) as session:
            session.add(row)
            session.flush()
            audit.append(
                session,
                actor=principal.actor,
                action="thread.create",
                subject_type="thread",
                subject_id=thread_id,
                payload={"key_id": principal.key_id, "role": principal.role.value},
            )
    except IntegrityError as exc:  # someone else's thread by that id
        raise not_found("thread", thread_id) from exc
    return row


def get_owned(factory: SessionFactory, thread_id: str, principal: Principal) -> Thread:
    with factory() as session:
        row = session.get(Thread, thread_id) if THREAD_ID.match(thread_id) else None
    if row is None or row.owner_key_id != principal.key_id:
        raise not_found("thread", thread_id)
    return row


def get_or_claim(factory: SessionFactory, thread_id: str, principal: Principal, title: str = "") -> Thread:
    """The caller's thread by that id, created on first use (an OpenAI client may pick ids)."""
    _check_id(thread_id)
    with factory() as session:
        row = session.get(Thread, thread_id)
    if row is None:
        return create_thread(factory, principal, thread_id=thread_id, title=title)
    if row.owner_key_id != principal.key_id:
        raise not_found("thread", thread_id)
    return row


def touch(factory: SessionFactory, thread_id: str, first_message: str) -> None:
    """Record activity; the first message becomes the title of an untitled thread."""
    with transaction(factory) as session:
        row = session.get(Thread, thread_id)
        if row is None:
            return
        row.updated_at = dt.datetime.now(dt.UTC)
        if not row.title:
            row.title = first_message.strip().replace("\n", " ")[:80]


def list_owned(factory: SessionFactory, principal: Principal, limit: int = 50) -> list[Thread]:
    with factory() as session:
        rows = session.execute(
            select(Thread)
            .where(Thread.owner_key_id == principal.key_id)
            .order_by(Thread.updated_at.desc(), Thread.id)
            .limit(limit)
        ).scalars()
        return list(rows)
