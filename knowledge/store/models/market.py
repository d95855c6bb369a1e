"""Market access (NRDL categories, VBP programmes and awards) and competitors."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from knowledge.store.base import Base


class InsurancePolicy(Base):
    """Medical-insurance (NRDL) listing of a product; province NULL means national."""

    __tablename__ = "insurance_policies"

    id: Mapped[str] = mapped_column(String(48), primary_key=True)
    product_id: Mapped[str] = mapped_column(ForeignKey("products.id"), index=True)
    province: Mapped[str | None] = mapped_column(ForeignKey("provinces.code"), default=None)
    category: Mapped[str] = mapped_column(String(16))  # 甲类 / 乙类 / 丙类
    effective_from: Mapped[dt.date]
    note: Mapped[str] = mapped_column(String(512), default="")


class VbpProgramme(Base):
    """A volume-based procurement (集采) programme and the stage it has reached."""

    __tablename__ = "vbp_programmes"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    name_zh: Mapped[str] = mapped_column(String(128))
    name_en: Mapped[str] = mapped_column(String(128))
    scope: Mapped[str] = mapped_column(String(16))  # national / alliance / provincial
    lead_province: Mapped[str | None] = mapped_column(String(8), default=None)
    provinces: Mapped[list[str]]  # province codes covered; ["*"] = every province
    member_count: Mapped[int] = mapped_column(default=0)
    stage: Mapped[str] = mapped_column(String(32))  # 报量 / 中选公示 / 执行中
    stage_en: Mapped[str] = mapped_column(String(64))
    execution_start: Mapped[dt.date | None] = mapped_column(default=None)
    note: Mapped[str] = mapped_column(String(512), default="")


class VbpAward(Base):
    """One bid in a programme: ours (product_id) or a competitor's (competitor_product_id)."""

    __tablename__ = "vbp_awards"

    id: Mapped[str] = mapped_column(String(48), primary_key=True)
    programme_id: Mapped[str] = mapped_column(ForeignKey("vbp_programmes.id"), index=True)
    product_id: Mapped[str | None] = mapped_column(ForeignKey("products.id"), default=None)
    competitor_product_id: Mapped[str | None] = mapped_column(
        ForeignKey("competitor_products.id"), default=None
    )
    bid_price: Mapped[Decimal | None] = mapped_column(default=None)
    won: Mapped[bool | None] = mapped_column(default=None)  # None: no award yet
    price_cap: Mapped[Decimal | None] = mapped_column(default=None)
    cap_effective_from: Mapped[dt.date | None] = mapped_column(default=None)


class Competitor(Base):
    __tablename__ = "competitors"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    name_zh: Mapped[str] = mapped_column(String(128))
    name_en: Mapped[str] = mapped_column(String(128))
    origin: Mapped[str] = mapped_column(String(16))  # domestic / imported
    aliases: Mapped[list[str]] = mapped_column(default=list)


class CompetitorProduct(Base):
    __tablename__ = "competitor_products"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    competitor_id: Mapped[str] = mapped_column(ForeignKey("competitors.id"))
    name_zh: Mapped[str] = mapped_column(String(128))
    name_en: Mapped[str] = mapped_column(String(128))
    against_product_id: Mapped[str] = mapped_column(ForeignKey("products.id"), index=True)
    terminal_price: Mapped[Decimal]
    note_zh: Mapped[str] = mapped_column(String(512), default="")
    note_en: Mapped[str] = mapped_column(String(512), default="")
    aliases: Mapped[list[str]] = mapped_column(default=list)


class CustomerCompetitor(Base):
    """A competitor product in use at a hospital (from visit notes and tenders)."""

    __tablename__ = "customer_competitors"

    customer_id: Mapped[str] = mapped_column(ForeignKey("customers.id"), primary_key=True)
    competitor_product_id: Mapped[str] = mapped_column(ForeignKey("competitor_products.id"), primary_key=True)
    share_pct: Mapped[int | None] = mapped_column(default=None)
    note: Mapped[str] = mapped_column(String(256), default="")
