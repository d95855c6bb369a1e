"""Typed extractors: amounts, percentages, top-N and periods relative to the demo clock."""

from __future__ import annotations

import datetime as dt

import pytest

from copilot.llm.offline.extract import amounts, percentages, periods, top_n
from copilot.llm.offline.lang import detect

TODAY = dt.date(2026, 11, 30)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("合同总额120万，礼品3万", [1_200_000, 30_000]),
        ("1.2M contract with gifts of 36,000", [1_200_000, 36_000]),
        ("¥1,000,000 的合同", [1_000_000]),
        ("1.5 million", [1_500_000]),
        ("杭州仓 35 支 DCB", []),  # a count, not money
        ("2026年的订单", []),  # a year, not money
    ],
)
def test_amounts(text: str, expected: list[float]) -> None:
    assert amounts(text) == expected


def test_percentages_and_top_n() -> None:
    assert percentages("礼品占 3% 还是 4.5%") == [3.0, 4.5]
    assert percentages("百分之三") == [3.0]
    assert top_n("top 5 customers") == 5
    assert top_n("前三名") == 3


@pytest.mark.parametrize(
    ("text", "label", "start", "end"),
    [
        ("2026年Q3 广东预付款", "2026-Q3", "2026-07-01", "2026-09-30"),
        ("Q3 2026 prepayments", "2026-Q3", "2026-07-01", "2026-09-30"),
        ("三季度", "2026-Q3", "2026-07-01", "2026-09-30"),
        ("上个月的采纳率", "2026-10", "2026-10-01", "2026-10-31"),
        ("last quarter", "2026-Q3", "2026-07-01", "2026-09-30"),
        ("this month", "2026-11", "2026-11-01", "2026-11-30"),
        ("2025-12-29 的订单", "2025-12-29", "2025-12-29", "2025-12-29"),
        ("去年", "2025", "2025-01-01", "2025-12-31"),
    ],
)
def test_periods_resolve_against_today(text: str, label: str, start: str, end: str) -> None:
    first = periods(text, TODAY)[0]
    assert (first.label, first.start.isoformat(), first.end.isoformat()) == (label, start, end)


def test_language_detection() -> None:
    assert detect("杭州仓 DCB 还有多少库存？") == "zh"
    assert detect("How many RuiChang DCB in the Hangzhou warehouse?") == "en"
    assert detect("IVUS跟Medix呢") == "zh"
