"""Competitors, VBP programmes and awards, and medical-insurance (NRDL) listings."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from knowledge.store.models import (
    Competitor,
    CompetitorProduct,
    CustomerCompetitor,
    InsurancePolicy,
    VbpAward,
    VbpProgramme,
)
from knowledge.store.repositories._match import matches


def list_competitors(session: Session) -> list[Competitor]:
    return list(session.scalars(select(Competitor).order_by(Competitor.id)))


def get_competitor_product(session: Session, product_id: str) -> CompetitorProduct | None:
    return session.get(CompetitorProduct, product_id)


def competitor_products(session: Session, *, against: str | None = None) -> list[CompetitorProduct]:
    """Competitor products, optionally only those positioned against one of our products."""
    stmt = select(CompetitorProduct).order_by(CompetitorProduct.id)
    if against is not None:
        stmt = stmt.where(CompetitorProduct.against_product_id == against)
    return list(session.scalars(stmt))


def find_competitor_product(session: Session, text: str) -> CompetitorProduct | None:
    for p in competitor_products(session):
        if matches(text, [p.id, p.name_zh, p.name_en, *p.aliases]):
            return p
    return None


def competitors_at_customer(
    session: Session, customer_id: str
) -> list[tuple[CustomerCompetitor, CompetitorProduct]]:
    """Competitor products in use at a hospital, largest share first."""
    stmt = (
        select(CustomerCompetitor, CompetitorProduct)
        .join(CompetitorProduct, CompetitorProduct.id == CustomerCompetitor.competitor_product_id)
        .where(CustomerCompetitor.customer_id == customer_id)
        .order_by(CustomerCompetitor.share_pct.desc(), CompetitorProduct.id)
    )
    return [(cc, cp) for cc, cp in session.execute(stmt).all()]


def covers(programme: VbpProgramme, province: str) -> bool:
    return "*" in programme.provinces or province in programme.provinces


def vbp_programmes(session: Session, *, province: str | None = None) -> list[VbpProgramme]:
    """Programmes, optionally only those whose scope includes a province (national = everywhere)."""
    rows = list(session.scalars(select(VbpProgramme).order_by(VbpProgramme.id)))
    return [p for p in rows if province is None or covers(p, province)]


def vbp_awards(
    session: Session,
    *,
    programme_id: str | None = None,
    product_id: str | None = None,
    competitor_product_id: str | None = None,
    province: str | None = None,
) -> list[tuple[VbpAward, VbpProgramme]]:
    """Awards (bids) with their programme; `province` keeps programmes that apply there."""
    stmt = select(VbpAward, VbpProgramme).join(VbpProgramme, VbpProgramme.id == VbpAward.programme_id)
    if programme_id is not None:
        stmt = stmt.where(VbpAward.programme_id == programme_id)
    if product_id is not None:
        stmt = stmt.where(VbpAward.product_id == product_id)
    if competitor_product_id is not None:
        stmt = stmt.where(VbpAward.competitor_product_id == competitor_product_id)
    rows = session.execute(stmt.order_by(VbpAward.id)).all()
    return [(a, p) for a, p in rows if province is None or covers(p, province)]


def caps_in_force(
    session: Session, product_id: str, province: str, on: dt.date
) -> list[tuple[VbpAward, VbpProgramme]]:
    """Our product's price caps that apply in a province on a date (empty: no cap in force)."""
    return [
        (a, p)
        for a, p in vbp_awards(session, product_id=product_id, province=province)
        if a.price_cap is not None and a.cap_effective_from is not None and a.cap_effective_from <= on
    ]


def insurance_policies(
    session: Session, *, product_id: str | None = None, province: str | None = None
) -> list[InsurancePolicy]:
    """NRDL listings; with `province`, the national ones plus that province's own."""
    stmt = select(InsurancePolicy).order_by(InsurancePolicy.product_id, InsurancePolicy.id)
    if product_id is not None:
        stmt = stmt.where(InsurancePolicy.product_id == product_id)
    if province is not None:
        stmt = stmt.where(or_(InsurancePolicy.province.is_(None), InsurancePolicy.province == province))
    return list(session.scalars(stmt))
