"""Contracts (lines, gifts, attachments), orders, rebate programmes and prepayments."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from knowledge.store.base import Base


class Contract(Base):
    __tablename__ = "contracts"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    customer_id: Mapped[str] = mapped_column(ForeignKey("customers.id"), index=True)
    rep_id: Mapped[str | None] = mapped_column(ForeignKey("people.id"), default=None)
    signed_on: Mapped[dt.date] = mapped_column(index=True)
    total_amount: Mapped[Decimal]
    currency: Mapped[str] = mapped_column(String(3), default="CNY")
    status: Mapped[str] = mapped_column(String(16), default="signed")

    lines: Mapped[list[ContractLine]] = relationship(
        back_populates="contract", cascade="all, delete-orphan", order_by="ContractLine.id"
    )
    gifts: Mapped[list[ContractGift]] = relationship(
        back_populates="contract", cascade="all, delete-orphan", order_by="ContractGift.id"
    )
    attachments: Mapped[list[ContractAttachment]] = relationship(
        back_populates="contract", cascade="all, delete-orphan", order_by="ContractAttachment.id"
    )


class ContractLine(Base):
    __tablename__ = "contract_lines"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    contract_id: Mapped[str] = mapped_column(ForeignKey("contracts.id", ondelete="CASCADE"), index=True)
    product_id: Mapped[str] = mapped_column(ForeignKey("products.id"))
    quantity: Mapped[int]
    unit_price: Mapped[Decimal]
    contract: Mapped[Contract] = relationship(back_populates="lines")


class ContractGift(Base):
    """A gift entry as written on the contract; `value` is the entry's total CNY value."""

    __tablename__ = "contract_gifts"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    contract_id: Mapped[str] = mapped_column(ForeignKey("contracts.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(128))
    value: Mapped[Decimal]
    contract: Mapped[Contract] = relationship(back_populates="gifts")


class ContractAttachment(Base):
    __tablename__ = "contract_attachments"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    contract_id: Mapped[str] = mapped_column(ForeignKey("contracts.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(64))  # e.g. compliance_declaration
    filename: Mapped[str] = mapped_column(String(256), default="")
    contract: Mapped[Contract] = relationship(back_populates="attachments")


class Order(Base):
    __tablename__ = "orders"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    customer_id: Mapped[str] = mapped_column(ForeignKey("customers.id"), index=True)
    contract_id: Mapped[str | None] = mapped_column(ForeignKey("contracts.id"), default=None)
    product_id: Mapped[str] = mapped_column(ForeignKey("products.id"))
    order_date: Mapped[dt.date] = mapped_column(index=True)
    quantity: Mapped[int]
    amount: Mapped[Decimal]
    province: Mapped[str] = mapped_column(ForeignKey("provinces.code"), index=True)
    rep_id: Mapped[str | None] = mapped_column(ForeignKey("people.id"), default=None)


class RebateProgramme(Base):
    """An annual-volume rebate: `rate` paid when a customer's year orders reach `threshold`."""

    __tablename__ = "rebate_programmes"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    customer_id: Mapped[str] = mapped_column(ForeignKey("customers.id"), index=True)
    year: Mapped[int]
    threshold_amount: Mapped[Decimal]
    rate_pct: Mapped[Decimal]
    claimed_amount: Mapped[Decimal | None] = mapped_column(default=None)
    claimed_volume: Mapped[Decimal | None] = mapped_column(default=None)
    claimed_order_ids: Mapped[list[str]] = mapped_column(default=list)
    status: Mapped[str] = mapped_column(String(16), default="claimed")


class Prepayment(Base):
    __tablename__ = "prepayments"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    customer_id: Mapped[str] = mapped_column(ForeignKey("customers.id"), index=True)
    province: Mapped[str] = mapped_column(ForeignKey("provinces.code"), index=True)
    amount: Mapped[Decimal]
    paid_on: Mapped[dt.date] = mapped_column(index=True)
    rep_id: Mapped[str | None] = mapped_column(ForeignKey("people.id"), default=None)
