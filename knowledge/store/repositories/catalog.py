"""Products, warehouses, provinces, stock, alternative offers and the gift catalogue."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from knowledge.store.models import AlternativeOffer, GiftCatalogueItem, Product, Province, Stock, Warehouse
from knowledge.store.repositories._match import matches


def get_product(session: Session, product_id: str) -> Product | None:
    return session.get(Product, product_id)


def list_products(session: Session) -> list[Product]:
    return list(session.scalars(select(Product).order_by(Product.id)))


def find_product(session: Session, text: str) -> Product | None:
    """A product by id, Chinese or English name or alias ("DCB", "瑞畅", "RuiChang")."""
    for p in list_products(session):
        if matches(text, [p.id, p.name_zh, p.name_en, *p.aliases]):
            return p
    return None


def list_warehouses(session: Session) -> list[Warehouse]:
    return list(session.scalars(select(Warehouse).order_by(Warehouse.id)))


def find_warehouse(session: Session, text: str) -> Warehouse | None:
    for w in list_warehouses(session):
        if matches(text, [w.id, w.name_zh, w.name_en]):
            return w
    return None


def list_provinces(session: Session) -> list[Province]:
    return list(session.scalars(select(Province).order_by(Province.code)))


def get_province(session: Session, text: str) -> Province | None:
    """A province by code (ZJ), Chinese (浙江 / 浙江省) or English name."""
    for p in list_provinces(session):
        if matches(text, [p.code, p.name_zh, p.name_zh + "省", p.name_zh + "市", p.name_en]):
            return p
    return None


def warehouse_for_province(session: Session, province: str) -> Warehouse | None:
    """The warehouse that serves a province (each province has exactly one)."""
    prov = session.get(Province, province)
    return session.get(Warehouse, prov.warehouse_id) if prov else None


def stock_levels(
    session: Session, *, warehouse_id: str | None = None, product_id: str | None = None
) -> list[Stock]:
    stmt = select(Stock).order_by(Stock.warehouse_id, Stock.product_id)
    if warehouse_id is not None:
        stmt = stmt.where(Stock.warehouse_id == warehouse_id)
    if product_id is not None:
        stmt = stmt.where(Stock.product_id == product_id)
    return list(session.scalars(stmt))


def get_stock(session: Session, warehouse_id: str, product_id: str) -> Stock | None:
    return session.get(Stock, (warehouse_id, product_id))


def alternative_offers(session: Session, product_id: str) -> list[AlternativeOffer]:
    """Substitute combinations for a product, most preferred (rank 1) first."""
    stmt = select(AlternativeOffer).where(AlternativeOffer.product_id == product_id)
    return list(session.scalars(stmt.order_by(AlternativeOffer.rank)))


def gift_catalogue(session: Session) -> list[GiftCatalogueItem]:
    return list(session.scalars(select(GiftCatalogueItem).order_by(GiftCatalogueItem.id)))
