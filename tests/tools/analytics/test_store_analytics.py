"""Period parsing relative to the demo date, and aggregation by region / rep / period."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from knowledge.store.db import SessionFactory
from tools.analytics.periods import PeriodError, parse_period
from tools.analytics.store_analytics import StoreAnalyticsService
from tools.common import Principal, Role

TODAY = dt.date(2026, 11, 30)


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("2026-Q3", "2026-07-01", "2026-09-30"),
        ("Q3 2026", "2026-07-01", "2026-09-30"),
        ("2026年第三季度", "2026-07-01", "2026-09-30"),
        ("2026-11", "2026-11-01", "2026-11-30"),
        ("2026年2月", "2026-02-01", "2026-02-28"),
        ("last month", "2026-10-01", "2026-10-31"),
        ("上个月", "2026-10-01", "2026-10-31"),
        ("上季度", "2026-07-01", "2026-09-30"),
        ("last quarter", "2026-07-01", "2026-09-30"),
        ("本月", "2026-11-01", "2026-11-30"),
        ("去年", "2025-01-01", "2025-12-31"),
        ("2026", "2026-01-01", "2026-12-31"),
        ("最近30天", "2026-11-01", "2026-11-30"),
        ("2026-09-21..2026-09-30", "2026-09-21", "2026-09-30"),
    ],
)
def test_parse_period(text: str, start: str, end: str) -> None:
    p = parse_period(text, TODAY)
    assert (p.start.isoformat(), p.end.isoformat()) == (start, end)


def test_relative_periods_cross_year() -> None:
    assert parse_period("上个月", dt.date(2026, 1, 15)).label == "2025-12"
    assert parse_period("上季度", dt.date(2026, 2, 1)).label == "2025-Q4"


@pytest.mark.parametrize("text", ["", "someday", "2026-13", "2026-Q5"])
def test_parse_period_rejects(text: str) -> None:
    with pytest.raises(PeriodError):
        parse_period(text, TODAY)


def test_prepayments_by_region_and_day(mini_world: SessionFactory) -> None:
    svc = StoreAnalyticsService(mini_world, TODAY)
    res = svc.aggregate("prepayments", "region", "2026-Q3")
    assert [(r.key, r.count, r.amount) for r in res.rows] == [("GD", 10, Decimal(950_000))]
    assert res.total_count == 10 and len(res.sources) == 10
    late = svc.aggregate("prepayments", "day", "2026-09-21..2026-09-30", province="广东")
    assert late.total_count == 9 and late.rows[0].key == "2026-09-21"


def test_orders_by_rep_and_rep_scope(mini_world: SessionFactory) -> None:
    svc = StoreAnalyticsService(mini_world, TODAY)
    res = svc.aggregate("orders", "rep", "2026")
    assert res.rows[0].key == "P-ZW" and res.rows[0].amount == Decimal(795_000)
    assert res.total_amount == Decimal(1_097_000)
    mine = svc.aggregate("orders", "total", "2026", principal=Principal(role=Role.REP, person_id="P-LN"))
    assert mine.total_amount == Decimal(230_000) and mine.filters == {"rep_id": "P-LN"}
    visits = svc.aggregate("visits", "rep", "上个月")
    assert {r.key: r.count for r in visits.rows} == {"P-WQ": 1, "P-ZW": 1} and visits.total_amount is None
    with pytest.raises(ValueError):
        svc.aggregate("contracts", "product")
