"""Customer (hospital) profiles: who they are, who covers them, related parties, recent activity.

Visibility is enforced here, not in the prompt: a rep asking about another rep's hospital gets an
`AccessDeniedError`, whatever the model was told. Related parties (same 医联体) are listed because
rebate and gift rules count them together.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.orm import InstrumentedAttribute, Session

from knowledge.store.models import (
    Contract,
    Customer,
    CustomerCompetitor,
    MedicalGroup,
    Order,
    Person,
    Prepayment,
    Province,
    Visit,
)
from tools.base import (
    AccessDeniedError,
    StoreService,
    can_see_customer,
    dedupe_sources,
    fmt_money,
    get_customer,
    get_province,
    record,
)
from tools.common import Principal, Source, ToolResult

RECENT = 5


class Ref(BaseModel):
    id: str
    name_zh: str
    name_en: str


class OrderRow(BaseModel):
    id: str
    order_date: dt.date
    product_id: str
    quantity: int
    amount: Decimal


class ContractRow(BaseModel):
    id: str
    signed_on: dt.date
    total_amount: Decimal
    status: str
    gift_count: int
    attachment_kinds: list[str]


class VisitRow(BaseModel):
    id: str
    visit_date: dt.date
    rep_id: str
    product_id: str | None
    note: str


class ActivitySummary(BaseModel):
    window_start: dt.date
    window_end: dt.date
    orders_count: int
    orders_amount: Decimal
    ytd_orders_amount: Decimal
    prepayments_count: int
    prepayments_amount: Decimal
    visits_count: int
    last_order_date: dt.date | None
    last_visit_date: dt.date | None


class CustomerProfile(ToolResult):
    customer_id: str
    name_zh: str
    name_en: str
    province: str
    province_name_zh: str
    city: str
    tier: str
    aliases: list[str]
    medical_group: Ref | None
    related_parties: list[Ref]
    rep: Ref | None
    activity: ActivitySummary
    recent_orders: list[OrderRow]
    recent_contracts: list[ContractRow]
    recent_visits: list[VisitRow]
    competitor_product_ids: list[str]
    summary: str


class ContractDetail(ContractRow):
    lines: list[dict[str, str | int]]
    gifts: list[dict[str, str]]


class ContractsResult(ToolResult):
    customer_id: str
    contracts: list[ContractDetail]
    total_amount: Decimal
    summary: str


class CustomerListResult(ToolResult):
    customers: list[Ref]
    summary: str


_Dated = Order | Prepayment | Visit | Contract


def _recent(
    session: Session,
    model: type[_Dated],
    day: InstrumentedAttribute[dt.date],
    customer_id: str,
    window: tuple[dt.date, dt.date],
) -> list[Any]:
    """A customer's rows of one kind dated within the window, newest first."""
    stmt = (
        select(model)
        .where(model.customer_id == customer_id, day.between(*window))
        .order_by(day.desc(), model.id.desc())
    )
    return list(session.execute(stmt).scalars())


def _ref(row: Customer | Person | MedicalGroup) -> Ref:
    return Ref(id=row.id, name_zh=row.name_zh, name_en=row.name_en)


class CustomerService(StoreService):
    def profile(self, customer_id: str, principal: Principal | None = None) -> CustomerProfile:
        """Tier, province, group and related parties, rep, last 12 months of activity."""
        with self.session_factory() as session:
            customer = get_customer(session, customer_id)
            if principal is not None and not can_see_customer(principal, customer):
                raise AccessDeniedError("customer", customer.id, principal.actor)
            sources: list[Source] = [record("customers", customer.id, customer.name_zh)]
            prov = session.get(Province, customer.province)
            assert prov is not None
            group, related = self._group(session, customer, sources)
            rep = session.get(Person, customer.rep_id) if customer.rep_id else None
            if rep is not None:
                sources.append(record("people", rep.id, rep.name_zh))
            start = self.today - dt.timedelta(days=365)
            window = (start, self.today)
            orders = _recent(session, Order, Order.order_date, customer.id, window)
            prepayments = _recent(session, Prepayment, Prepayment.paid_on, customer.id, window)
            visits = _recent(session, Visit, Visit.visit_date, customer.id, window)
            contracts = _recent(session, Contract, Contract.signed_on, customer.id, window)
            competitors = session.execute(
                select(CustomerCompetitor.competitor_product_id).where(
                    CustomerCompetitor.customer_id == customer.id
                )
            ).scalars()
            competitor_ids = sorted(competitors)
            recent_contracts = [
                ContractRow(
                    id=c.id,
                    signed_on=c.signed_on,
                    total_amount=c.total_amount,
                    status=c.status,
                    gift_count=len(c.gifts),
                    attachment_kinds=[a.kind for a in c.attachments],
                )
                for c in contracts[:RECENT]
            ]
        for table, rows in (("orders", orders), ("prepayments", prepayments), ("visits", visits)):
            sources.extend(record(table, r.id) for r in rows)
        sources.extend(record("contracts", c.id) for c in contracts)
        year_start = dt.date(self.today.year, 1, 1)
        activity = ActivitySummary(
            window_start=start,
            window_end=self.today,
            orders_count=len(orders),
            orders_amount=sum((o.amount for o in orders), Decimal(0)),
            ytd_orders_amount=sum((o.amount for o in orders if o.order_date >= year_start), Decimal(0)),
            prepayments_count=len(prepayments),
            prepayments_amount=sum((p.amount for p in prepayments), Decimal(0)),
            visits_count=len(visits),
            last_order_date=orders[0].order_date if orders else None,
            last_visit_date=visits[0].visit_date if visits else None,
        )
        rep_name = f"{rep.name_zh} {rep.name_en}" if rep else "no rep"
        group_note = f", {group.name_zh} with {', '.join(r.id for r in related)}" if group else ""
        summary = (
            f"{customer.id} {customer.name_zh} ({prov.name_zh}, {customer.tier}{group_note}); rep {rep_name}; "
            f"12 months: {len(orders)} orders {fmt_money(activity.orders_amount)} CNY, "
            f"{len(visits)} visits, last visit {activity.last_visit_date or 'none'}"
        )
        return CustomerProfile(
            customer_id=customer.id,
            name_zh=customer.name_zh,
            name_en=customer.name_en,
            province=prov.code,
            province_name_zh=prov.name_zh,
            city=customer.city,
            tier=customer.tier,
            aliases=list(customer.aliases or []),
            medical_group=_ref(group) if group else None,
            related_parties=related,
            rep=_ref(rep) if rep else None,
            activity=activity,
            recent_orders=[
                OrderRow(
                    id=o.id,
                    order_date=o.order_date,
                    product_id=o.product_id,
                    quantity=o.quantity,
                    amount=o.amount,
                )
                for o in orders[:RECENT]
            ],
            recent_contracts=recent_contracts,
            recent_visits=[
                VisitRow(
                    id=v.id, visit_date=v.visit_date, rep_id=v.rep_id, product_id=v.product_id, note=v.note
                )
                for v in visits[:RECENT]
            ],
            competitor_product_ids=competitor_ids,
            summary=summary,
            sources=dedupe_sources(sources),
        )

    def list_customers(
        self, principal: Principal | None = None, province: str | None = None
    ) -> CustomerListResult:
        """The hospitals the caller may see, optionally in one province."""
        with self.session_factory() as session:
            stmt = select(Customer).order_by(Customer.id)
            if province:
                stmt = stmt.where(Customer.province == get_province(session, province).code)
            rows = [
                c
                for c in session.execute(stmt).scalars()
                if principal is None or can_see_customer(principal, c)
            ]
        return CustomerListResult(
            customers=[_ref(c) for c in rows],
            summary=f"{len(rows)} customers: " + ", ".join(f"{c.id} {c.name_zh}" for c in rows),
            sources=[record("customers", c.id, c.name_zh) for c in rows],
        )

    def check_visible(self, customer_id: str, principal: Principal) -> str:
        """The canonical customer id if the caller may see it; raises otherwise."""
        with self.session_factory() as session:
            customer = get_customer(session, customer_id)
            if not can_see_customer(principal, customer):
                raise AccessDeniedError("customer", customer.id, principal.actor)
            return customer.id

    def contracts(
        self,
        customer_id: str,
        principal: Principal | None = None,
        start: dt.date | None = None,
        end: dt.date | None = None,
    ) -> ContractsResult:
        """A hospital's contracts signed in [start, end] (newest first) with lines, gifts and attachments."""
        with self.session_factory() as session:
            customer = get_customer(session, customer_id)
            if principal is not None and not can_see_customer(principal, customer):
                raise AccessDeniedError("customer", customer.id, principal.actor)
            stmt = select(Contract).where(Contract.customer_id == customer.id)
            if start is not None:
                stmt = stmt.where(Contract.signed_on >= start)
            if end is not None:
                stmt = stmt.where(Contract.signed_on <= end)
            rows = list(
                session.execute(stmt.order_by(Contract.signed_on.desc(), Contract.id.desc())).scalars()
            )
            details = [
                ContractDetail(
                    id=c.id,
                    signed_on=c.signed_on,
                    total_amount=c.total_amount,
                    status=c.status,
                    gift_count=len(c.gifts),
                    attachment_kinds=[a.kind for a in c.attachments],
                    lines=[
                        {
                            "product_id": ln.product_id,
                            "quantity": ln.quantity,
                            "unit_price": fmt_money(ln.unit_price),
                        }
                        for ln in c.lines
                    ],
                    gifts=[{"name": g.name, "value": fmt_money(g.value)} for g in c.gifts],
                )
                for c in rows
            ]
        total = sum((c.total_amount for c in details), Decimal(0))
        listed = "; ".join(f"{c.id} {c.signed_on} {fmt_money(c.total_amount)}" for c in details[:8])
        return ContractsResult(
            customer_id=customer.id,
            contracts=details,
            total_amount=total,
            summary=f"{customer.id}: {len(details)} contracts, {fmt_money(total)} CNY"
            + (f": {listed}" if listed else ""),
            sources=[record("customers", customer.id, customer.name_zh)]
            + [record("contracts", c.id, "", "lines,gifts,attachments") for c in details],
        )

    # -- helpers -----------------------------------------------------------------------------

    @staticmethod
    def _group(
        session: Session, customer: Customer, sources: list[Source]
    ) -> tuple[MedicalGroup | None, list[Ref]]:
        if not customer.medical_group_id:
            return None, []
        group = session.get(MedicalGroup, customer.medical_group_id)
        assert group is not None
        sources.append(record("medical_groups", group.id, group.name_zh))
        members = session.execute(
            select(Customer)
            .where(Customer.medical_group_id == group.id, Customer.id != customer.id)
            .order_by(Customer.id)
        ).scalars()
        related = [_ref(m) for m in members]
        sources.extend(record("customers", r.id, r.name_zh, "medical_group_id") for r in related)
        return group, related
