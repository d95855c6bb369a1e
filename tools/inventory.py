"""Inventory: stock by product / warehouse / province, what is on order, and in-stock substitutes.

A rep's question is rarely "how many units in WH-HZ" but "can I offer this to that hospital":
the answer depends on the warehouse serving the customer's province and on safety stock (stock
below safety is reserved, so it does not count as available). `substitutes` walks the
alternative offers (kept as data, in order of preference) and takes the first `limit` whose every
product is available there, pricing each product within the VBP cap in force in the province.
"""

from __future__ import annotations

import logging
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from knowledge.store.models import AlternativeOffer, Product, Province, Stock, Warehouse
from tools import vbp
from tools.base import (
    StoreService,
    dedupe_sources,
    get_customer,
    get_product,
    get_province,
    get_warehouse,
    record,
)
from tools.common import Source, ToolResult

log = logging.getLogger(__name__)


class StockLevel(BaseModel):
    warehouse_id: str
    warehouse_name_zh: str
    warehouse_name_en: str
    product_id: str
    product_name_zh: str
    product_name_en: str
    on_hand: int
    on_order: int
    safety_stock: int
    below_safety: bool = Field(description="on_hand < safety_stock: the product cannot be offered here.")
    shortfall: int = Field(description="Units missing to reach safety stock (0 when not below).")


class StockResult(ToolResult):
    product_id: str | None = None
    warehouse_id: str | None = None
    province: str | None = None
    levels: list[StockLevel]
    summary: str


class WarehouseResult(ToolResult):
    """The warehouse that serves a customer or province."""

    customer_id: str | None = None
    province: str
    province_name_zh: str
    warehouse_id: str
    warehouse_name_zh: str
    warehouse_name_en: str
    summary: str


class OfferLine(BaseModel):
    """One product in a substitute combination, with its stock and its price within the cap."""

    product_id: str
    product_name_zh: str
    product_name_en: str
    on_hand: int
    on_order: int
    safety_stock: int
    in_stock: bool = Field(description="on_hand >= safety_stock at the serving warehouse.")
    list_price: Decimal
    cap: Decimal | None = Field(default=None, description="VBP cap in force in the province, if any.")
    cap_programme_id: str | None = None
    unit_price: Decimal = Field(description="min(list price, cap in force).")


class SubstituteOption(BaseModel):
    offer_id: str
    rank: int
    product_ids: list[str]
    label_zh: str
    label_en: str
    rationale_zh: str = ""
    rationale_en: str = ""
    status: Literal["selected", "skipped", "not_needed"]
    reasons: list[str] = Field(default_factory=list, description="Why skipped, one per short product.")
    lines: list[OfferLine]
    bundle_price: Decimal = Field(description="Sum of the unit prices (one of each product).")


class SubstitutesResult(ToolResult):
    customer_id: str
    customer_name_zh: str
    customer_name_en: str
    province: str
    warehouse_id: str
    product_id: str
    requested: OfferLine = Field(description="The requested product itself at the serving warehouse.")
    limit: int
    options: list[SubstituteOption] = Field(description="Selected offers, in rank order.")
    skipped: list[SubstituteOption] = Field(description="Offers with a product below safety stock.")
    not_needed: list[SubstituteOption] = Field(default_factory=list, description="In stock, beyond limit.")
    skip_reasons: list[str]
    summary: str


def _level(stock: Stock | None, product: Product, warehouse: Warehouse) -> StockLevel:
    on_hand = stock.on_hand if stock else 0
    on_order = stock.on_order if stock else 0
    return StockLevel(
        warehouse_id=warehouse.id,
        warehouse_name_zh=warehouse.name_zh,
        warehouse_name_en=warehouse.name_en,
        product_id=product.id,
        product_name_zh=product.name_zh,
        product_name_en=product.name_en,
        on_hand=on_hand,
        on_order=on_order,
        safety_stock=product.safety_stock,
        below_safety=on_hand < product.safety_stock,
        shortfall=max(0, product.safety_stock - on_hand),
    )


def short_reason(level: StockLevel | OfferLine, warehouse_id: str | None = None) -> str:
    """The wording battle packs show: 'HMT-DCB-02 35 < safety 100 at WH-HZ'."""
    where = warehouse_id or getattr(level, "warehouse_id", "")
    return f"{level.product_id} {level.on_hand} < safety {level.safety_stock} at {where}"


class InventoryService(StoreService):
    """Stock questions over the ERP snapshot in the store."""

    def stock(
        self, product_id: str | None = None, warehouse_id: str | None = None, province: str | None = None
    ) -> StockResult:
        """Stock levels filtered by any of product, warehouse, province (its serving warehouse)."""
        with self.session_factory() as session:
            product = get_product(session, product_id) if product_id else None
            warehouse = get_warehouse(session, warehouse_id) if warehouse_id else None
            prov = get_province(session, province) if province else None
            sources: list[Source] = []
            if prov is not None:
                sources.append(record("provinces", prov.code, prov.name_zh, "warehouse_id"))
                if warehouse is not None and warehouse.id != prov.warehouse_id:
                    raise ValueError(
                        f"province {prov.code} is served by {prov.warehouse_id}, not {warehouse.id}"
                    )
                warehouse = session.get(Warehouse, prov.warehouse_id)
            levels = self._levels(session, product, warehouse)
            for lvl in levels:
                sources.append(
                    record("stock", f"{lvl.warehouse_id}/{lvl.product_id}", "", "on_hand,on_order")
                )
                sources.append(record("products", lvl.product_id, lvl.product_name_zh, "safety_stock"))
        short = [short_reason(lvl) for lvl in levels if lvl.below_safety]
        scope = " ".join(x for x in (product_id, warehouse.id if warehouse else None) if x) or "all"
        summary = f"{len(levels)} stock rows ({scope})" + (
            f"; below safety: {'; '.join(short)}" if short else ""
        )
        return StockResult(
            product_id=product.id if product else None,
            warehouse_id=warehouse.id if warehouse else None,
            province=prov.code if prov else None,
            levels=levels,
            summary=summary,
            sources=dedupe_sources(sources),
        )

    def on_order(
        self, product_id: str | None = None, warehouse_id: str | None = None, province: str | None = None
    ) -> StockResult:
        """Only the rows with units on order (inbound replenishment)."""
        full = self.stock(product_id=product_id, warehouse_id=warehouse_id, province=province)
        levels = [lvl for lvl in full.levels if lvl.on_order > 0]
        keys = {f"{lvl.warehouse_id}/{lvl.product_id}" for lvl in levels}
        sources = [s for s in full.sources if s.ref != "stock" or s.id in keys]
        parts = [f"{lvl.product_id} {lvl.on_order} on order at {lvl.warehouse_id}" for lvl in levels]
        summary = "; ".join(parts) if parts else "nothing on order"
        return full.model_copy(update={"levels": levels, "sources": sources, "summary": summary})

    def serving_warehouse(
        self, customer_id: str | None = None, province: str | None = None
    ) -> WarehouseResult:
        """Which warehouse ships to a customer (through its province) or to a province."""
        if not customer_id and not province:
            raise ValueError("give a customer_id or a province")
        with self.session_factory() as session:
            sources: list[Source] = []
            customer = get_customer(session, customer_id) if customer_id else None
            if customer is not None:
                sources.append(record("customers", customer.id, customer.name_zh, "province"))
                prov = get_province(session, customer.province)
            else:
                prov = get_province(session, province or "")
            wh = session.get(Warehouse, prov.warehouse_id)
            assert wh is not None  # FK guarantees it
            sources.append(record("provinces", prov.code, prov.name_zh, "warehouse_id"))
            sources.append(record("warehouses", wh.id, wh.name_zh))
        who = customer.id if customer else prov.code
        return WarehouseResult(
            customer_id=customer.id if customer else None,
            province=prov.code,
            province_name_zh=prov.name_zh,
            warehouse_id=wh.id,
            warehouse_name_zh=wh.name_zh,
            warehouse_name_en=wh.name_en,
            summary=f"{who} ({prov.name_zh}) is served by {wh.id} {wh.name_zh}",
            sources=sources,
        )

    def substitutes(self, customer_id: str, product_id: str, limit: int = 2) -> SubstitutesResult:
        """The first `limit` alternative offers fully in stock where the customer is served."""
        if limit < 1:
            raise ValueError("limit must be at least 1")
        with self.session_factory() as session:
            customer = get_customer(session, customer_id)
            product = get_product(session, product_id)
            prov = session.get(Province, customer.province)
            assert prov is not None
            warehouse = session.get(Warehouse, prov.warehouse_id)
            assert warehouse is not None
            sources: list[Source] = [
                record("customers", customer.id, customer.name_zh, "province"),
                record("provinces", prov.code, prov.name_zh, "warehouse_id"),
            ]
            offers = session.execute(
                select(AlternativeOffer)
                .where(AlternativeOffer.product_id == product.id)
                .order_by(AlternativeOffer.rank, AlternativeOffer.id)
            ).scalars()
            requested = self._line(session, product.id, warehouse, prov.code, sources)
            selected: list[SubstituteOption] = []
            skipped: list[SubstituteOption] = []
            not_needed: list[SubstituteOption] = []
            for offer in offers:
                sources.append(record("alternative_offers", offer.id, offer.label_zh, f"rank {offer.rank}"))
                lines = [self._line(session, pid, warehouse, prov.code, sources) for pid in offer.product_ids]
                reasons = [short_reason(ln, warehouse.id) for ln in lines if not ln.in_stock]
                if reasons:
                    status: Literal["selected", "skipped", "not_needed"] = "skipped"
                elif len(selected) < limit:
                    status = "selected"
                else:
                    status = "not_needed"
                option = SubstituteOption(
                    offer_id=offer.id,
                    rank=offer.rank,
                    product_ids=list(offer.product_ids),
                    label_zh=offer.label_zh,
                    label_en=offer.label_en,
                    rationale_zh=offer.rationale_zh,
                    rationale_en=offer.rationale_en,
                    status=status,
                    reasons=reasons,
                    lines=lines,
                    bundle_price=sum((ln.unit_price for ln in lines), Decimal(0)),
                )
                {"selected": selected, "skipped": skipped, "not_needed": not_needed}[status].append(option)
        skip_reasons = [f"{o.offer_id}: {r}" for o in skipped for r in o.reasons]
        picked = ", ".join("+".join(o.product_ids) for o in selected) or "none in stock"
        req_note = "" if requested.in_stock else f"; requested {short_reason(requested, warehouse.id)}"
        summary = f"{customer.id} via {warehouse.id}: {picked}{req_note}"
        if skip_reasons:
            summary += f"; skipped {'; '.join(skip_reasons)}"
        log.info("substitutes", extra={"customer": customer.id, "product": product.id, "picked": picked})
        return SubstitutesResult(
            customer_id=customer.id,
            customer_name_zh=customer.name_zh,
            customer_name_en=customer.name_en,
            province=prov.code,
            warehouse_id=warehouse.id,
            product_id=product.id,
            requested=requested,
            limit=limit,
            options=selected,
            skipped=skipped,
            not_needed=not_needed,
            skip_reasons=skip_reasons,
            summary=summary,
            sources=dedupe_sources(sources),
        )

    # -- helpers -----------------------------------------------------------------------------

    def _levels(
        self, session: Session, product: Product | None, warehouse: Warehouse | None
    ) -> list[StockLevel]:
        products = (
            [product] if product else list(session.execute(select(Product).order_by(Product.id)).scalars())
        )
        warehouses = (
            [warehouse]
            if warehouse
            else list(session.execute(select(Warehouse).order_by(Warehouse.id)).scalars())
        )
        stmt = select(Stock)
        if product:
            stmt = stmt.where(Stock.product_id == product.id)
        if warehouse:
            stmt = stmt.where(Stock.warehouse_id == warehouse.id)
        rows = {(s.warehouse_id, s.product_id): s for s in session.execute(stmt).scalars()}
        return [
            _level(rows.get((wh.id, p.id)), p, wh)
            for wh in warehouses
            for p in products
            if (wh.id, p.id) in rows or product is not None
        ]

    def _line(
        self, session: Session, product_id: str, warehouse: Warehouse, province: str, sources: list[Source]
    ) -> OfferLine:
        product = get_product(session, product_id)
        stock = session.get(Stock, (warehouse.id, product.id))
        level = _level(stock, product, warehouse)
        cap = vbp.cap_in_force(session, product.id, province, self.today)
        sources.append(record("stock", f"{warehouse.id}/{product.id}", "", "on_hand,on_order"))
        sources.append(record("products", product.id, product.name_zh, "list_price,safety_stock"))
        if cap is not None:
            sources.append(record("vbp_awards", cap.award_id, cap.programme_name_zh, "price_cap"))
        list_price = Decimal(product.list_price)
        return OfferLine(
            product_id=product.id,
            product_name_zh=product.name_zh,
            product_name_en=product.name_en,
            on_hand=level.on_hand,
            on_order=level.on_order,
            safety_stock=level.safety_stock,
            in_stock=not level.below_safety,
            list_price=list_price,
            cap=cap.cap if cap else None,
            cap_programme_id=cap.programme_id if cap else None,
            unit_price=min(list_price, cap.cap) if cap else list_price,
        )


__all__ = [
    "InventoryService",
    "OfferLine",
    "StockLevel",
    "StockResult",
    "SubstituteOption",
    "SubstitutesResult",
    "WarehouseResult",
]
