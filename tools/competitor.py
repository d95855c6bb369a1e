"""Competitor intelligence: who competes with which of our products, at which hospitals, at what price.

Price gaps are returned as the calculation itself ("6,800 - 5,600 = 1,200"), not just the number,
because reps repeat the figure to purchasing departments and must be able to show where it came
from. Our side uses the list price unless a VBP cap in force in the province binds below it.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from pydantic import BaseModel, Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from knowledge.store.models import Competitor, CompetitorProduct, CustomerCompetitor, Product, VbpAward
from tools import vbp
from tools.base import (
    StoreService,
    dedupe_sources,
    fmt_money,
    get_customer,
    get_product,
    get_province,
    norm,
    record,
)
from tools.common import NotFoundError, Source, ToolResult


class CompetitorEntry(BaseModel):
    competitor_product_id: str
    name_zh: str
    name_en: str
    company_id: str
    company_zh: str
    company_en: str
    origin: str
    against_product_id: str
    against_name_zh: str
    against_name_en: str
    terminal_price: Decimal
    note_zh: str = ""
    note_en: str = ""


class CompetitorsResult(ToolResult):
    product_id: str | None
    competitor: str | None
    entries: list[CompetitorEntry]
    summary: str


class HospitalCompetitor(CompetitorEntry):
    share_pct: int | None = None
    hospital_note: str = ""


class HospitalCompetitorsResult(ToolResult):
    customer_id: str
    customer_name_zh: str
    customer_name_en: str
    entries: list[HospitalCompetitor]
    summary: str


class PriceGap(BaseModel):
    competitor_product_id: str
    competitor_name_zh: str
    competitor_name_en: str
    our_product_id: str
    our_price: Decimal
    our_price_basis: str = Field(description="'list price' or 'VBP cap <programme> in force'.")
    their_price: Decimal = Field(description="Competitor terminal price.")
    gap: Decimal = Field(description="ours - theirs; positive means we are dearer.")
    gap_pct: Decimal = Field(description="gap / theirs x 100, one decimal.")
    calculation: str = Field(description="e.g. '6,800 - 5,600 = 1,200'.")
    pct_calculation: str
    our_bid: Decimal | None = None
    their_bid: Decimal | None = None
    bid_calculation: str | None = Field(default=None, description="VBP bids in the same programme.")


class PriceComparisonResult(ToolResult):
    product_id: str
    province: str | None
    rows: list[PriceGap]
    summary: str


def gap_calculation(ours: Decimal, theirs: Decimal) -> tuple[Decimal, str]:
    gap = ours - theirs
    return gap, f"{fmt_money(ours)} - {fmt_money(theirs)} = {fmt_money(gap)}"


def pct(gap: Decimal, base: Decimal) -> Decimal:
    if base == 0:
        return Decimal(0)
    return (gap / base * 100).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


class CompetitorService(StoreService):
    def by_product(self, product_id: str | None = None, competitor: str | None = None) -> CompetitorsResult:
        """Competitor products against one of ours, or every product of a competitor (id, name, alias)."""
        if not product_id and not competitor:
            raise ValueError("give product_id or competitor")
        with self.session_factory() as session:
            rows = self._competitor_products(session, competitor) if competitor else None
            product = get_product(session, product_id) if product_id else None
            stmt = select(CompetitorProduct).order_by(CompetitorProduct.id)
            if product is not None:
                stmt = stmt.where(CompetitorProduct.against_product_id == product.id)
            found = list(session.execute(stmt).scalars())
            if rows is not None:
                keep = {r.id for r in rows}
                found = [r for r in found if r.id in keep]
            sources: list[Source] = []
            entries = [self._entry(session, cp, sources) for cp in found]
        names = ", ".join(f"{e.name_en} ({e.company_en}) {fmt_money(e.terminal_price)}" for e in entries)
        return CompetitorsResult(
            product_id=product.id if product else None,
            competitor=competitor,
            entries=entries,
            summary=f"{len(entries)} competitor products: {names}" if entries else "no competitor on record",
            sources=dedupe_sources(sources),
        )

    def by_hospital(self, customer_id: str) -> HospitalCompetitorsResult:
        """Competitor products in use at a hospital (from visit notes and tenders), largest share first."""
        with self.session_factory() as session:
            customer = get_customer(session, customer_id)
            links = list(
                session.execute(
                    select(CustomerCompetitor).where(CustomerCompetitor.customer_id == customer.id)
                ).scalars()
            )
            sources: list[Source] = [record("customers", customer.id, customer.name_zh)]
            entries: list[HospitalCompetitor] = []
            for link in links:
                cp = session.get(CompetitorProduct, link.competitor_product_id)
                assert cp is not None
                sources.append(record("customer_competitors", f"{customer.id}/{cp.id}", "", "share_pct,note"))
                base = self._entry(session, cp, sources)
                entries.append(
                    HospitalCompetitor(**base.model_dump(), share_pct=link.share_pct, hospital_note=link.note)
                )
        entries.sort(key=lambda e: (-(e.share_pct or 0), e.competitor_product_id))
        bits = [f"{e.name_en} {e.share_pct}%" if e.share_pct is not None else e.name_en for e in entries]
        return HospitalCompetitorsResult(
            customer_id=customer.id,
            customer_name_zh=customer.name_zh,
            customer_name_en=customer.name_en,
            entries=entries,
            summary=f"{customer.id}: {', '.join(bits)}"
            if bits
            else f"{customer.id}: no competitor on record",
            sources=dedupe_sources(sources),
        )

    def price_comparison(
        self, product_id: str, competitor_product_id: str | None = None, province: str | None = None
    ) -> PriceComparisonResult:
        """Our price vs each competitor's terminal price, with the gap written as a calculation."""
        with self.session_factory() as session:
            product = get_product(session, product_id)
            prov = get_province(session, province) if province else None
            sources: list[Source] = [record("products", product.id, product.name_zh, "list_price")]
            cap = vbp.cap_in_force(session, product.id, prov.code, self.today) if prov else None
            our_price, basis = Decimal(product.list_price), "list price"
            if cap is not None:
                sources.append(record("vbp_awards", cap.award_id, cap.programme_name_zh, "price_cap"))
                if cap.cap < our_price:
                    our_price, basis = cap.cap, f"VBP cap {cap.programme_id} in force"
            stmt = select(CompetitorProduct).where(CompetitorProduct.against_product_id == product.id)
            found = list(session.execute(stmt.order_by(CompetitorProduct.id)).scalars())
            if competitor_product_id:
                wanted = {c.id for c in self._competitor_products(session, competitor_product_id)}
                found = [c for c in found if c.id in wanted]
                if not found:
                    raise NotFoundError("competitor product against " + product.id, competitor_product_id)
            rows = [self._gap(session, product, cp, our_price, basis, sources) for cp in found]
        return PriceComparisonResult(
            product_id=product.id,
            province=prov.code if prov else None,
            rows=rows,
            summary="; ".join(f"{r.competitor_name_en}: {r.calculation} ({r.gap_pct}%)" for r in rows)
            or "no competitor price on record",
            sources=dedupe_sources(sources),
        )

    # -- helpers -----------------------------------------------------------------------------

    def _gap(
        self,
        session: Session,
        product: Product,
        cp: CompetitorProduct,
        our_price: Decimal,
        basis: str,
        sources: list[Source],
    ) -> PriceGap:
        sources.append(record("competitor_products", cp.id, cp.name_zh, "terminal_price"))
        theirs = Decimal(cp.terminal_price)
        gap, calc = gap_calculation(our_price, theirs)
        gap_pct = pct(gap, theirs)
        our_bid, their_bid, bid_calc = self._bids(session, product.id, cp.id, sources)
        return PriceGap(
            competitor_product_id=cp.id,
            competitor_name_zh=cp.name_zh,
            competitor_name_en=cp.name_en,
            our_product_id=product.id,
            our_price=our_price,
            our_price_basis=basis,
            their_price=theirs,
            gap=gap,
            gap_pct=gap_pct,
            calculation=calc,
            pct_calculation=f"{fmt_money(gap)} / {fmt_money(theirs)} = {gap_pct}%",
            our_bid=our_bid,
            their_bid=their_bid,
            bid_calculation=bid_calc,
        )

    @staticmethod
    def _bids(
        session: Session, product_id: str, cp_id: str, sources: list[Source]
    ) -> tuple[Decimal | None, Decimal | None, str | None]:
        """Our bid and theirs in the same VBP programme, when both bid."""
        ours = session.execute(select(VbpAward).where(VbpAward.product_id == product_id)).scalars()
        mine = {a.programme_id: a for a in ours if a.bid_price is not None}
        theirs = session.execute(select(VbpAward).where(VbpAward.competitor_product_id == cp_id)).scalars()
        for award in theirs:
            if award.bid_price is not None and award.programme_id in mine:
                own = mine[award.programme_id]
                assert own.bid_price is not None
                sources.append(record("vbp_awards", own.id, "", "bid_price"))
                sources.append(record("vbp_awards", award.id, "", "bid_price"))
                _, calc = gap_calculation(Decimal(own.bid_price), Decimal(award.bid_price))
                return Decimal(own.bid_price), Decimal(award.bid_price), f"{award.programme_id}: {calc}"
        return None, None, None

    @staticmethod
    def _competitor_products(session: Session, query: str) -> list[CompetitorProduct]:
        """A competitor product (id, name, alias) or every product of a competitor company."""
        wanted = norm(query)
        products = list(session.execute(select(CompetitorProduct).order_by(CompetitorProduct.id)).scalars())
        exact = [
            p
            for p in products
            if wanted in {norm(x) for x in (p.id, p.name_zh, p.name_en, *(p.aliases or []))}
        ]
        if exact:
            return exact
        companies = list(session.execute(select(Competitor)).scalars())
        for c in companies:
            names = {norm(x) for x in (c.id, c.name_zh, c.name_en, *(c.aliases or []))}
            if wanted in names or any(len(wanted) >= 2 and wanted in n for n in names):
                return [p for p in products if p.competitor_id == c.id]
        raise NotFoundError("competitor", query, [p.id for p in products][:3])

    @staticmethod
    def _entry(session: Session, cp: CompetitorProduct, sources: list[Source]) -> CompetitorEntry:
        company = session.get(Competitor, cp.competitor_id)
        ours = session.get(Product, cp.against_product_id)
        assert company is not None and ours is not None
        sources.append(record("competitor_products", cp.id, cp.name_zh, "terminal_price,note"))
        return CompetitorEntry(
            competitor_product_id=cp.id,
            name_zh=cp.name_zh,
            name_en=cp.name_en,
            company_id=company.id,
            company_zh=company.name_zh,
            company_en=company.name_en,
            origin=company.origin,
            against_product_id=ours.id,
            against_name_zh=ours.name_zh,
            against_name_en=ours.name_en,
            terminal_price=Decimal(cp.terminal_price),
            note_zh=cp.note_zh,
            note_en=cp.note_en,
        )
