"""Parse the periods managers type ("2026-Q3", "2026年11月", "上个月", "last quarter") into dates.

Relative periods resolve against the service's `today` (pinned to 2026-11-30 in the demo), so
"上季度" is always 2026-Q3 in evals. Unknown text raises `PeriodError` rather than silently
defaulting to "everything", because a wrong window gives a confidently wrong figure.
"""

from __future__ import annotations

import datetime as dt
import re

from pydantic import BaseModel

_ZH_NUM = {"一": 1, "二": 2, "三": 3, "四": 4, "1": 1, "2": 2, "3": 3, "4": 4}


class PeriodError(ValueError):
    """The text is not a period we understand."""


class Period(BaseModel):
    start: dt.date
    end: dt.date  # inclusive
    label: str

    def contains(self, day: dt.date) -> bool:
        return self.start <= day <= self.end


def month_end(year: int, month: int) -> dt.date:
    nxt = dt.date(year + (month == 12), month % 12 + 1, 1)
    return nxt - dt.timedelta(days=1)


def month(year: int, m: int) -> Period:
    if not 1 <= m <= 12:
        raise PeriodError(f"no month {m}")
    return Period(start=dt.date(year, m, 1), end=month_end(year, m), label=f"{year}-{m:02d}")


def quarter(year: int, q: int) -> Period:
    if not 1 <= q <= 4:
        raise PeriodError(f"no quarter {q}")
    first = 3 * (q - 1) + 1
    return Period(start=dt.date(year, first, 1), end=month_end(year, first + 2), label=f"{year}-Q{q}")


def year(y: int) -> Period:
    return Period(start=dt.date(y, 1, 1), end=dt.date(y, 12, 31), label=str(y))


def _shift_month(day: dt.date, months: int) -> tuple[int, int]:
    index = day.year * 12 + day.month - 1 + months
    return index // 12, index % 12 + 1


_RELATIVE = {
    "this month": ("month", 0),
    "本月": ("month", 0),
    "这个月": ("month", 0),
    "当月": ("month", 0),
    "last month": ("month", -1),
    "previous month": ("month", -1),
    "上个月": ("month", -1),
    "上月": ("month", -1),
    "this quarter": ("quarter", 0),
    "本季度": ("quarter", 0),
    "这个季度": ("quarter", 0),
    "当季": ("quarter", 0),
    "last quarter": ("quarter", -1),
    "previous quarter": ("quarter", -1),
    "上季度": ("quarter", -1),
    "上个季度": ("quarter", -1),
    "上一季度": ("quarter", -1),
    "this year": ("year", 0),
    "今年": ("year", 0),
    "本年": ("year", 0),
    "last year": ("year", -1),
    "去年": ("year", -1),
    "ytd": ("ytd", 0),
    "year to date": ("ytd", 0),
    "年初至今": ("ytd", 0),
    "今年以来": ("ytd", 0),
}


def _relative(kind: str, offset: int, today: dt.date) -> Period:
    if kind == "month":
        return month(*_shift_month(today, offset))
    if kind == "quarter":
        y, m = _shift_month(today, 3 * offset)
        return quarter(y, (m - 1) // 3 + 1)
    if kind == "year":
        return year(today.year + offset)
    return Period(start=dt.date(today.year, 1, 1), end=today, label=f"{today.year} YTD")


def parse_period(text: str, today: dt.date) -> Period:
    """A period from text; see the module docstring for the forms accepted."""
    raw = text.strip()
    t = re.sub(r"\s+", " ", raw.casefold())
    if not t:
        raise PeriodError("empty period")
    for phrase in sorted(_RELATIVE, key=len, reverse=True):
        if t == phrase or t == phrase.replace(" ", ""):
            return _relative(*_RELATIVE[phrase], today)
    if m := re.fullmatch(r"(?:last|past|最近|近|过去)\s*(\d{1,3})\s*(?:days?|天|日)", t):
        days = int(m.group(1))
        return Period(start=today - dt.timedelta(days=days - 1), end=today, label=f"last {days} days")
    if m := re.fullmatch(r"(\d{4})\s*[-/ ]?\s*q([1-4])", t) or re.fullmatch(
        r"q([1-4])\s*[-/ ]?\s*(\d{4})", t
    ):
        a, b = m.groups()
        return quarter(int(a), int(b)) if len(a) == 4 else quarter(int(b), int(a))
    if m := re.fullmatch(r"(?:(\d{4})\s*年\s*)?第?([一二三四1-4])\s*季度?", t):
        return quarter(int(m.group(1) or today.year), _ZH_NUM[m.group(2)])
    if m := re.fullmatch(r"q([1-4])", t):
        return quarter(today.year, int(m.group(1)))
    if m := re.fullmatch(r"(\d{4})[-/.](\d{1,2})", t) or re.fullmatch(
        r"(\d{4})\s*年\s*(\d{1,2})\s*月(?:份)?", t
    ):
        return month(int(m.group(1)), int(m.group(2)))
    if m := re.fullmatch(r"(\d{1,2})\s*月(?:份)?", t):
        return month(today.year, int(m.group(1)))
    if m := re.fullmatch(r"(\d{4})\s*年?", t):
        return year(int(m.group(1)))
    if m := re.fullmatch(r"(\d{4}-\d{2}-\d{2})\s*(?:\.\.|~|to|至|到|—|–)\s*(\d{4}-\d{2}-\d{2})", t):
        start, end = dt.date.fromisoformat(m.group(1)), dt.date.fromisoformat(m.group(2))
        if end < start:
            raise PeriodError(f"period ends before it starts: {raw!r}")
        return Period(start=start, end=end, label=f"{start}..{end}")
    raise PeriodError(
        f"unknown period {raw!r}; use e.g. 2026-Q3, 2026-11, 2026, last month / 上个月, last quarter / 上季度"
    )
