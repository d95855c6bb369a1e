"""Saving a pack, recording its suggestions, and pushing each role its part.

One pack per (customer, product, day): asking again the same day bumps `version` and updates the
three work items (their `dedupe_key` names the pack and the workbench) instead of adding new ones.
Each strategy and substitute is also a `Recommendation`, so reps can mark it adopted or rejected
and the adoption rate can be measured; a re-save keeps any judgement already given.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from sqlalchemy import select

from knowledge.store import audit
from knowledge.store.db import SessionFactory, transaction
from knowledge.store.models import BattlePack, Customer, Person, Recommendation
from tools.battle_pack.models import BattlePackDoc
from tools.common import Workbench
from tools.workbench.push import push_item

log = logging.getLogger(__name__)

PUSH_TO = (Workbench.SALES, Workbench.MARKETING, Workbench.MEDICAL_AFFAIRS)


def pack_id(customer_id: str, product_id: str, day: dt.date) -> str:
    return f"BP-{customer_id}-{product_id}-{day:%Y%m%d}"


def role_parts(pack: BattlePackDoc) -> dict[Workbench, dict[str, Any]]:
    """What each workbench acts on: sales the plays, marketing the market, medical the evidence."""
    base = {"pack_id": pack.meta.id, "customer_id": pack.customer_id, "product_id": pack.product_id}
    return {
        Workbench.SALES: {
            **base,
            "strategies": [{"title": s.title, "applies_when": s.applies_when} for s in pack.strategies],
            "substitutes": [
                {"products": s.products, "label": s.label, "why": s.why} for s in pack.substitutes
            ],
        },
        Workbench.MARKETING: {
            **base,
            "situation": [{"label": s.label, "text": s.text} for s in pack.situation],
            "competitor_product": pack.clinical_comparison.competitor_product,
        },
        Workbench.MEDICAL_AFFAIRS: {
            **base,
            "competitor_product": pack.clinical_comparison.competitor_product,
            "rows": [r.model_dump() for r in pack.clinical_comparison.rows],
        },
    }


_TITLES = {
    Workbench.SALES: ("作战包：谈判策略与替代组合", "Battle pack: strategies and substitutes"),
    Workbench.MARKETING: ("作战包：竞品与准入形势", "Battle pack: competitor and access situation"),
    Workbench.MEDICAL_AFFAIRS: ("作战包：临床价值对比", "Battle pack: clinical-value comparison"),
}


def _owner(session: Any, workbench: Workbench, customer: Customer | None) -> str | None:
    if workbench is Workbench.SALES:
        return customer.rep_id if customer else None
    team = workbench.value
    people = session.execute(select(Person).where(Person.team == team).order_by(Person.id)).scalars().all()
    local = [p for p in people if customer and p.province == customer.province]
    return (local or people)[0].id if people else None


def _record_recommendations(
    session: Any, pack: BattlePackDoc, customer: Customer | None, now: dt.datetime
) -> list[str]:
    items = [("strategy", f"S{i}", f"{s.title}: {s.applies_when}") for i, s in enumerate(pack.strategies, 1)]
    items += [
        ("substitute", f"X{i}", f"{' + '.join(s.products)} ({s.label}): {s.why}")
        for i, s in enumerate(pack.substitutes, 1)
    ]
    ids: list[str] = []
    for kind, suffix, text in items:
        rec_id = f"{pack.meta.id}-{suffix}"
        row = session.get(Recommendation, rec_id)
        if row is None:
            session.add(
                Recommendation(
                    id=rec_id,
                    kind=kind,
                    source_type="battle_pack",
                    source_id=pack.meta.id,
                    text=text,
                    province=customer.province if customer else None,
                    rep_id=customer.rep_id if customer else None,
                    created_at=now,
                )
            )
        elif row.text != text:
            row.text = text  # the suggestion changed (e.g. stock moved); keep the rep's judgement
        ids.append(rec_id)
    return ids


def save(
    session_factory: SessionFactory, pack: BattlePackDoc, actor: str, now: dt.datetime, push: bool = True
) -> BattlePackDoc:
    """Store the pack (new version if it exists), record recommendations, push the work items."""
    pid = pack.meta.id
    with transaction(session_factory) as session:
        customer = session.get(Customer, pack.customer_id)
        row = session.get(BattlePack, pid)
        version = 1 if row is None else row.version + 1
        pack.meta.version = version
        pack.meta.recommendation_ids = _record_recommendations(session, pack, customer, now)
        pushed: list[str] = []
        work_items: dict[str, int] = {}
        if push:
            lang = 0 if pack.meta.lang == "zh" else 1
            for wb, body in role_parts(pack).items():
                title = f"{_TITLES[wb][lang]} · {pack.customer_name} · {pack.product_name}"
                item, _created = push_item(
                    session,
                    workbench=wb,
                    kind="battle_pack",
                    title=title[:256],
                    body=body,
                    owner_id=_owner(session, wb, customer),
                    province=customer.province if customer else None,
                    source_type="battle_pack",
                    source_id=pid,
                    dedupe_key=f"battle_pack:{pid}:{wb.value}",
                    actor=actor,
                    now=now,
                )
                pushed.append(wb.value)
                work_items[wb.value] = item.id
        pack.pushed_to = pushed
        pack.meta.work_items = work_items
        content = pack.model_dump(mode="json")
        if row is None:
            session.add(
                BattlePack(
                    id=pid,
                    customer_id=pack.customer_id,
                    product_id=pack.product_id,
                    pack_date=dt.date.fromisoformat(pack.meta.pack_date),
                    content=content,
                    version=version,
                    created_by=actor,
                    created_at=now,
                    updated_at=now,
                )
            )
        else:
            row.content = content
            row.version = version
            row.updated_at = now
        audit.append(
            session,
            actor=actor,
            action="battle_pack.save",
            subject_type="battle_pack",
            subject_id=pid,
            payload={"version": version, "pushed_to": pushed, "compliance": pack.compliance.status},
        )
    log.info("battle pack saved", extra={"pack": pid, "version": version, "pushed_to": pushed})
    return pack


def load(session_factory: SessionFactory, pid: str) -> BattlePackDoc | None:
    with session_factory() as session:
        row = session.get(BattlePack, pid)
        return BattlePackDoc.model_validate(row.content) if row else None
