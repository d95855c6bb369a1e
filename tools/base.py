"""What every store-backed service shares: its session factory, its `today`, entity look-ups.

Services receive the clock as a constructor argument (never `date.today()`), so "in force",
"last quarter" and "recent" are reproducible in tests and evals pinned to the demo date.
Look-ups accept an id (any case) or an exact name / alias, and raise `NotFoundError` with the
closest ids so the caller can ask back instead of guessing.
"""

from __future__ import annotations

import datetime as dt
import difflib
from decimal import Decimal
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from knowledge.store.db import SessionFactory
from knowledge.store.models import Customer, Person, Product, Province, Warehouse
from tools.common import NotFoundError, Principal, Role, Source

T = TypeVar("T")


class StoreService:
    """Base of the services that read the store."""

    def __init__(self, session_factory: SessionFactory, today: dt.date) -> None:
        self.session_factory = session_factory
        self.today = today


def record(table: str, key: object, title: str = "", detail: str = "") -> Source:
    """A `Source` pointing at one store record."""
    return Source(kind="record", ref=table, id=str(key), title=title, detail=detail)


def dedupe_sources(sources: list[Source]) -> list[Source]:
    """Keep the first occurrence of each record/chunk, preserving order."""
    seen: set[str] = set()
    out: list[Source] = []
    for src in sources:
        if src.key not in seen:
            seen.add(src.key)
            out.append(src)
    return out


def fmt_money(value: Decimal | float | int) -> str:
    """6800 -> '6,800'; 1150.5 -> '1,150.50' (cents only when there are any)."""
    dec = Decimal(str(value))
    if dec == dec.to_integral_value():
        return f"{int(dec):,}"
    return f"{dec:,.2f}"


def norm(text: str) -> str:
    return "".join(text.split()).casefold()


def _names(row: Any) -> list[str]:
    names = [str(row.id)] if hasattr(row, "id") else []
    for attr in ("code", "name_zh", "name_en"):
        value = getattr(row, attr, None)
        if value:
            names.append(str(value))
    names.extend(getattr(row, "aliases", None) or [])
    return names


def resolve(session: Session, model: type[T], kind: str, query: str) -> T:
    """Find one row by primary key, else by an exact (space/case-insensitive) name or alias."""
    key = query.strip()
    row = session.get(model, key) or session.get(model, key.upper())
    if row is not None:
        return row
    rows = list(session.execute(select(model)).scalars())
    wanted = norm(key)
    for candidate in rows:
        if any(norm(name) == wanted for name in _names(candidate)):
            return candidate
    ids = [_names(r)[0] for r in rows]
    labels = {name: _names(r)[0] for r in rows for name in _names(r)}
    close = difflib.get_close_matches(key, list(labels), n=3, cutoff=0.4)
    suggestions = list(dict.fromkeys(labels[c] for c in close)) or ids[:3]
    raise NotFoundError(kind, query, suggestions)


def get_product(session: Session, query: str) -> Product:
    return resolve(session, Product, "product", query)


def get_customer(session: Session, query: str) -> Customer:
    return resolve(session, Customer, "customer", query)


def get_warehouse(session: Session, query: str) -> Warehouse:
    return resolve(session, Warehouse, "warehouse", query)


def get_person(session: Session, query: str) -> Person:
    return resolve(session, Person, "person", query)


def get_province(session: Session, query: str) -> Province:
    """A province by code (ZJ), Chinese name (浙江 / 浙江省) or English name (Zhejiang)."""
    text = query.strip()
    if text.endswith("省") or text.endswith("市"):
        text = text[:-1]
    return resolve(session, Province, "province", text)


class AccessDeniedError(PermissionError):
    """The caller may not see this record (e.g. a rep asking about another rep's hospital)."""

    def __init__(self, kind: str, key: str, actor: str) -> None:
        self.kind = kind
        self.key = key
        self.actor = actor
        super().__init__(f"{actor} may not see {kind} {key}")


def can_see_customer(principal: Principal, customer: Customer) -> bool:
    """A rep sees only their own hospitals; other roles see what their key's scope allows."""
    if not principal.can_see_customer(customer.id):
        return False
    if principal.role == Role.REP and principal.customer_ids is None and principal.person_id:
        return customer.rep_id == principal.person_id
    return True
