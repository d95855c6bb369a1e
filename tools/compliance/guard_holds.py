"""Held answers: the work items that ask for approval, and the approvals that release them.

A hold lives in the workbenches it needs (legal_compliance; plus manager for dual sign), one item
each, keyed `guard-hold:<hold_id>:<role>`; closing an item with an approval signs for that role.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from knowledge.store import audit
from knowledge.store.models import WorkItem
from tools.common import Workbench
from tools.compliance.models import GuardDecision, HoldStatus
from tools.compliance.schema import CheckMode
from tools.workbench.push import push_item

NEEDED: dict[CheckMode, list[str]] = {
    CheckMode.AUTO: [],
    CheckMode.MANUAL_REVIEW: [Workbench.LEGAL_COMPLIANCE.value],
    CheckMode.DUAL_SIGN: [Workbench.LEGAL_COMPLIANCE.value, Workbench.MANAGER.value],
}


class HoldNotFoundError(LookupError):
    pass


def _key(hold_id: str, role: str) -> str:
    return f"guard-hold:{hold_id}:{role}"


def raise_hold(
    session: Session, decision: GuardDecision, context: dict[str, Any], mode: CheckMode, actor: str
) -> list[int]:
    """One approval item per needed role; the body carries the (already redacted) text."""
    assert decision.hold_id is not None
    ids: list[int] = []
    for role in NEEDED[mode]:
        item, _ = push_item(
            session,
            workbench=role,
            kind="guard_hold",
            title=f"[{mode.value}] " + "; ".join(f.title.zh for f in decision.findings)[:200],
            body={
                "hold_id": decision.hold_id,
                "check_mode": mode.value,
                "needs": NEEDED[mode],
                "text": decision.redacted_text[:4000],
                "findings": [f.model_dump(mode="json") for f in decision.findings],
                "context": {k: v for k, v in context.items() if isinstance(v, str | int | float | None)},
            },
            source_type="guard_hold",
            source_id=decision.hold_id,
            dedupe_key=_key(decision.hold_id, role),
            sla_hours=24,
            actor=actor,
        )
        ids.append(item.id)
    return ids


def _items(session: Session, hold_id: str) -> list[WorkItem]:
    query = select(WorkItem).where(WorkItem.source_type == "guard_hold", WorkItem.source_id == hold_id)
    return list(session.execute(query).scalars())


def hold_status(session: Session, hold_id: str) -> HoldStatus:
    items = _items(session, hold_id)
    if not items:
        raise HoldNotFoundError(f"unknown hold {hold_id!r}")
    mode = CheckMode(items[0].body.get("check_mode", CheckMode.MANUAL_REVIEW.value))
    approvals = {
        i.workbench: i.closed_by or "" for i in items if i.status == "closed" and i.close_note == "approved"
    }
    needed = NEEDED[mode]
    return HoldStatus(
        hold_id=hold_id,
        check_mode=mode,
        approvals=approvals,
        needed=needed,
        released=all(role in approvals for role in needed),
    )


def approve_hold(session: Session, hold_id: str, approver: str, role: str) -> HoldStatus:
    """Signs the hold for `role` (legal_compliance or manager); released once every role signed."""
    item = session.execute(
        select(WorkItem).where(WorkItem.dedupe_key == _key(hold_id, role))
    ).scalar_one_or_none()
    if item is None:
        raise HoldNotFoundError(f"hold {hold_id!r} needs no approval from {role!r}")
    now = dt.datetime.now(dt.UTC)
    item.status, item.closed_at, item.closed_by, item.close_note = "closed", now, approver, "approved"
    session.flush()
    status = hold_status(session, hold_id)
    audit.append(
        session,
        actor=approver,
        action="guard.approve",
        subject_type="guard_hold",
        subject_id=hold_id,
        payload={"role": role, "released": status.released},
    )
    return status
