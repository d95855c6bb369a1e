"""The audit chain: append, append_many, export and tamper detection on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import delete, select, update

from knowledge.store import audit
from knowledge.store.db import SessionFactory, transaction
from knowledge.store.models import AuditEntry


def _entry(i: int) -> dict[str, object]:
    return {
        "actor": "P-SL",
        "action": "compliance.check",
        "subject_type": "contract",
        "subject_id": f"C-{i}",
        "payload": {"i": i, "codes": ["gift_ratio_exceeded"], "名称": "赠品"},
    }


def test_append_many_continues_the_chain_in_order(session_factory: SessionFactory) -> None:
    with transaction(session_factory) as s:
        audit.append(s, actor="a", action="x", subject_type="t", subject_id="0")
        assert audit.append_many(s, [_entry(1), _entry(2), _entry(3)]) == 3
        assert audit.append_many(s, []) == 0
    with transaction(session_factory) as s:
        audit.append_many(s, [_entry(4)])
        audit.append(s, actor="a", action="x", subject_type="t", subject_id="5")
    with session_factory() as s:
        report = audit.verify(s)
        assert report.ok and report.entries == 6
        rows = audit.export_rows(s)
        assert [r["subject_id"] for r in rows] == ["0", "C-1", "C-2", "C-3", "C-4", "5"]
        assert all(rows[i]["hash"] == rows[i + 1]["prev_hash"] for i in range(5))
        assert rows[1]["payload"]["名称"] == "赠品"
        assert audit.export_rows(s, dt.datetime.now(dt.UTC) + dt.timedelta(days=1)) == []


def test_verify_finds_altered_and_deleted_entries(session_factory: SessionFactory) -> None:
    with transaction(session_factory) as s:
        audit.append_many(s, [_entry(i) for i in range(5)])
    with transaction(session_factory) as s:
        seqs = list(s.execute(select(AuditEntry.seq).order_by(AuditEntry.seq)).scalars())
        s.execute(update(AuditEntry).where(AuditEntry.seq == seqs[2]).values(actor="someone else"))
    with session_factory() as s:
        report = audit.verify(s)
        assert not report.ok and report.first_bad_seq == seqs[2] and "altered" in report.reason
    with transaction(session_factory) as s:
        s.execute(update(AuditEntry).where(AuditEntry.seq == seqs[2]).values(actor="P-SL"))
        assert audit.verify(s).ok
        s.execute(delete(AuditEntry).where(AuditEntry.seq == seqs[1]))
    with session_factory() as s:
        report = audit.verify(s)
        assert not report.ok and report.first_bad_seq == seqs[2] and "deleted" in report.reason
