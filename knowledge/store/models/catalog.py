"""Products, warehouses, stock, provinces, alternative offers and the registered gift catalogue."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from knowledge.store.base import Base


class Product(Base):
    __tablename__ = "products"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    name_zh: Mapped[str] = mapped_column(String(128))
    name_en: Mapped[str] = mapped_column(String(128))
    category: Mapped[str] = mapped_column(String(128))
    list_price: Mapped[Decimal]
    nrdl_category: Mapped[str] = mapped_column(String(32))  # 甲类 / 乙类 / 丙类 (self-pay)
    safety_stock: Mapped[int]
    aliases: Mapped[list[str]] = mapped_column(default=list)


class Warehouse(Base):
    __tablename__ = "warehouses"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    name_zh: Mapped[str] = mapped_column(String(64))
    name_en: Mapped[str] = mapped_column(String(64))
    city: Mapped[str] = mapped_column(String(64))


class Province(Base):
    """A sales region; each is served by exactly one warehouse."""

    __tablename__ = "provinces"

    code: Mapped[str] = mapped_column(String(8), primary_key=True)  # ZJ, GD, SD, JS, SH
    name_zh: Mapped[str] = mapped_column(String(32), unique=True)
    name_en: Mapped[str] = mapped_column(String(32))
    warehouse_id: Mapped[str] = mapped_column(ForeignKey("warehouses.id"))
    audit_pilot: Mapped[bool] = mapped_column(default=False)


class Stock(Base):
    __tablename__ = "stock"

    warehouse_id: Mapped[str] = mapped_column(ForeignKey("warehouses.id"), primary_key=True)
    product_id: Mapped[str] = mapped_column(ForeignKey("products.id"), primary_key=True)
    on_hand: Mapped[int]
    on_order: Mapped[int] = mapped_column(default=0)


class AlternativeOffer(Base):
    """A substitute product combination for a product, in order of preference (rank 1 first)."""

    __tablename__ = "alternative_offers"

    id: Mapped[str] = mapped_column(String(48), primary_key=True)
    product_id: Mapped[str] = mapped_column(ForeignKey("products.id"), index=True)
    rank: Mapped[int]
    product_ids: Mapped[list[str]]
    label_zh: Mapped[str] = mapped_column(String(128))
    label_en: Mapped[str] = mapped_column(String(128))
    rationale_zh: Mapped[str] = mapped_column(String(512), default="")
    rationale_en: Mapped[str] = mapped_column(String(512), default="")


class GiftCatalogueItem(Base):
    __tablename__ = "gift_catalogue"

    id: Mapped[str] = mapped_column(String(16), primary_key=True)
    name_zh: Mapped[str] = mapped_column(String(128))
    name_en: Mapped[str] = mapped_column(String(128))
    unit_value: Mapped[Decimal]
