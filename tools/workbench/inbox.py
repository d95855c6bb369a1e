"""Reading and working a role's workbench: list, acknowledge, close (items come from `push_item`).

Acknowledging says "someone has it" and starts nothing new; closing needs a note saying what was
done. Both keep the first timestamp and who did it, because the manager's response-time and
closure figures are computed from them. A close without an acknowledgement acknowledges at the
same instant (the owner obviously saw the item). Every state change is in the audit chain.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from knowledge.store import audit
from knowledge.store.db import SessionFactory, transaction
from knowledge.store.models import WorkItem
from tools.common import ROLE_WORKBENCH, NotFoundError, Principal, Role, Source, ToolResult, Workbench
from tools.workbench.clock import Clock, as_utc, clock_on

STATUSES = ("open", "acknowledged", "closed")
# Roles that oversee every inbox (read); only admin works items outside its own workbench.
_READ_ALL = {Role.ADMIN, Role.INTEGRATION, Role.MANAGER}


class WorkItemView(BaseModel):
    id: int
    workbench: str
    kind: str
    title: str
    status: str
    owner_id: str | None
    province: str | None
    source_type: str | None
    source_id: str | None
    created_at: dt.datetime
    sla_due: dt.datetime | None
    overdue: bool
    acknowledged_at: dt.datetime | None
    acknowledged_by: str | None
    closed_at: dt.datetime | None
    closed_by: str | None
    close_note: str | None
    body: dict[str, Any]

    @classmethod
    def of(cls, item: WorkItem, now: dt.datetime) -> WorkItemView:
        due = as_utc(item.sla_due) if item.sla_due else None
        end = as_utc(item.closed_at) if item.closed_at else now
        return cls(
            id=item.id,
            workbench=item.workbench,
            kind=item.kind,
            title=item.title,
            status=item.status,
            owner_id=item.owner_id,
            province=item.province,
            source_type=item.source_type,
            source_id=item.source_id,
            created_at=as_utc(item.created_at),
            sla_due=due,
            overdue=due is not None and end > due,
            acknowledged_at=as_utc(item.acknowledged_at) if item.acknowledged_at else None,
            acknowledged_by=item.acknowledged_by,
            closed_at=as_utc(item.closed_at) if item.closed_at else None,
            closed_by=item.closed_by,
            close_note=item.close_note,
            body=dict(item.body or {}),
        )


class WorkbenchList(ToolResult):
    workbench: str
    items: list[WorkItemView]
    counts: dict[str, int]


class WorkItemStateError(ValueError):
    """The transition is not allowed from the item's state (e.g. closing a closed item)."""


class WorkbenchService:
    def __init__(self, session_factory: SessionFactory, today: dt.date, clock: Clock | None = None) -> None:
        self.session_factory = session_factory
        self.today = today
        self.now = clock or clock_on(today)

    def list(
        self,
        workbench: Workbench | str,
        *,
        status: str | None = None,
        kind: str | None = None,
        owner_id: str | None = None,
        province: str | None = None,
        limit: int = 200,
        principal: Principal | None = None,
    ) -> WorkbenchList:
        """Items of one inbox, newest first; `status` "active" means open or acknowledged."""
        wb = Workbench(workbench)
        _check_read(principal, wb)
        query = select(WorkItem).where(WorkItem.workbench == wb.value)
        if status == "active":
            query = query.where(WorkItem.status != "closed")
        elif status is not None:
            if status not in STATUSES:
                raise ValueError(f"status must be one of {STATUSES} or 'active'")
            query = query.where(WorkItem.status == status)
        for column, value in (
            (WorkItem.kind, kind),
            (WorkItem.owner_id, owner_id),
            (WorkItem.province, province),
        ):
            if value is not None:
                query = query.where(column == value)
        now = self.now()
        with self.session_factory() as session:
            rows = session.execute(
                query.order_by(WorkItem.created_at.desc(), WorkItem.id.desc()).limit(limit)
            )
            items = [WorkItemView.of(i, now) for i in rows.scalars()]
            counts = {
                s: n
                for s, n in session.execute(
                    select(WorkItem.status, func.count(WorkItem.id))
                    .where(WorkItem.workbench == wb.value)
                    .group_by(WorkItem.status)
                ).tuples()
            }
        return WorkbenchList(
            workbench=wb.value,
            items=items,
            counts=counts,
            sources=[Source(kind="record", ref="work_items", id=str(i.id)) for i in items],
        )

    def get(self, item_id: int, principal: Principal | None = None) -> WorkItemView:
        with self.session_factory() as session:
            item = self._load(session, item_id)
            _check_read(principal, Workbench(item.workbench))
            return WorkItemView.of(item, self.now())

    def acknowledge(self, item_id: int, *, actor: str, principal: Principal | None = None) -> WorkItemView:
        """Mark an item as taken; acknowledging twice keeps the first time (safe to retry)."""
        with transaction(self.session_factory) as session:
            item = self._load(session, item_id)
            _check_act(principal, item)
            now = self.now()
            if item.acknowledged_at is None:
                item.acknowledged_at, item.acknowledged_by = now, actor
                if item.status == "open":
                    item.status = "acknowledged"
                item.updated_at = now
                self._audit(session, item, actor, "workbench.acknowledge", {})
            return WorkItemView.of(item, now)

    def close(
        self, item_id: int, *, note: str, actor: str, principal: Principal | None = None
    ) -> WorkItemView:
        """Close with a note of what was done; closing again with the same note is a no-op."""
        if not note.strip():
            raise ValueError("closing a work item needs a note saying what was done")
        with transaction(self.session_factory) as session:
            item = self._load(session, item_id)
            _check_act(principal, item)
            now = self.now()
            if item.status == "closed":
                if item.close_note == note.strip():
                    return WorkItemView.of(item, now)
                raise WorkItemStateError(f"work item {item_id} is already closed")
            if item.acknowledged_at is None:
                item.acknowledged_at, item.acknowledged_by = now, actor
            item.status, item.closed_at, item.closed_by = "closed", now, actor
            item.close_note, item.updated_at = note.strip(), now
            self._audit(session, item, actor, "workbench.close", {"note": item.close_note})
            return WorkItemView.of(item, now)

    @staticmethod
    def _load(session: Session, item_id: int) -> WorkItem:
        item = session.get(WorkItem, item_id)
        if item is None:
            raise NotFoundError("work item", str(item_id))
        return item

    @staticmethod
    def _audit(session: Session, item: WorkItem, actor: str, action: str, payload: dict[str, Any]) -> None:
        audit.append(
            session,
            actor=actor,
            action=action,
            subject_type="work_item",
            subject_id=str(item.id),
            payload={"workbench": item.workbench, **payload},
        )


def _check_read(principal: Principal | None, wb: Workbench) -> None:
    if principal is None or principal.role in _READ_ALL:
        return
    if ROLE_WORKBENCH.get(principal.role) is not wb:
        raise PermissionError(f"role {principal.role.value} cannot read the {wb.value} workbench")


def _check_act(principal: Principal | None, item: WorkItem) -> None:
    if principal is None or principal.role is Role.ADMIN:
        return
    own = ROLE_WORKBENCH.get(principal.role)
    if own is None or own.value != item.workbench:
        raise PermissionError(f"role {principal.role.value} cannot work items of {item.workbench}")
    if principal.role is Role.REP and item.owner_id not in (None, principal.person_id):
        raise PermissionError("a rep works only their own sales items")
