"""VBP (集采) coverage and price caps: which programmes apply where, and which caps are in force.

Shared by the policy service (access questions) and the inventory service (pricing substitute
offers within the cap), so both answer "what may we charge in this province today" the same way.
A cap is in force from `cap_effective_from` (else the programme's `execution_start`); a cap with
neither date is in force once it exists. An award announced but not yet executed (the Zhejiang
DCB alliance, execution 2027-01-01) therefore has a cap that is *not* in force on 2026-11-30.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.orm import Session

from knowledge.store.models import VbpAward, VbpProgramme


class CapInfo(BaseModel):
    """A VBP price cap on one of our products in one province."""

    programme_id: str
    programme_name_zh: str
    programme_name_en: str
    award_id: str
    product_id: str
    province: str
    cap: Decimal
    effective_from: dt.date | None
    in_force: bool


def covers(programme: VbpProgramme, province: str) -> bool:
    codes = programme.provinces or []
    return "*" in codes or province in codes


def programmes_for(session: Session, province: str) -> list[VbpProgramme]:
    rows = session.execute(select(VbpProgramme).order_by(VbpProgramme.id)).scalars()
    return [p for p in rows if covers(p, province)]


def cap_start(award: VbpAward, programme: VbpProgramme) -> dt.date | None:
    return award.cap_effective_from or programme.execution_start


def is_in_force(award: VbpAward, programme: VbpProgramme, today: dt.date) -> bool:
    if award.price_cap is None:
        return False
    start = cap_start(award, programme)
    return start is None or start <= today


def caps_for(session: Session, product_id: str, province: str, today: dt.date) -> list[CapInfo]:
    """Every cap on our product in the province (in force or announced), lowest first."""
    stmt = (
        select(VbpAward, VbpProgramme)
        .join(VbpProgramme, VbpAward.programme_id == VbpProgramme.id)
        .where(VbpAward.product_id == product_id, VbpAward.price_cap.is_not(None))
        .order_by(VbpAward.id)
    )
    caps: list[CapInfo] = []
    for award, programme in session.execute(stmt).tuples():
        if not covers(programme, province) or award.price_cap is None:
            continue
        caps.append(
            CapInfo(
                programme_id=programme.id,
                programme_name_zh=programme.name_zh,
                programme_name_en=programme.name_en,
                award_id=award.id,
                product_id=product_id,
                province=province,
                cap=Decimal(award.price_cap),
                effective_from=cap_start(award, programme),
                in_force=is_in_force(award, programme, today),
            )
        )
    caps.sort(key=lambda c: (not c.in_force, c.cap))
    return caps


def cap_in_force(session: Session, product_id: str, province: str, today: dt.date) -> CapInfo | None:
    """The binding (lowest) cap in force today, or None."""
    in_force = [c for c in caps_for(session, product_id, province, today) if c.in_force]
    return min(in_force, key=lambda c: c.cap) if in_force else None
