"""The clock work items are stamped with: the service's `today` at the current time of day.

With `today` pinned (demos, evals: 2026-11-30) a visit recorded now still lands on the demo date,
so "this month" questions see it; unpinned, this is simply the current instant. Times are UTC.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from zoneinfo import ZoneInfo

BUSINESS_TZ = ZoneInfo("Asia/Shanghai")

Clock = Callable[[], dt.datetime]


def clock_on(today: dt.date) -> Clock:
    """A clock that reads the current Shanghai time of day on `today`, returned in UTC."""

    def now() -> dt.datetime:
        local = dt.datetime.now(BUSINESS_TZ)
        return dt.datetime.combine(today, local.timetz()).astimezone(dt.UTC)

    return now


def as_utc(value: dt.datetime) -> dt.datetime:
    """SQLite hands back naive datetimes; the store writes UTC."""
    return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


def day_bounds(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """[start 00:00, end+1 00:00) in Shanghai, as UTC instants."""
    lo = dt.datetime.combine(start, dt.time(), BUSINESS_TZ).astimezone(dt.UTC)
    hi = dt.datetime.combine(end + dt.timedelta(days=1), dt.time(), BUSINESS_TZ).astimezone(dt.UTC)
    return lo, hi
