"""The manager's numbers: adoption, closure, response time, feedback density, strategy iteration,
open escalations; for a period, per region / team / rep / month, and as a monthly trend."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from copilot.api.deps import MetricsDep, MetricsReader
from copilot.api.errors import AUTH_ERRORS, BAD_REQUEST, ApiError
from copilot.api.schemas.types import IsoDate
from tools.analytics.metrics import Metrics, MetricsRow, MetricsService
from tools.analytics.periods import Period

router = APIRouter(prefix="/v1/metrics", tags=["metrics"], responses={**AUTH_ERRORS, **BAD_REQUEST})

PERIOD_DOC = (
    "e.g. 2026-Q3, 2026-11, 2026, last month / 上个月, last quarter / 上季度, ytd; or give start and end."
)
TREND_KEYS = (
    "adoption_rate",
    "closure_rate",
    "median_response_hours",
    "feedback_density",
    "strategy_iteration_frequency",
)


class MetricsRows(BaseModel):
    object: Literal["list"] = "list"
    by: str
    period: Period
    data: list[MetricsRow]


class TrendPoint(BaseModel):
    period: str = Field(examples=["2026-11"])
    adoption_rate: float | None
    closure_rate: float | None
    median_response_hours: float | None
    feedback_density: float | None
    strategy_iteration_frequency: float | None
    open_escalations: int


class Trend(BaseModel):
    object: Literal["list"] = "list"
    period: Period
    data: list[TrendPoint]


@dataclass(frozen=True)
class Scope:
    """The filters every metrics route takes besides its period (one definition, one OpenAPI shape)."""

    start: dt.date | None
    end: dt.date | None
    region: str | None
    team: str | None
    rep_id: str | None

    def period(self, service: MetricsService, text: str | None, default: str) -> Period:
        """An explicit start..end, else the named period (or the route's default)."""
        if (self.start is None) != (self.end is None):
            raise ApiError(400, "give both start and end, or neither", code="invalid_period", param="start")
        if self.start is not None and self.end is not None:
            if self.end < self.start:
                raise ApiError(400, "end is before start", code="invalid_period", param="end")
            return Period(start=self.start, end=self.end, label=f"{self.start}..{self.end}")
        return service.period(text or default)


def _scope(
    start: IsoDate | None = Query(default=None),
    end: IsoDate | None = Query(default=None),
    region: str | None = Query(
        default=None, min_length=1, max_length=16, description="Province code or name, e.g. GD / 广东."
    ),
    team: str | None = Query(default=None, min_length=1, max_length=32, examples=["legal_compliance"]),
    rep_id: str | None = Query(default=None, min_length=1, max_length=32, examples=["P-WQ"]),
) -> Scope:
    return Scope(start, end, region, team, rep_id)


ScopeDep = Annotated[Scope, Depends(_scope)]


@router.get("", response_model=Metrics, summary="The manager's numbers for a period")
async def metrics(
    _principal: MetricsReader,
    service: MetricsDep,
    scope: ScopeDep,
    period: str | None = Query(
        default=None, min_length=1, max_length=40, description=PERIOD_DOC + " Default: ytd."
    ),
) -> Metrics:
    """Computed from the store on each call, with each figure's definition and its sources."""

    def run() -> Metrics:
        p = scope.period(service, period, "ytd")
        return service.metrics(p.start, p.end, scope.region, scope.team, scope.rep_id)

    return await run_in_threadpool(run)


@router.get(
    "/breakdown", response_model=MetricsRows, summary="The numbers per region, team, rep, month or quarter"
)
async def breakdown(
    _principal: MetricsReader,
    service: MetricsDep,
    scope: ScopeDep,
    by: Literal["region", "team", "rep", "month", "quarter"] = Query(default="region"),
    period: str | None = Query(
        default=None, min_length=1, max_length=40, description=PERIOD_DOC + " Default: ytd."
    ),
) -> MetricsRows:
    def run() -> MetricsRows:
        p = scope.period(service, period, "ytd")
        rows = service.breakdown(p.start, p.end, by, scope.region, scope.team, scope.rep_id)
        return MetricsRows(by=by, period=p, data=rows)

    return await run_in_threadpool(run)


@router.get("/trend", response_model=Trend, summary="Monthly trend of the numbers")
async def trend(
    _principal: MetricsReader,
    service: MetricsDep,
    scope: ScopeDep,
    period: str | None = Query(
        default=None, min_length=1, max_length=40, description=PERIOD_DOC + " Default: this year."
    ),
) -> Trend:
    """One point per month, flat (ready for a line chart)."""

    def run() -> Trend:
        p = scope.period(service, period, "this year")
        rows = service.breakdown(p.start, p.end, "month", scope.region, scope.team, scope.rep_id)
        points = [
            TrendPoint(
                period=row.key,
                open_escalations=len(row.metrics.open_escalations),
                **{k: getattr(row.metrics, k) for k in TREND_KEYS},
            )
            for row in rows
        ]
        return Trend(period=p, data=points)

    return await run_in_threadpool(run)
