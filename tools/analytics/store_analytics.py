"""Manager analytics over the store: orders, contracts, prepayments and visits by region, rep, period.

One generic aggregation instead of a query per question: a manager's "Guangdong prepayments last
quarter by rep" and "orders by month this year" are the same group-by over different facts. The
facts are small (thousands of rows), so rows are filtered in SQL and grouped in Python, which keeps
the code identical on SQLite and PostgreSQL. Every figure keeps the ids of the records behind it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel, Field
from sqlalchemy import Select, null, select
from sqlalchemy.orm import Session

from knowledge.store.models import Contract, Customer, Order, Person, Prepayment, Product, Province, Visit
from tools.analytics.periods import Period, parse_period
from tools.base import StoreService, fmt_money, get_customer, get_person, get_product, get_province, record
from tools.common import Principal, Role, Source, ToolResult

Metric = Literal["orders", "contracts", "prepayments", "visits"]
GroupBy = Literal["region", "rep", "customer", "product", "month", "quarter", "week", "day", "total"]
MAX_SOURCES = 200


class Fact(BaseModel):
    """One record reduced to what aggregation needs."""

    id: str
    day: dt.date
    province: str
    rep_id: str | None
    customer_id: str
    product_id: str | None
    amount: Decimal | None


class AnalyticsRow(BaseModel):
    key: str
    label: str
    count: int
    amount: Decimal | None
    share_pct: Decimal = Field(description="Share of the total amount (of the count for visits).")
    record_ids: list[str]


class AnalyticsResult(ToolResult):
    metric: Metric
    group_by: GroupBy
    period: Period | None
    filters: dict[str, str]
    rows: list[AnalyticsRow]
    total_count: int
    total_amount: Decimal | None
    sources_truncated: int = Field(0, description="Records behind the figures not listed in sources.")
    summary: str


def _bucket(group_by: GroupBy, f: Fact) -> str:
    keys: dict[str, Callable[[Fact], str | None]] = {
        "region": lambda x: x.province,
        "rep": lambda x: x.rep_id,
        "customer": lambda x: x.customer_id,
        "product": lambda x: x.product_id,
        "month": lambda x: f"{x.day.year}-{x.day.month:02d}",
        "quarter": lambda x: f"{x.day.year}-Q{(x.day.month - 1) // 3 + 1}",
        "week": lambda x: "{}-W{:02d}".format(*x.day.isocalendar()[:2]),
        "day": lambda x: x.day.isoformat(),
        "total": lambda x: "total",
    }
    return keys[group_by](f) or "(none)"


def _statement(metric: Metric) -> Select[*tuple[Any, ...]]:
    if metric == "orders":
        return select(
            Order.id,
            Order.order_date,
            Order.province,
            Order.rep_id,
            Order.customer_id,
            Order.product_id,
            Order.amount,
        )
    if metric == "prepayments":
        return select(
            Prepayment.id,
            Prepayment.paid_on,
            Prepayment.province,
            Prepayment.rep_id,
            Prepayment.customer_id,
            null(),
            Prepayment.amount,
        )
    if metric == "contracts":
        return select(
            Contract.id,
            Contract.signed_on,
            Customer.province,
            Contract.rep_id,
            Contract.customer_id,
            null(),
            Contract.total_amount,
        ).join(Customer, Customer.id == Contract.customer_id)
    return select(
        Visit.id,
        Visit.visit_date,
        Customer.province,
        Visit.rep_id,
        Visit.customer_id,
        Visit.product_id,
        null(),
    ).join(Customer, Customer.id == Visit.customer_id)


class StoreAnalyticsService(StoreService):
    def period(self, text: str) -> Period:
        return parse_period(text, self.today)

    def aggregate(
        self,
        metric: Metric,
        group_by: GroupBy = "region",
        period: str | Period | None = None,
        province: str | None = None,
        rep_id: str | None = None,
        customer_id: str | None = None,
        product_id: str | None = None,
        principal: Principal | None = None,
    ) -> AnalyticsResult:
        """Count and amount of one kind of fact, grouped, within a period and filters."""
        if metric not in ("orders", "contracts", "prepayments", "visits"):
            raise ValueError(f"unknown metric {metric!r}")
        if group_by == "product" and metric in ("contracts", "prepayments"):
            raise ValueError(f"{metric} carry no single product; group by region, rep, customer or period")
        window = parse_period(period, self.today) if isinstance(period, str) else period
        filters: dict[str, str] = {}
        with self.session_factory() as session:
            if province:
                filters["province"] = get_province(session, province).code
            if customer_id:
                filters["customer_id"] = get_customer(session, customer_id).id
            if product_id:
                filters["product_id"] = get_product(session, product_id).id
            if rep_id:
                filters["rep_id"] = get_person(session, rep_id).id
            if principal is not None and principal.role == Role.REP and principal.person_id:
                filters["rep_id"] = principal.person_id  # a rep's analytics are their own
            facts = [
                Fact.model_validate(dict(zip(Fact.model_fields, row, strict=True)))
                for row in session.execute(_statement(metric))
            ]
            facts = [f for f in facts if self._keep(f, window, filters, principal)]
            labels = self._labels(session, group_by)
        return self._result(metric, group_by, window, filters, facts, labels)

    # -- helpers -----------------------------------------------------------------------------

    @staticmethod
    def _keep(f: Fact, window: Period | None, filters: dict[str, str], principal: Principal | None) -> bool:
        if window is not None and not window.contains(f.day):
            return False
        if principal is not None and not principal.can_see_customer(f.customer_id):
            return False
        return all(getattr(f, k) == v for k, v in filters.items())

    @staticmethod
    def _labels(session: Session, group_by: GroupBy) -> dict[str, str]:
        sources: dict[str, Any] = {
            "region": Province,
            "rep": Person,
            "customer": Customer,
            "product": Product,
        }
        model = sources.get(group_by)
        if model is None:
            return {}
        return {
            str(getattr(r, "code", None) or r.id): f"{r.name_zh} {r.name_en}"
            for r in session.execute(select(model)).scalars()
        }

    @staticmethod
    def _result(
        metric: Metric,
        group_by: GroupBy,
        window: Period | None,
        filters: dict[str, str],
        facts: list[Fact],
        labels: dict[str, str],
    ) -> AnalyticsResult:
        groups: dict[str, list[Fact]] = {}
        for f in sorted(facts, key=lambda x: (x.day, x.id)):
            groups.setdefault(_bucket(group_by, f), []).append(f)
        has_amount = metric != "visits"
        total_amount = sum((f.amount or Decimal(0) for f in facts), Decimal(0)) if has_amount else None
        base = total_amount if has_amount else Decimal(len(facts))
        rows: list[AnalyticsRow] = []
        for key, items in groups.items():
            amount = sum((f.amount or Decimal(0) for f in items), Decimal(0)) if has_amount else None
            part = amount if amount is not None else Decimal(len(items))
            share = (part / base * 100).quantize(Decimal("0.1")) if base else Decimal(0)
            rows.append(
                AnalyticsRow(
                    key=key,
                    label=labels.get(key, key),
                    count=len(items),
                    amount=amount,
                    share_pct=share,
                    record_ids=[f.id for f in items],
                )
            )
        periodic = group_by in ("month", "quarter", "week", "day")
        rows.sort(key=(lambda r: r.key) if periodic else (lambda r: (-(r.amount or r.count), r.key)))
        sources: list[Source] = [record(metric, f.id) for f in facts[:MAX_SOURCES]]
        scope = window.label if window else "all time"
        where = ", ".join(f"{k}={v}" for k, v in filters.items())
        head = f"{metric} {scope}{' (' + where + ')' if where else ''}: {len(facts)}"
        if total_amount is not None:
            head += f", {fmt_money(total_amount)} CNY"
        top = "; ".join(
            f"{r.label}: {r.count}" + (f" / {fmt_money(r.amount)}" if r.amount is not None else "")
            for r in rows[:6]
        )
        return AnalyticsResult(
            metric=metric,
            group_by=group_by,
            period=window,
            filters=filters,
            rows=rows,
            total_count=len(facts),
            total_amount=total_amount,
            sources=sources,
            sources_truncated=max(0, len(facts) - MAX_SOURCES),
            summary=f"{head}. By {group_by}: {top}" if rows else f"{head}.",
        )
