"""Putting an item into a workbench. The one way every feature pushes work to a team.

`dedupe_key` makes a push idempotent: pushing the same key again updates the open item (new
title/body) instead of creating a second one.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from knowledge.store import audit
from knowledge.store.models import WorkItem
from tools.common import Workbench


def push_item(
    session: Session,
    *,
    workbench: Workbench | str,
    kind: str,
    title: str,
    body: dict[str, Any] | None = None,
    owner_id: str | None = None,
    province: str | None = None,
    source_type: str | None = None,
    source_id: str | None = None,
    dedupe_key: str | None = None,
    sla_hours: float | None = None,
    actor: str = "system",
    now: dt.datetime | None = None,
) -> tuple[WorkItem, bool]:
    """Create or update a work item; returns (item, created)."""
    wb = Workbench(workbench)
    now = now or dt.datetime.now(dt.UTC)
    existing = None
    if dedupe_key is not None:
        existing = session.execute(
            select(WorkItem).where(WorkItem.dedupe_key == dedupe_key)
        ).scalar_one_or_none()
    if existing is not None:
        existing.title = title
        existing.body = body or {}
        existing.updated_at = now
        audit.append(
            session,
            actor=actor,
            action="workbench.update",
            subject_type="work_item",
            subject_id=str(existing.id),
            payload={"dedupe_key": dedupe_key},
        )
        return existing, False
    item = WorkItem(
        workbench=wb.value,
        kind=kind,
        title=title,
        body=body or {},
        owner_id=owner_id,
        province=province,
        source_type=source_type,
        source_id=source_id,
        dedupe_key=dedupe_key,
        sla_due=now + dt.timedelta(hours=sla_hours) if sla_hours else None,
        created_at=now,
        updated_at=now,
    )
    session.add(item)
    session.flush()
    audit.append(
        session,
        actor=actor,
        action="workbench.push",
        subject_type="work_item",
        subject_id=str(item.id),
        payload={"workbench": wb.value, "kind": kind, "title": title},
    )
    return item, True
