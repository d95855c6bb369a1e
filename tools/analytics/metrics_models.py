"""Result types of the manager metrics (what the CLI, API and the agents' analytics tool receive)."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, Field

from tools.analytics.periods import Period
from tools.common import ToolResult

COLLAB_KINDS = ("feedback_route", "escalation")
MAX_SOURCES_PER_TABLE = 40
GroupBy = Literal["region", "team", "rep", "month", "quarter"]
DEFINITIONS = {
    "adoption_rate": "adopted / judged (adopted+rejected+invalid), suggestions created in the period",
    "closure_rate": "closed / created, feedback_route + escalation items created in the period",
    "median_response_hours": "median hours from created to acknowledged, same items",
    "feedback_density": "feedback answers / visits, visits dated in the period",
    "strategy_iteration_frequency": "battle-pack versions / distinct customer x product packs in the period",
    "open_escalations": "escalation items not closed, created by the end of the period",
}


class EscalationLine(BaseModel):
    id: int
    title: str
    workbench: str
    owner_id: str | None
    province: str | None
    status: str
    created_at: dt.datetime
    answer_ids: list[int] = Field(default_factory=list)


class Metrics(ToolResult):
    period: Period
    filters: dict[str, str]
    adoption_rate: float | None
    recommendations: dict[str, int] = Field(description="adopted, rejected, invalid, unjudged, judged")
    closure_rate: float | None
    tasks_created: int
    tasks_closed: int
    median_response_hours: float | None
    tasks_acknowledged: int
    feedback_density: float | None
    visits: int
    answers: int
    strategy_iteration_frequency: float | None
    battle_pack_versions: int
    battle_pack_subjects: int
    open_escalations: list[EscalationLine]
    definitions: dict[str, str] = Field(default_factory=lambda: dict(DEFINITIONS))
    sources_truncated: int = 0
    summary: str = ""


class MetricsRow(BaseModel):
    key: str
    metrics: Metrics
