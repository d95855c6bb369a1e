"""Typed coercion and idempotent bulk upsert of plain rows into store tables.

The demo loader and the file importers share this: rows arrive as strings (CSV) or JSON values,
are coerced by the column types of the target table, then inserted or updated by primary key in
a few bulk statements. A row identical to what is stored counts as unchanged and is not written,
which is what makes a second load a no-op.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    Integer,
    Numeric,
    Table,
    bindparam,
    select,
    text,
    tuple_,
)
from sqlalchemy.orm import Session
from sqlalchemy.types import JSON

_CHUNK = 500
_TRUE = {"1", "true", "yes", "y", "t", "是"}
_FALSE = {"0", "false", "no", "n", "f", "否"}


@dataclass
class TableCount:
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0

    @property
    def total(self) -> int:
        return self.inserted + self.updated + self.unchanged

    def as_dict(self) -> dict[str, int]:
        return {"inserted": self.inserted, "updated": self.updated, "unchanged": self.unchanged}


def coerce_value(column: Column[Any], value: Any) -> Any:
    """Turn a CSV string or JSON value into the Python type `column` stores; raises ValueError."""
    ctype = column.type
    if isinstance(value, str) and value.strip() == "" and not isinstance(ctype, JSON):
        if column.nullable:
            return None
        if ctype.python_type is str:
            return ""
        raise ValueError("a value is required")
    if value is None:
        if column.nullable or column.default is not None:
            return None
        raise ValueError("a value is required")
    if isinstance(ctype, JSON):
        if isinstance(value, str):
            if value.strip() == "":
                return None if column.nullable else []
            try:
                return json.loads(value)
            except json.JSONDecodeError as exc:
                raise ValueError(f"not valid JSON: {exc.msg}") from exc
        return value
    if isinstance(ctype, Boolean):
        if isinstance(value, bool):
            return value
        word = str(value).strip().lower()
        if word in _TRUE:
            return True
        if word in _FALSE:
            return False
        raise ValueError(f"not a yes/no value: {value!r}")
    if isinstance(ctype, Integer):
        if isinstance(value, bool):
            raise ValueError(f"not an integer: {value!r}")
        number = Decimal(str(value).strip().replace(",", ""))
        if number != number.to_integral_value():
            raise ValueError(f"not a whole number: {value!r}")
        return int(number)
    if isinstance(ctype, Numeric):
        try:
            return Decimal(str(value).strip().replace(",", ""))
        except InvalidOperation as exc:
            raise ValueError(f"not a number: {value!r}") from exc
    if isinstance(ctype, DateTime):
        stamp = value if isinstance(value, dt.datetime) else dt.datetime.fromisoformat(str(value).strip())
        # Stored in UTC: SQLite keeps no offset, so any other offset would come back shifted.
        return stamp.astimezone(dt.UTC) if stamp.tzinfo else stamp.replace(tzinfo=dt.UTC)
    if isinstance(ctype, Date):
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        return dt.date.fromisoformat(str(value).strip())
    return str(value).strip() if isinstance(value, str) else str(value)


def coerce_row(table: Table, raw: dict[str, Any]) -> dict[str, Any]:
    """Coerce every known column of `raw`; unknown keys are an error (a typo must not vanish)."""
    unknown = set(raw) - set(table.columns.keys())
    if unknown:
        raise ValueError(f"{table.name}: unknown columns {sorted(unknown)}")
    return {name: coerce_value(table.columns[name], value) for name, value in raw.items()}


def _comparable(value: Any) -> Any:
    if isinstance(value, Decimal | float) and not isinstance(value, bool):
        return Decimal(str(value)).normalize()
    if isinstance(value, dt.datetime):
        aware = value if value.tzinfo else value.replace(tzinfo=dt.UTC)
        return aware.astimezone(dt.UTC)
    return value


def _existing(session: Session, table: Table, pk: Sequence[str], keys: list[tuple[Any, ...]]) -> dict:
    found: dict[tuple[Any, ...], dict[str, Any]] = {}
    cols = [table.columns[c] for c in pk]
    for start in range(0, len(keys), _CHUNK):
        chunk = keys[start : start + _CHUNK]
        cond = cols[0].in_([k[0] for k in chunk]) if len(cols) == 1 else tuple_(*cols).in_(chunk)
        for row in session.execute(select(table).where(cond)).mappings():
            found[tuple(row[c] for c in pk)] = dict(row)
    return found


def upsert(session: Session, table: Table, rows: Iterable[dict[str, Any]]) -> TableCount:
    """Insert new rows and update changed ones by primary key, in bulk; returns the counts."""
    rows = list(rows)
    count = TableCount()
    if not rows:
        return count
    pk = [c.name for c in table.primary_key.columns]
    keys = [tuple(r[c] for c in pk) for r in rows]
    if len(set(keys)) != len(keys):
        raise ValueError(f"{table.name}: duplicate primary keys in the input")
    stored = _existing(session, table, pk, keys)
    inserts: list[dict[str, Any]] = []
    updates: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    for key, row in zip(keys, rows, strict=True):
        old = stored.get(key)
        if old is None:
            inserts.append(row)
            continue
        changed = {c: v for c, v in row.items() if c not in pk and _comparable(old[c]) != _comparable(v)}
        if not changed:
            count.unchanged += 1
            continue
        count.updated += 1
        payload = {**changed, **{f"pk_{c}": v for c, v in zip(pk, key, strict=True)}}
        updates.setdefault(tuple(sorted(changed)), []).append(payload)
    if inserts:
        # Rows of one file share their keys; group anyway so executemany gets uniform parameters.
        by_shape: dict[tuple[str, ...], list[dict[str, Any]]] = {}
        for row in inserts:
            by_shape.setdefault(tuple(sorted(row)), []).append(row)
        for group in by_shape.values():
            session.execute(table.insert(), group)
        count.inserted = len(inserts)
    for cols, group in updates.items():
        stmt = table.update().values({c: bindparam(c) for c in cols})
        for c in pk:
            stmt = stmt.where(table.columns[c] == bindparam(f"pk_{c}"))
        session.execute(stmt, group)
    return count


def table_of(model: type[Any]) -> Table:
    """The Core table of a mapped class (typed, for bulk statements)."""
    table = model.__table__
    assert isinstance(table, Table)
    return table


def reset_sequences(session: Session, tables: Iterable[Table]) -> None:
    """After inserting explicit integer ids on PostgreSQL, move each serial past the largest id."""
    if session.get_bind().dialect.name != "postgresql":
        return
    for table in tables:
        pk = list(table.primary_key.columns)
        if len(pk) != 1 or not isinstance(pk[0].type, Integer) or pk[0].autoincrement is False:
            continue
        col = pk[0].name
        session.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence('{table.name}', '{col}'), "
                f"COALESCE((SELECT MAX({col}) FROM {table.name}), 0) + 1, false)"
            )
        )
