"""History detectors: SQL aggregates over orders, rebate claims and prepayments that produce the
facts the rebate and prepayment rules judge.

Each detector does a handful of grouped queries whatever the history size (one pass per programme
year, one for all prepayments), never a Python loop over ORM objects, so a million orders scan in
seconds. Which facts cross a line is decided by the rule's ZEN condition and parameters, not here.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Protocol

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from knowledge.store.models import Customer, Order, Prepayment, RebateProgramme

SKIP_STATUSES = frozenset({"draft", "open", "cancelled", "rejected"})
_CHUNK = 500


@dataclass(frozen=True)
class Subject:
    """One thing a history rule judges (a rebate programme, a region's quarter) and its facts."""

    subject_type: str
    subject_id: str
    province: str | None
    occurred_on: dt.date
    facts: dict[str, Any]


class Detector(Protocol):
    def run(
        self, session: Session, params: dict[str, Any], today: dt.date, since: dt.date | None = None
    ) -> list[Subject]: ...

    def details(self, session: Session, subject: Subject) -> dict[str, Any]: ...


def _f(value: Decimal | int | float | None) -> float:
    return float(value or 0)


def _sums(session: Session, condition: Any, customers: set[str]) -> dict[str, Decimal]:
    query = (
        select(Order.customer_id, func.sum(Order.amount))
        .where(condition, Order.customer_id.in_(sorted(customers)))
        .group_by(Order.customer_id)
    )
    return {cid: Decimal(str(total or 0)) for cid, total in session.execute(query)}


class RebateComposition:
    """Splits each claimed annual rebate into own in-year, other-year and related-party orders.

    With `claimed_order_ids` the claim itself is decomposed; without them the detector assumes the
    widest claim (own year + orders within `window_days` of the year boundary + the medical group's
    year orders), which is what a threshold could have been reached with."""

    def run(
        self, session: Session, params: dict[str, Any], today: dt.date, since: dt.date | None = None
    ) -> list[Subject]:
        window = dt.timedelta(days=int(params.get("window_days", 31)))
        programmes = [
            p
            for p in session.execute(
                select(
                    RebateProgramme.id,
                    RebateProgramme.customer_id,
                    RebateProgramme.year,
                    RebateProgramme.threshold_amount,
                    RebateProgramme.claimed_amount,
                    RebateProgramme.claimed_order_ids,
                    RebateProgramme.status,
                    Customer.province,
                    Customer.medical_group_id,
                ).join(Customer, Customer.id == RebateProgramme.customer_id)
            )
            if p.status not in SKIP_STATUSES and (since is None or dt.date(p.year, 12, 31) >= since)
        ]
        groups: dict[str, list[str]] = defaultdict(list)
        for cid, gid in session.execute(select(Customer.id, Customer.medical_group_id)):
            if gid:
                groups[gid].append(cid)
        claimed = self._claimed_rows({i for p in programmes for i in p.claimed_order_ids or []}, session)
        by_year: dict[int, list[Any]] = defaultdict(list)
        for p in programmes:
            by_year[p.year].append(p)
        out: list[Subject] = []
        for year, progs in by_year.items():
            start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
            own = {p.customer_id for p in progs}
            members = own | {m for p in progs if p.medical_group_id for m in groups[p.medical_group_id]}
            in_year = _sums(session, Order.order_date.between(start, end), members)
            near = or_(
                Order.order_date.between(start - window, start - dt.timedelta(days=1)),
                Order.order_date.between(end + dt.timedelta(days=1), end + window),
            )
            boundary = _sums(session, near, own)
            for p in progs:
                related = [m for m in groups.get(p.medical_group_id or "", []) if m != p.customer_id]
                facts = self._facts(p, start, end, in_year, boundary, related, claimed, session, near)
                last = max([dt.date.fromisoformat(d) for d in facts.pop("_dates")] or [end])
                out.append(Subject("rebate_programme", p.id, p.province, min(last, end, today), facts))
        return out

    def _claimed_rows(self, ids: set[str], session: Session) -> dict[str, tuple[str, dt.date, Decimal]]:
        rows: dict[str, tuple[str, dt.date, Decimal]] = {}
        ordered = sorted(ids)
        for i in range(0, len(ordered), _CHUNK):
            query = select(Order.id, Order.customer_id, Order.order_date, Order.amount).where(
                Order.id.in_(ordered[i : i + _CHUNK])
            )
            rows.update(
                {oid: (cid, day, Decimal(str(amount))) for oid, cid, day, amount in session.execute(query)}
            )
        return rows

    def _facts(
        self,
        p: Any,
        start: dt.date,
        end: dt.date,
        in_year: dict[str, Decimal],
        boundary: dict[str, Decimal],
        related: list[str],
        claimed: dict[str, tuple[str, dt.date, Decimal]],
        session: Session,
        near: Any,
    ) -> dict[str, Any]:
        own_in_year = in_year.get(p.customer_id, Decimal(0))
        cross_ids: list[str] = []
        related_ids: list[str] = []
        dates: list[str] = []
        if p.claimed_order_ids:
            rows = [(oid, claimed[oid]) for oid in p.claimed_order_ids if oid in claimed]
            total = sum((r[2] for _, r in rows), Decimal(0))
            cross_ids = [oid for oid, r in rows if r[0] == p.customer_id and not start <= r[1] <= end]
            related_ids = [oid for oid, r in rows if r[0] != p.customer_id]
            cross = sum((claimed[o][2] for o in cross_ids), Decimal(0))
            rel = sum((claimed[o][2] for o in related_ids), Decimal(0))
            related_customers = sorted({claimed[o][0] for o in related_ids})
            missing = [oid for oid in p.claimed_order_ids if oid not in claimed]
            dates = [r[1].isoformat() for _, r in rows]
            mode = "claimed_orders"
        else:
            cross = boundary.get(p.customer_id, Decimal(0))
            rel = sum((in_year.get(m, Decimal(0)) for m in related), Decimal(0))
            total = own_in_year + cross + rel
            related_customers = [m for m in related if in_year.get(m)]
            missing = []
            if cross:
                query = select(Order.id).where(near, Order.customer_id == p.customer_id).limit(50)
                cross_ids = list(session.execute(query).scalars())
            mode = "derived"
        return {
            "programme_id": p.id,
            "customer_id": p.customer_id,
            "province": p.province,
            "year": p.year,
            "status": p.status,
            "mode": mode,
            "threshold": _f(p.threshold_amount),
            "claimed_amount": _f(p.claimed_amount) if p.claimed_amount is not None else None,
            "claimed_total": _f(total),
            "own_in_year": _f(own_in_year),
            "cross_year_amount": _f(cross),
            "cross_year_orders": cross_ids,
            "related_amount": _f(rel),
            "related_orders": related_ids,
            "related_customers": related_customers,
            "missing_orders": missing,
            "_dates": dates,
        }

    def details(self, session: Session, subject: Subject) -> dict[str, Any]:
        return {}


class PrepaymentQuarterTail:
    """Per region and quarter: prepayments in the last `last_days` days against the rest's rate."""

    def run(
        self, session: Session, params: dict[str, Any], today: dt.date, since: dt.date | None = None
    ) -> list[Subject]:
        last_days = int(params.get("last_days", 10))
        query = (
            select(Prepayment.province, Prepayment.paid_on, func.count(), func.sum(Prepayment.amount))
            .where(Prepayment.paid_on <= today)
            .group_by(Prepayment.province, Prepayment.paid_on)
        )
        if since is not None:
            query = query.where(Prepayment.paid_on >= _quarter_bounds(since)[0])
        acc: dict[tuple[str, dt.date], list[Any]] = defaultdict(lambda: [0, Decimal(0), 0])
        for province, day, count, amount in session.execute(query):
            q_start, q_end = _quarter_bounds(day)
            cell = acc[(province, q_start)]
            if day > q_end - dt.timedelta(days=last_days):
                cell[0] += count
                cell[1] += Decimal(str(amount or 0))
            else:
                cell[2] += count
        out: list[Subject] = []
        for (province, q_start), (tail, tail_amount, rest) in sorted(acc.items()):
            q_end = _quarter_bounds(q_start)[1]
            tail_start = q_end - dt.timedelta(days=last_days - 1)
            if tail_start > today or (since is not None and q_end < since):
                continue
            rest_days = (tail_start - q_start).days
            quarter = f"{q_start.year}-Q{(q_start.month - 1) // 3 + 1}"
            facts = {
                "province": province,
                "quarter": quarter,
                "quarter_start": q_start.isoformat(),
                "tail_start": tail_start.isoformat(),
                "quarter_end": q_end.isoformat(),
                "tail_days": last_days,
                "tail_count": tail,
                "tail_amount": _f(tail_amount),
                "rest_count": rest,
                "rest_days": rest_days,
                "baseline_per_window": rest * last_days / rest_days if rest_days > 0 else 0.0,
            }
            out.append(Subject("region_quarter", f"{province}-{quarter}", province, min(q_end, today), facts))
        return out

    def details(self, session: Session, subject: Subject) -> dict[str, Any]:
        facts = subject.facts
        query = (
            select(Prepayment.id)
            .where(
                and_(
                    Prepayment.province == facts["province"],
                    Prepayment.paid_on.between(
                        dt.date.fromisoformat(facts["tail_start"]),
                        dt.date.fromisoformat(facts["quarter_end"]),
                    ),
                )
            )
            .order_by(Prepayment.paid_on, Prepayment.id)
            .limit(100)
        )
        return {"prepayment_ids": list(session.execute(query).scalars())}


def _quarter_bounds(day: dt.date) -> tuple[dt.date, dt.date]:
    first_month = (day.month - 1) // 3 * 3 + 1
    start = dt.date(day.year, first_month, 1)
    nxt = dt.date(day.year + (first_month == 10), 1 if first_month == 10 else first_month + 3, 1)
    return start, nxt - dt.timedelta(days=1)


DETECTORS: dict[str, Detector] = {
    "rebate_composition": RebateComposition(),
    "prepayment_quarter_tail": PrepaymentQuarterTail(),
}
