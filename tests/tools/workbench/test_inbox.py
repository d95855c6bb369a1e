"""Workbench inboxes: list per role, acknowledge and close with a note, timestamps, permissions."""

from __future__ import annotations

import datetime as dt

import pytest

from knowledge.store import audit
from knowledge.store.db import SessionFactory, transaction
from tests.tools.feedback_world import TickClock
from tools.common import Principal, Role
from tools.workbench.inbox import WorkbenchService, WorkItemStateError
from tools.workbench.push import push_item

T0 = dt.datetime(2026, 11, 2, 2, 0, tzinfo=dt.UTC)


@pytest.fixture
def inbox(session_factory: SessionFactory) -> WorkbenchService:
    with transaction(session_factory) as s:
        for n, (wb, kind) in enumerate(
            [
                ("legal_compliance", "feedback_route"),
                ("legal_compliance", "escalation"),
                ("legal_compliance", "compliance_alert"),
                ("marketing", "battle_pack"),
                ("sales", "battle_pack"),
            ]
        ):
            push_item(
                s,
                workbench=wb,
                kind=kind,
                title=f"{kind} {n}",
                sla_hours=24,
                now=T0 + dt.timedelta(minutes=n),
            )
    return WorkbenchService(
        session_factory, dt.date(2026, 11, 30), clock=TickClock(start=T0 + dt.timedelta(hours=3))
    )


def test_each_role_has_its_inbox(inbox: WorkbenchService) -> None:
    legal = inbox.list("legal_compliance")
    assert [i.kind for i in legal.items] == [
        "compliance_alert",
        "escalation",
        "feedback_route",
    ]  # newest first
    assert legal.counts == {"open": 3}
    assert [i.kind for i in inbox.list("marketing").items] == ["battle_pack"]
    assert inbox.list("manager").items == []
    assert [i.kind for i in inbox.list("legal_compliance", kind="escalation").items] == ["escalation"]


def test_acknowledge_then_close_keeps_timestamps(
    inbox: WorkbenchService, session_factory: SessionFactory
) -> None:
    item_id = inbox.list("legal_compliance", kind="escalation").items[0].id
    acked = inbox.acknowledge(item_id, actor="P-SL")
    assert acked.status == "acknowledged" and acked.acknowledged_by == "P-SL"
    again = inbox.acknowledge(item_id, actor="someone-else")  # retry: first acknowledgement stands
    assert again.acknowledged_at == acked.acknowledged_at and again.acknowledged_by == "P-SL"
    closed = inbox.close(item_id, note="标准合同模板已修订 / template revised", actor="P-SL")
    assert closed.status == "closed" and closed.closed_at is not None and closed.acknowledged_at is not None
    assert closed.closed_at > closed.acknowledged_at > closed.created_at
    assert closed.close_note == "标准合同模板已修订 / template revised"
    assert (
        inbox.close(item_id, note="标准合同模板已修订 / template revised", actor="P-SL").closed_at
        == closed.closed_at
    )
    with pytest.raises(WorkItemStateError):
        inbox.close(item_id, note="another note", actor="P-SL")
    assert inbox.list("legal_compliance", status="active").counts == {"open": 2, "closed": 1}
    assert [i.id for i in inbox.list("legal_compliance", status="closed").items] == [item_id]
    with session_factory() as s:
        assert audit.verify(s).ok


def test_close_needs_a_note_and_acknowledges(inbox: WorkbenchService) -> None:
    item_id = inbox.list("marketing").items[0].id
    with pytest.raises(ValueError, match="needs a note"):
        inbox.close(item_id, note="  ", actor="P-LY")
    closed = inbox.close(item_id, note="done", actor="P-LY")
    assert closed.acknowledged_at == closed.closed_at and closed.acknowledged_by == "P-LY"


def test_overdue_is_reported(inbox: WorkbenchService) -> None:
    late = WorkbenchService(
        inbox.session_factory, inbox.today, clock=TickClock(start=T0 + dt.timedelta(days=2))
    )
    assert all(i.overdue for i in late.list("legal_compliance").items)
    assert not any(i.overdue for i in inbox.list("legal_compliance").items)


def test_roles_read_and_work_only_their_own_inbox(inbox: WorkbenchService) -> None:
    marketing = Principal(role=Role.MARKETING, person_id="P-LY")
    legal_item = inbox.list("legal_compliance").items[0].id
    with pytest.raises(PermissionError):
        inbox.list("legal_compliance", principal=marketing)
    with pytest.raises(PermissionError):
        inbox.acknowledge(legal_item, actor="P-LY", principal=marketing)
    manager = Principal(role=Role.MANAGER, person_id="P-CJ")
    assert inbox.list("legal_compliance", principal=manager).items  # managers oversee every inbox
    with pytest.raises(PermissionError):
        inbox.close(legal_item, note="x", actor="P-CJ", principal=manager)
    legal = Principal(role=Role.LEGAL_COMPLIANCE, person_id="P-SL")
    assert inbox.acknowledge(legal_item, actor="P-SL", principal=legal).status == "acknowledged"
