"""Field types stricter than pydantic's defaults, where lax coercion would accept wrong input.

Pydantic turns an integer into a date (a Unix timestamp) and `0` into `false`; an API that
documents `format: date` should refuse `signed_on: 0` rather than sign a contract in 1970.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _iso_date(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str) or not _ISO_DATE.match(value):
        raise ValueError("expected a date as YYYY-MM-DD")
    return value


IsoDate = Annotated[dt.date, BeforeValidator(_iso_date)]


def _utc(value: dt.datetime) -> dt.datetime:
    """SQLite hands back naive datetimes; every stored timestamp is UTC, so say so (RFC 3339)."""
    return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


UtcDateTime = Annotated[dt.datetime, AfterValidator(_utc)]
