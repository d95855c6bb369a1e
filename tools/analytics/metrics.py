"""The manager's numbers, computed from the store (never stored, so they cannot drift).

Definitions (also returned in every result, so an answer can quote them):
- adoption_rate: recommendations judged "adopted" / recommendations judged (adopted + rejected +
  invalid), over recommendations created in the period. Unjudged ones are counted, not rated.
- closure_rate: collaborative tasks (work items of kind feedback_route or escalation: one team
  asking another) created in the period that are closed now / all created in the period.
- median_response_hours: median of (acknowledged_at - created_at) in hours over those tasks that
  have been acknowledged (closing acknowledges).
- feedback_density: feedback answers / visits, over visits dated in the period.
- strategy_iteration_frequency: battle-pack versions issued / distinct strategy subjects
  (customer x product) with a pack dated in the period. A pack row is one subject on one day and
  `version` counts its regenerations that day, so 1.0 means every strategy was issued once and
  never revised; 2.0 means each was revised once on average within the period.
- open_escalations: escalation items not closed now, created up to the end of the period.
Filters: region = province (code or name) of the customer / item; rep = the rep who filed the
visit, answer or received the suggestion (for tasks: the rep whose answers raised them);
team = the team that raised the record (the rep's team) or, for tasks, also the workbench that
received it (so team=legal_compliance gives legal's response time).
"""

from __future__ import annotations

import datetime as dt

from tools.analytics.metrics_calc import Facts, compute
from tools.analytics.metrics_models import DEFINITIONS, GroupBy, Metrics, MetricsRow
from tools.analytics.periods import Period, month, parse_period, quarter, year
from tools.base import StoreService, get_province
from tools.workbench.clock import day_bounds

__all__ = ["DEFINITIONS", "Metrics", "MetricsRow", "MetricsService"]


class MetricsService(StoreService):
    def period(self, text: str) -> Period:
        """'2026-Q3', '2026-11', '上季度', 'last month'... against the service's today."""
        return parse_period(text, self.today)

    def metrics(
        self,
        period_start: dt.date,
        period_end: dt.date,
        region: str | None = None,
        team: str | None = None,
        rep_id: str | None = None,
    ) -> Metrics:
        """The manager's numbers for one period and optional region / team / rep."""
        period = _period(period_start, period_end)
        with self.session_factory() as session:
            province = get_province(session, region).code if region else None
            facts = Facts(session, *day_bounds(period.start, period.end), period.start, period.end)
        return compute(facts, period, province, team, rep_id)

    def breakdown(
        self,
        period_start: dt.date,
        period_end: dt.date,
        by: GroupBy,
        region: str | None = None,
        team: str | None = None,
        rep_id: str | None = None,
    ) -> list[MetricsRow]:
        """The same numbers per region, team, rep, month or quarter of the period."""
        period = _period(period_start, period_end)
        with self.session_factory() as session:
            province = get_province(session, region).code if region else None
            facts = Facts(session, *day_bounds(period.start, period.end), period.start, period.end)
        if by in ("month", "quarter"):
            return [
                MetricsRow(key=p.label, metrics=self.metrics(p.start, p.end, region, team, rep_id))
                for p in _split(period, by)
            ]
        if by == "region":
            keys = sorted({c.province for c in facts.customers.values()})
        elif by == "team":
            keys = sorted(set(facts.teams.values()))
        else:
            keys = sorted(pid for pid, t in facts.teams.items() if t == "sales")
        rows = []
        for key in keys:
            filters = {"region": province, "team": team, "rep_id": rep_id}
            filters["rep_id" if by == "rep" else by] = key
            rows.append(MetricsRow(key=key, metrics=compute(facts, period, **filters)))
        return rows


def _period(start: dt.date, end: dt.date) -> Period:
    """The period, labelled as the month, quarter or year it is when it is exactly one."""
    if end < start:
        raise ValueError(f"period ends ({end}) before it starts ({start})")
    for candidate in (
        month(start.year, start.month),
        quarter(start.year, (start.month - 1) // 3 + 1),
        year(start.year),
    ):
        if (candidate.start, candidate.end) == (start, end):
            return candidate
    return Period(start=start, end=end, label=f"{start}..{end}")


def _split(period: Period, by: str) -> list[Period]:
    out: list[Period] = []
    y, m = period.start.year, period.start.month
    while dt.date(y, m, 1) <= period.end:
        p = month(y, m) if by == "month" else quarter(y, (m - 1) // 3 + 1)
        if not out or out[-1].label != p.label:
            out.append(Period(start=max(p.start, period.start), end=min(p.end, period.end), label=p.label))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out
