"""Contracts (with lines, gifts, attachments), orders, prepayments and rebate programmes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from knowledge.store.models import Contract, Customer, Order, Prepayment, RebateProgramme

_FULL = (selectinload(Contract.lines), selectinload(Contract.gifts), selectinload(Contract.attachments))


def get_contract(session: Session, contract_id: str) -> Contract | None:
    """A contract with its lines, gifts and attachments loaded."""
    return session.scalars(select(Contract).options(*_FULL).where(Contract.id == contract_id)).first()


def list_contracts(
    session: Session,
    *,
    customer_id: str | None = None,
    province: str | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
) -> list[Contract]:
    """Contracts signed in [start, end] (inclusive), with lines, gifts and attachments."""
    stmt = select(Contract).options(*_FULL).order_by(Contract.signed_on, Contract.id)
    if customer_id is not None:
        stmt = stmt.where(Contract.customer_id == customer_id)
    if province is not None:
        stmt = stmt.join(Customer, Customer.id == Contract.customer_id).where(Customer.province == province)
    if start is not None:
        stmt = stmt.where(Contract.signed_on >= start)
    if end is not None:
        stmt = stmt.where(Contract.signed_on <= end)
    return list(session.scalars(stmt))


def list_orders(
    session: Session,
    *,
    customer_ids: Sequence[str] | None = None,
    province: str | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
) -> list[Order]:
    """Orders dated in [start, end] (inclusive)."""
    stmt = select(Order).order_by(Order.order_date, Order.id)
    if customer_ids is not None:
        stmt = stmt.where(Order.customer_id.in_(list(customer_ids)))
    if province is not None:
        stmt = stmt.where(Order.province == province)
    if start is not None:
        stmt = stmt.where(Order.order_date >= start)
    if end is not None:
        stmt = stmt.where(Order.order_date <= end)
    return list(session.scalars(stmt))


def get_orders(session: Session, order_ids: Sequence[str]) -> list[Order]:
    return list(session.scalars(select(Order).where(Order.id.in_(list(order_ids))).order_by(Order.id)))


def list_prepayments(
    session: Session,
    *,
    province: str | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
) -> list[Prepayment]:
    stmt = select(Prepayment).order_by(Prepayment.paid_on, Prepayment.id)
    if province is not None:
        stmt = stmt.where(Prepayment.province == province)
    if start is not None:
        stmt = stmt.where(Prepayment.paid_on >= start)
    if end is not None:
        stmt = stmt.where(Prepayment.paid_on <= end)
    return list(session.scalars(stmt))


def rebate_programmes(
    session: Session, *, customer_id: str | None = None, year: int | None = None
) -> list[RebateProgramme]:
    stmt = select(RebateProgramme).order_by(RebateProgramme.year, RebateProgramme.id)
    if customer_id is not None:
        stmt = stmt.where(RebateProgramme.customer_id == customer_id)
    if year is not None:
        stmt = stmt.where(RebateProgramme.year == year)
    return list(session.scalars(stmt))
