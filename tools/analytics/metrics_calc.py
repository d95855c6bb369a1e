"""Loading the rows behind the manager metrics once and computing the figures from them.

Rows are filtered in SQL with a day of margin and decided exactly in Python, because SQLite hands
back naive datetimes and PostgreSQL aware ones; the tables involved are small (thousands of rows).
"""

from __future__ import annotations

import datetime as dt
import statistics
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from knowledge.store.models import (
    BattlePack,
    Customer,
    FeedbackAnswer,
    Person,
    Recommendation,
    Visit,
    WorkItem,
)
from tools.analytics.metrics_models import COLLAB_KINDS, MAX_SOURCES_PER_TABLE, EscalationLine, Metrics
from tools.analytics.periods import Period
from tools.common import Source
from tools.workbench.clock import as_utc, day_bounds


class Facts:
    """Every row the figures need, loaded once per call and filtered in Python (small tables)."""

    def __init__(
        self, session: Session, lo: dt.datetime, hi: dt.datetime, start: dt.date, end: dt.date
    ) -> None:
        margin = dt.timedelta(days=1)  # naive SQLite datetimes: widen in SQL, decide exactly below
        self.teams = {p.id: p.team for p in session.execute(select(Person)).scalars()}
        self.customers = {c.id: c for c in session.execute(select(Customer)).scalars()}
        self.recs = [
            r
            for r in session.execute(
                select(Recommendation).where(Recommendation.created_at.between(lo - margin, hi + margin))
            ).scalars()
            if lo <= as_utc(r.created_at) < hi
        ]
        self.items = list(
            session.execute(
                select(WorkItem).where(WorkItem.kind.in_(COLLAB_KINDS), WorkItem.created_at < hi + margin)
            ).scalars()
        )
        self.visits = list(
            session.execute(select(Visit).where(Visit.visit_date.between(start, end))).scalars()
        )
        ids = [v.id for v in self.visits]
        self.answers: dict[str, int] = {}
        for chunk in (ids[i : i + 500] for i in range(0, len(ids), 500)):
            for (vid,) in session.execute(
                select(FeedbackAnswer.visit_id).where(FeedbackAnswer.visit_id.in_(chunk))
            ):
                self.answers[vid] = self.answers.get(vid, 0) + 1
        self.packs = list(
            session.execute(select(BattlePack).where(BattlePack.pack_date.between(start, end))).scalars()
        )


def _rate(num: int, den: int) -> float | None:
    return num / den if den else None


def _item_reps(item: WorkItem) -> set[str]:
    body = item.body or {}
    reps = set(body.get("rep_ids") or [])
    if body.get("rep_id"):
        reps.add(body["rep_id"])
    return reps


def _item_regions(item: WorkItem) -> set[str]:
    return {item.province} if item.province else set((item.body or {}).get("provinces") or [])


def _capped(table: str, keys: list[Any], detail: str) -> tuple[list[Source], int]:
    shown = keys[:MAX_SOURCES_PER_TABLE]
    return [Source(kind="record", ref=table, id=str(k), detail=detail) for k in shown], len(keys) - len(shown)


def compute(
    facts: Facts,
    period: Period,
    region: str | None = None,
    team: str | None = None,
    rep_id: str | None = None,
) -> Metrics:
    """The figures over already-loaded rows; `region` is a province code."""
    lo, hi = day_bounds(period.start, period.end)

    def person_ok(pid: str | None) -> bool:
        if rep_id is None and team is None:
            return True
        return pid is not None and rep_id in (None, pid) and team in (None, facts.teams.get(pid))

    def item_ok(item: WorkItem) -> bool:
        reps = _item_reps(item)
        return (
            (region is None or region in _item_regions(item))
            and (rep_id is None or rep_id in reps)
            and (team is None or item.workbench == team or any(facts.teams.get(r) == team for r in reps))
        )

    recs = [r for r in facts.recs if region in (None, r.province) and person_ok(r.rep_id)]
    judged = {k: sum(r.judgement == k for r in recs) for k in ("adopted", "rejected", "invalid")}
    n_judged = sum(judged.values())
    tasks = [i for i in facts.items if lo <= as_utc(i.created_at) < hi and item_ok(i)]
    closed = [i for i in tasks if i.status == "closed"]
    hours = [
        (as_utc(i.acknowledged_at) - as_utc(i.created_at)).total_seconds() / 3600
        for i in tasks
        if i.acknowledged_at is not None
    ]
    escalations = [
        i
        for i in facts.items
        if i.kind == "escalation" and i.status != "closed" and as_utc(i.created_at) < hi and item_ok(i)
    ]
    visits = [
        v
        for v in facts.visits
        if region in (None, facts.customers[v.customer_id].province) and person_ok(v.rep_id)
    ]
    n_answers = sum(facts.answers.get(v.id, 0) for v in visits)
    packs = [
        p
        for p in facts.packs
        if region in (None, facts.customers[p.customer_id].province)
        and person_ok(facts.customers[p.customer_id].rep_id)
    ]
    versions = sum(p.version for p in packs)
    subjects = len({(p.customer_id, p.product_id) for p in packs})
    sources: list[Source] = []
    truncated = 0
    tables: list[tuple[str, list[Any], str]] = [
        ("recommendations", [r.id for r in recs], "judgement"),
        ("work_items", [i.id for i in tasks], "created_at, acknowledged_at, status"),
        ("visits", [v.id for v in visits], "visit_date; answers counted in feedback_answers"),
        ("battle_packs", [p.id for p in packs], "version"),
    ]
    for table, keys, detail in tables:
        shown, cut = _capped(table, keys, detail)
        sources += shown
        truncated += cut
    sources += [Source(kind="record", ref="work_items", id=str(i.id), title=i.title) for i in escalations]
    filters = {k: v for k, v in {"region": region, "team": team, "rep_id": rep_id}.items() if v}
    metrics = Metrics(
        period=period,
        filters=filters,
        adoption_rate=_rate(judged["adopted"], n_judged),
        recommendations={**judged, "judged": n_judged, "unjudged": len(recs) - n_judged},
        closure_rate=_rate(len(closed), len(tasks)),
        tasks_created=len(tasks),
        tasks_closed=len(closed),
        median_response_hours=round(statistics.median(hours), 2) if hours else None,
        tasks_acknowledged=len(hours),
        feedback_density=_rate(n_answers, len(visits)),
        visits=len(visits),
        answers=n_answers,
        strategy_iteration_frequency=_rate(versions, subjects),
        battle_pack_versions=versions,
        battle_pack_subjects=subjects,
        open_escalations=[
            EscalationLine(
                id=i.id,
                title=i.title,
                workbench=i.workbench,
                owner_id=i.owner_id,
                province=i.province,
                status=i.status,
                created_at=as_utc(i.created_at),
                answer_ids=[int(a) for a in (i.body or {}).get("answer_ids", [])],
            )
            for i in sorted(escalations, key=lambda i: i.id)
        ],
        sources=sources,
        sources_truncated=truncated,
    )
    metrics.summary = summarize(metrics)
    return metrics


def summarize(m: Metrics) -> str:
    """One bilingual line a manager can read (n/a where there is nothing to rate)."""

    def pct(x: float | None) -> str:
        return "n/a" if x is None else f"{x:.1%}"

    def num(x: float | None, unit: str = "") -> str:
        return "n/a" if x is None else f"{x:.2f}{unit}"

    scope = " ".join([m.period.label, *m.filters.values()])
    zh = (
        f"{scope}: AI建议采纳率 {pct(m.adoption_rate)}, 协同任务关闭率 {pct(m.closure_rate)}, "
        f"跨部门响应中位数 {num(m.median_response_hours, ' 小时')}, 反馈密度 {num(m.feedback_density)} 条/次拜访, "
        f"策略迭代频率 {num(m.strategy_iteration_frequency)} 版/作战包, 未关闭升级 {len(m.open_escalations)} 项"
    )
    en = (
        f"adoption {pct(m.adoption_rate)}, closure {pct(m.closure_rate)}, "
        f"median response {num(m.median_response_hours, ' h')}, density {num(m.feedback_density)} answers/visit, "
        f"iteration {num(m.strategy_iteration_frequency)} versions/pack, open escalations {len(m.open_escalations)}"
    )
    return f"{zh} / {en}"
