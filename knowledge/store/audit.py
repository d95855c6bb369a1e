"""Append-only audit log with a hash chain.

Each entry's hash covers the previous hash and the entry's canonical JSON, so altering or deleting
any entry breaks every hash after it. `prev_hash` is unique: two writers racing for the same tail
cannot both succeed, which keeps one chain even with several API workers appending at once.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, insert, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from knowledge.store.models import AuditEntry

GENESIS = "0" * 64
# Built once: append_many runs on every contract check.
_TAIL = select(AuditEntry.hash).order_by(AuditEntry.seq.desc()).limit(1)
_INSERT = insert(AuditEntry)
_PG_LOCK_ID = 740_319_001  # advisory lock serialising appends on PostgreSQL


def _canonical(entry: dict[str, Any]) -> str:
    return json.dumps(entry, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)


def entry_hash(
    prev_hash: str,
    ts: dt.datetime,
    actor: str,
    action: str,
    subject_type: str,
    subject_id: str,
    payload: dict[str, Any],
) -> str:
    # SQLite returns naive datetimes; every stored timestamp is UTC.
    ts = ts.replace(tzinfo=dt.UTC) if ts.tzinfo is None else ts.astimezone(dt.UTC)
    body = _canonical(
        {
            "ts": ts.isoformat(timespec="microseconds"),
            "actor": actor,
            "action": action,
            "subject_type": subject_type,
            "subject_id": subject_id,
            "payload": payload,
        }
    )
    return hashlib.sha256((prev_hash + body).encode("utf-8")).hexdigest()


def _lock_tail(conn: Connection) -> None:
    """Hold the chain's tail until commit, so two appenders never read the same tail.

    PostgreSQL: a transaction-scoped advisory lock. SQLite: pysqlite runs a SELECT outside any
    transaction and opens one only at the first write, so the tail read could go stale before the
    insert (two workers, one `prev_hash`: the unique constraint then fails one of them); a no-op
    UPDATE first takes the write lock (waiting out the busy timeout), making the read current."""
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_LOCK_ID})
    elif conn.dialect.name == "sqlite":
        conn.execute(text("UPDATE audit_log SET seq = seq WHERE 0"))


def append(
    session: Session,
    *,
    actor: str,
    action: str,
    subject_type: str,
    subject_id: str,
    payload: dict[str, Any] | None = None,
    attempts: int = 5,
) -> AuditEntry:
    """Append one entry inside the caller's transaction (retrying on a lost race for the tail)."""
    payload = json.loads(_canonical(payload or {}))
    _lock_tail(session.connection())
    for attempt in range(attempts):
        tail = session.execute(
            select(AuditEntry.hash).order_by(AuditEntry.seq.desc()).limit(1)
        ).scalar_one_or_none()
        prev = tail or GENESIS
        ts = dt.datetime.now(dt.UTC)
        entry = AuditEntry(
            ts=ts,
            actor=actor,
            action=action,
            subject_type=subject_type,
            subject_id=subject_id,
            payload=payload,
            prev_hash=prev,
            hash=entry_hash(prev, ts, actor, action, subject_type, subject_id, payload),
        )
        try:
            with session.begin_nested():
                session.add(entry)
                session.flush()
            return entry
        except IntegrityError:
            if attempt == attempts - 1:
                raise
    raise AssertionError("unreachable")


def append_many(session: Session, entries: list[dict[str, Any]]) -> int:
    """Append several entries (each a dict of `append`'s keyword arguments) as one chain segment:
    one read of the tail and one insert statement, so a check and its findings cost one round trip
    (hot paths such as contract checks use it). Returns how many entries were appended.

    No savepoint/retry as in `append`: on PostgreSQL the advisory lock serialises appenders, and on
    SQLite a writer that lost the race fails on its stale snapshot (not on `prev_hash`), which no
    retry inside the same transaction could repair."""
    if not entries:
        return 0
    conn = session.connection()  # Core statements: the ORM adds nothing on this path
    _lock_tail(conn)
    prev = conn.execute(_TAIL).scalar_one_or_none() or GENESIS
    rows = []
    for item in entries:
        payload = json.loads(_canonical(item.get("payload") or {}))
        ts = dt.datetime.now(dt.UTC)
        keys = (item["actor"], item["action"], item["subject_type"], item["subject_id"])
        digest = entry_hash(prev, ts, *keys, payload)
        rows.append(
            dict(zip(("actor", "action", "subject_type", "subject_id"), keys, strict=True))
            | {"ts": ts, "payload": payload, "prev_hash": prev, "hash": digest}
        )
        prev = digest
    conn.execute(_INSERT, rows)  # executemany runs the rows in order, so seq follows the chain
    return len(rows)


@dataclass(frozen=True)
class VerifyReport:
    ok: bool
    entries: int
    first_bad_seq: int | None = None
    reason: str = ""


def verify(session: Session) -> VerifyReport:
    """Walk the chain in order; report the first entry whose link or hash does not hold."""
    prev = GENESIS
    count = 0
    for entry in session.execute(select(AuditEntry).order_by(AuditEntry.seq)).scalars():
        count += 1
        if entry.prev_hash != prev:
            return VerifyReport(
                False, count, entry.seq, "link broken: an entry before it was deleted or altered"
            )
        expected = entry_hash(
            prev, entry.ts, entry.actor, entry.action, entry.subject_type, entry.subject_id, entry.payload
        )
        if entry.hash != expected:
            return VerifyReport(False, count, entry.seq, "content altered: hash does not match")
        prev = entry.hash
    return VerifyReport(True, count)


def export_rows(session: Session, since: dt.datetime | None = None) -> list[dict[str, Any]]:
    """Entries from `since` on, in chain order, with both hashes so a regulator can re-verify."""
    query = select(AuditEntry).order_by(AuditEntry.seq)
    if since is not None:
        query = query.where(AuditEntry.ts >= since)
    return [
        {
            "seq": e.seq,
            "ts": (e.ts.replace(tzinfo=dt.UTC) if e.ts.tzinfo is None else e.ts).isoformat(),
            "actor": e.actor,
            "action": e.action,
            "subject_type": e.subject_type,
            "subject_id": e.subject_id,
            "payload": e.payload,
            "prev_hash": e.prev_hash,
            "hash": e.hash,
        }
        for e in session.execute(query).scalars()
    ]
