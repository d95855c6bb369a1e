"""Typed extractors: money, percentages, counts, dates and periods as people write them.

120万, 1.2M, ¥1,000,000 and "1.5 million" are all amounts; 3% and 百分之三 are percentages;
2026年Q3, Q3 2026, 三季度, last month and 上个月 are periods resolved against `today` (the
demo clock), never against the machine's date.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

_CN_DIGITS = {
    "零": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
    "十": 10,
}
_UNITS = {"万": 10_000, "亿": 100_000_000, "千": 1_000, "k": 1_000, "m": 1_000_000, "million": 1_000_000}
_MONEY = re.compile(
    r"(?:¥|￥|rmb\s*|cny\s*)?(\d+(?:,\d{3})*(?:\.\d+)?)\s*(万|亿|千|million|m\b|k\b)?\s*(元|块|cny|rmb|yuan)?",
    re.IGNORECASE,
)
_PCT = re.compile(r"(\d+(?:\.\d+)?)\s*(%|％|percent|个点)", re.IGNORECASE)
_PCT_CN = re.compile(r"百分之([零一二两三四五六七八九十]+|\d+(?:\.\d+)?)")
_YEAR_Q = re.compile(r"(20\d\d)\s*年?\s*(?:第)?\s*[qQ]([1-4])|[qQ]([1-4])\s*(?:of\s*)?(20\d\d)")
_Q_CN = re.compile(r"(?:(20\d\d)\s*年)?\s*第?([一二三四1-4])季度")
_Q_ONLY = re.compile(r"\b[qQ]([1-4])\b")
_ISO_DATE = re.compile(r"(20\d\d)[-/.年](\d{1,2})[-/.月](\d{1,2})日?")
_YEAR_MONTH = re.compile(r"(20\d\d)\s*年\s*(\d{1,2})\s*月|(20\d\d)-(\d{1,2})(?!\d|-)")
_YEAR = re.compile(r"(20\d\d)\s*年?(?![-/.\d])")
_LAST_DAYS = re.compile(r"(?:last|past|最近|近|过去)\s*(\d+)\s*(?:days|天|日)", re.IGNORECASE)
_INT = re.compile(r"(?:top|前)\s*(\d+|[一二两三四五六七八九十])", re.IGNORECASE)


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date  # inclusive
    label: str

    @property
    def quarter(self) -> str | None:
        if (
            self.start.day == 1
            and (self.start.month - 1) % 3 == 0
            and (self.end - self.start).days in range(88, 93)
        ):
            return f"{self.start.year}-Q{(self.start.month - 1) // 3 + 1}"
        return None


def _cn_number(text: str) -> float:
    if re.fullmatch(r"\d+(?:\.\d+)?", text):
        return float(text)
    if text in _CN_DIGITS:
        return float(_CN_DIGITS[text])
    if text.startswith("十"):
        return 10 + float(_CN_DIGITS.get(text[1:], 0))
    if "十" in text:
        tens, _, ones = text.partition("十")
        return _CN_DIGITS.get(tens, 0) * 10 + float(_CN_DIGITS.get(ones, 0))
    return 0.0


def amounts(text: str) -> list[float]:
    """Money amounts in CNY; bare small numbers without a unit or currency are not amounts."""
    out: list[float] = []
    for m in _MONEY.finditer(text):
        number, unit, currency = m.group(1), m.group(2), m.group(3)
        prefix = m.group(0)[:1] in "¥￥" or m.group(0).lower().startswith(("rmb", "cny"))
        value = float(number.replace(",", ""))
        if unit:
            value *= _UNITS[unit.lower()]
        elif not (currency or prefix) and value < 1000:
            continue
        end = m.end()
        if text[end : end + 1] in {"%", "％"} or re.match(
            r"\s*(年|月|日|天|days|units|台|支|个|件|盒)", text[end:]
        ):
            continue
        if re.fullmatch(r"20\d\d", number) and not (unit or currency or prefix):
            continue  # a year
        out.append(value)
    return out


def percentages(text: str) -> list[float]:
    found = [float(m.group(1)) for m in _PCT.finditer(text)]
    found += [_cn_number(m.group(1)) for m in _PCT_CN.finditer(text)]
    return found


def top_n(text: str) -> int | None:
    m = _INT.search(text)
    return int(_cn_number(m.group(1))) if m else None


def _quarter(year: int, q: int) -> Period:
    start = dt.date(year, 3 * q - 2, 1)
    end = (dt.date(year + (q == 4), (3 * q) % 12 + 1, 1)) - dt.timedelta(days=1)
    return Period(start, end, f"{year}-Q{q}")


def _month(year: int, month: int) -> Period:
    start = dt.date(year, month, 1)
    nxt = dt.date(year + (month == 12), month % 12 + 1, 1)
    return Period(start, nxt - dt.timedelta(days=1), f"{year}-{month:02d}")


_RELATIVE: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"上个?月|last month|previous month", re.I), "last_month"),
    (re.compile(r"本月|这个月|当月|this month", re.I), "this_month"),
    (re.compile(r"上个?季度|上一季度|last quarter|previous quarter", re.I), "last_quarter"),
    (re.compile(r"本季度|这个季度|this quarter", re.I), "this_quarter"),
    (re.compile(r"去年|last year", re.I), "last_year"),
    (re.compile(r"今年|本年|this year|year to date|ytd", re.I), "this_year"),
    (re.compile(r"上周|last week", re.I), "last_week"),
    (re.compile(r"本周|这周|this week", re.I), "this_week"),
    (re.compile(r"今天|today", re.I), "today"),
]


def _relative(kind: str, today: dt.date) -> Period:
    q = (today.month - 1) // 3 + 1
    if kind == "last_month":
        first = today.replace(day=1) - dt.timedelta(days=1)
        return _month(first.year, first.month)
    if kind == "this_month":
        return _month(today.year, today.month)
    if kind == "last_quarter":
        return _quarter(today.year - (q == 1), 4 if q == 1 else q - 1)
    if kind == "this_quarter":
        return _quarter(today.year, q)
    if kind == "last_year":
        return Period(dt.date(today.year - 1, 1, 1), dt.date(today.year - 1, 12, 31), str(today.year - 1))
    if kind == "this_year":
        return Period(dt.date(today.year, 1, 1), today, str(today.year))
    if kind == "last_week":
        monday = today - dt.timedelta(days=today.weekday() + 7)
        return Period(monday, monday + dt.timedelta(days=6), f"week of {monday}")
    if kind == "this_week":
        monday = today - dt.timedelta(days=today.weekday())
        return Period(monday, today, f"week of {monday}")
    return Period(today, today, today.isoformat())


def periods(text: str, today: dt.date) -> list[Period]:
    """Every period named in the text, most specific first (a date, a month, a quarter, a year)."""
    out: list[Period] = []
    for m in _ISO_DATE.finditer(text):
        try:
            day = dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:
            continue
        out.append(Period(day, day, day.isoformat()))
    for m in _YEAR_Q.finditer(text):
        year, q = (m.group(1), m.group(2)) if m.group(1) else (m.group(4), m.group(3))
        out.append(_quarter(int(year), int(q)))
    for m in _Q_CN.finditer(text):
        out.append(_quarter(int(m.group(1) or today.year), int(_cn_number(m.group(2)))))
    if not any(p.quarter for p in out):
        for m in _Q_ONLY.finditer(text):
            out.append(_quarter(today.year, int(m.group(1))))
    for m in _YEAR_MONTH.finditer(text):
        year, month = (m.group(1), m.group(2)) if m.group(1) else (m.group(3), m.group(4))
        if 1 <= int(month) <= 12:
            out.append(_month(int(year), int(month)))
    for m in _LAST_DAYS.finditer(text):
        days = int(m.group(1))
        out.append(Period(today - dt.timedelta(days=days - 1), today, f"last {days} days"))
    for pattern, kind in _RELATIVE:
        if pattern.search(text):
            out.append(_relative(kind, today))
    if not out:
        for m in _YEAR.finditer(text):
            year = int(m.group(1))
            out.append(Period(dt.date(year, 1, 1), dt.date(year, 12, 31), str(year)))
    return out
