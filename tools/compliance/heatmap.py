"""Findings by region x ISO week x rule for the manager dashboard, and the alert inbox view."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from knowledge.store.models import ComplianceFinding, WorkItem
from tools.compliance.models import Alert, Heatmap, HeatmapCell


def _week(day: dt.date) -> tuple[str, dt.date]:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}", day - dt.timedelta(days=day.weekday())


def build_heatmap(session: Session, since: dt.date, until: dt.date) -> Heatmap:
    """Counts per (province, week, rule); the date is when the finding occurred (signing date,
    quarter end, rebate year), so the map shows where and when risk arose, not when it was found."""
    query = (
        select(
            ComplianceFinding.province,
            ComplianceFinding.occurred_on,
            ComplianceFinding.rule_id,
            ComplianceFinding.code,
            func.count(),
        )
        .where(ComplianceFinding.occurred_on.between(since, until))
        .group_by(
            ComplianceFinding.province,
            ComplianceFinding.occurred_on,
            ComplianceFinding.rule_id,
            ComplianceFinding.code,
        )
    )
    counts: Counter[tuple[str, str, dt.date, str, str]] = Counter()
    for province, day, rule_id, code, n in session.execute(query):
        if day is None:
            continue
        week, start = _week(day)
        counts[(province or "-", week, start, rule_id, code)] += n
    cells = [
        HeatmapCell(province=p, week=w, week_start=s, rule_id=r, code=c, count=n)
        for (p, w, s, r, c), n in sorted(counts.items())
    ]
    return Heatmap(
        since=since,
        until=until,
        provinces=sorted({c.province for c in cells}),
        weeks=sorted({c.week for c in cells}),
        rules=sorted({c.rule_id for c in cells}),
        cells=cells,
    )


def list_alerts(session: Session, status: str | None = None, limit: int = 200) -> list[Alert]:
    query = (
        select(WorkItem, ComplianceFinding)
        .join(ComplianceFinding, ComplianceFinding.dedupe_key == WorkItem.dedupe_key)
        .where(WorkItem.kind == "compliance_alert")
        .order_by(WorkItem.created_at.desc(), WorkItem.id.desc())
        .limit(limit)
    )
    if status:
        query = query.where(WorkItem.status == status)
    return [
        Alert(
            item_id=item.id,
            status=item.status,
            title=item.title,
            code=f.code,
            rule_id=f.rule_id,
            risk=f.risk,
            subject_type=f.subject_type,
            subject_id=f.subject_id,
            province=f.province,
            occurred_on=f.occurred_on,
            created_at=item.created_at,
        )
        for item, f in session.execute(query)
    ]
