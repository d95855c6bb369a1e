"""Builds a visit's context from the store: what decides which 3 questions the rep is asked."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from knowledge.store.models import (
    BattlePack,
    Customer,
    FeedbackAnswer,
    Product,
    Province,
    Stock,
    VbpAward,
    VbpProgramme,
)
from tools.feedback.bank import VisitContext
from tools.workbench.clock import as_utc

BATTLE_PACK_OPEN_DAYS = 30
_SCOPE_RANK = {"provincial": 0, "alliance": 1, "national": 2}
LOST = "未中选"


def vbp_stage(session: Session, product_id: str, province: str) -> str:
    """The stage of the most specific VBP covering the product in the province ("none" if none).

    A bid that was not awarded reads as "未中选" (lost), which matters more to the rep than the
    programme's own stage.
    """
    rows = session.execute(
        select(VbpProgramme, VbpAward)
        .join(VbpAward, VbpAward.programme_id == VbpProgramme.id)
        .where(VbpAward.product_id == product_id)
    ).all()
    covering = [(prog, award) for prog, award in rows if "*" in prog.provinces or province in prog.provinces]
    if not covering:
        return "none"
    prog, award = min(covering, key=lambda pa: (_SCOPE_RANK.get(pa[0].scope, 3), pa[0].id))
    return LOST if award.won is False else prog.stage


def stock_short(session: Session, product_id: str, province: str) -> bool:
    """True when the warehouse serving the province holds less than the product's safety stock."""
    prov = session.get(Province, province)
    product = session.get(Product, product_id)
    if prov is None or product is None:
        return False
    stock = session.get(Stock, (prov.warehouse_id, product_id))
    on_hand = stock.on_hand if stock is not None else 0
    return on_hand < product.safety_stock


def battle_pack_open(session: Session, customer_id: str, product_id: str | None, visit_date: dt.date) -> bool:
    query = select(BattlePack.id).where(
        BattlePack.customer_id == customer_id,
        BattlePack.pack_date <= visit_date,
        BattlePack.pack_date >= visit_date - dt.timedelta(days=BATTLE_PACK_OPEN_DAYS),
    )
    if product_id is not None:
        query = query.where(BattlePack.product_id == product_id)
    return session.execute(query.limit(1)).first() is not None


def recent_routed_themes(session: Session, province: str, since: dt.datetime) -> set[str]:
    """Themes that needed someone in the province lately (a signal that is still building)."""
    rows = session.execute(
        select(FeedbackAnswer.theme, FeedbackAnswer.answered_at).where(
            FeedbackAnswer.province == province, FeedbackAnswer.team.is_not(None)
        )
    ).all()
    return {theme for theme, at in rows if as_utc(at) >= since}


def build_context(
    session: Session,
    customer: Customer,
    product_id: str | None,
    visit_date: dt.date,
    note: str,
    recent_days: int,
) -> VisitContext:
    since = dt.datetime.combine(visit_date - dt.timedelta(days=recent_days), dt.time(), dt.UTC)
    return VisitContext(
        product_id=product_id,
        battle_pack_open=battle_pack_open(session, customer.id, product_id, visit_date),
        vbp_stage=vbp_stage(session, product_id, customer.province) if product_id else "none",
        stock_short=stock_short(session, product_id, customer.province) if product_id else False,
        note=note,
        recent_themes=recent_routed_themes(session, customer.province, since),
    )
