"""Market access: NRDL (医保) category, VBP (集采) programmes, stage, bids and caps per province.

"Is there a cap on RuiChang DCB in Zhejiang?" has two honest answers on 2026-11-30: a cap of
5,900 has been announced, and it is not in force until 2027-01-01. The result therefore keeps the
announced cap and the in-force flag apart. Regulation look-ups go to the knowledge base (law
summaries), re-ranked so passages naming the asked law and article come first.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from pydantic import BaseModel, Field
from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from knowledge.store.db import SessionFactory
from knowledge.store.models import (
    Competitor,
    CompetitorProduct,
    InsurancePolicy,
    Product,
    VbpAward,
    VbpProgramme,
)
from tools import vbp
from tools.base import (
    StoreService,
    dedupe_sources,
    fmt_money,
    get_customer,
    get_product,
    get_province,
    record,
)
from tools.common import Principal, Source, ToolResult
from tools.regulations import law_query, rerank_for_law
from tools.search import DocHit, DocSearchService, chunk_source


class OurAward(BaseModel):
    award_id: str
    bid_price: Decimal | None
    won: bool | None = Field(description="None: no award yet.")
    cap: Decimal | None
    cap_effective_from: dt.date | None
    cap_in_force: bool


class CompetitorAward(BaseModel):
    award_id: str
    competitor_product_id: str
    competitor_product_name_zh: str
    competitor_product_name_en: str
    company_zh: str
    company_en: str
    bid_price: Decimal | None
    won: bool | None


class ProgrammeStatus(BaseModel):
    programme_id: str
    name_zh: str
    name_en: str
    scope: str
    lead_province: str | None
    provinces: list[str]
    member_count: int
    stage: str
    stage_en: str
    execution_start: dt.date | None
    applies_in_province: bool
    ours: OurAward | None
    competitors: list[CompetitorAward]


class AccessResult(ToolResult):
    product_id: str
    product_name_zh: str
    product_name_en: str
    province: str | None
    province_name_zh: str | None
    nrdl_category: str = Field(description="甲类 / 乙类 / 丙类 (丙类 = self-pay).")
    nrdl_source: str = Field(description="Where the category came from: provincial, national or product.")
    programmes: list[ProgrammeStatus]
    cap_in_force: Decimal | None = Field(description="The binding cap in force today in the province.")
    announced_caps: list[vbp.CapInfo] = Field(description="Every cap on the product in the province.")
    as_of: dt.date
    summary: str


class RegulationResult(ToolResult):
    law: str | None
    article: int | None
    query: str
    hits: list[DocHit]
    summary: str


class PriceResult(ToolResult):
    product_id: str
    province: str
    customer_id: str | None
    list_price: Decimal
    cap: vbp.CapInfo | None = Field(description="The binding VBP cap in force, if any.")
    unit_price: Decimal = Field(description="min(list price, cap in force).")
    calculation: str
    announced_caps: list[vbp.CapInfo]
    as_of: dt.date
    summary: str


def _award_sort(a: VbpAward) -> tuple[int, str]:
    return (0 if a.product_id else 1, a.id)


class PolicyService(StoreService):
    """Reads insurance listings and VBP programmes; delegates law look-ups to document search."""

    def __init__(
        self, session_factory: SessionFactory, today: dt.date, search: DocSearchService | None = None
    ) -> None:
        super().__init__(session_factory, today)
        self.search = search

    def access(self, product_id: str, province: str | None = None) -> AccessResult:
        """NRDL category and every VBP programme touching the product (in the province if given)."""
        with self.session_factory() as session:
            product = get_product(session, product_id)
            prov = get_province(session, province) if province else None
            sources: list[Source] = [record("products", product.id, product.name_zh, "nrdl_category")]
            category, origin = self._nrdl(session, product, prov.code if prov else None, sources)
            programmes = self._programmes(session, product, prov.code if prov else None, sources)
            caps = vbp.caps_for(session, product.id, prov.code, self.today) if prov else []
        binding = min((c.cap for c in caps if c.in_force), default=None)
        where = prov.name_zh if prov else "all provinces"
        parts = [f"{product.id} {category} ({origin})"]
        for p in programmes:
            ours = p.ours
            bit = f"{p.programme_id} {p.stage}/{p.stage_en}"
            if ours and ours.cap is not None:
                state = "in force" if ours.cap_in_force else f"not in force until {ours.cap_effective_from}"
                bit += f", cap {fmt_money(ours.cap)} {state}"
            parts.append(bit)
        parts.append(f"cap in force in {where}: {fmt_money(binding) if binding is not None else 'none'}")
        return AccessResult(
            product_id=product.id,
            product_name_zh=product.name_zh,
            product_name_en=product.name_en,
            province=prov.code if prov else None,
            province_name_zh=prov.name_zh if prov else None,
            nrdl_category=category,
            nrdl_source=origin,
            programmes=programmes,
            cap_in_force=binding,
            announced_caps=caps,
            as_of=self.today,
            summary="; ".join(parts),
            sources=dedupe_sources(sources),
        )

    def price(
        self, product_id: str, province: str | None = None, customer_id: str | None = None
    ) -> PriceResult:
        """The unit price we may quote in a province (or at a customer): list price within the cap in force."""
        if not province and not customer_id:
            raise ValueError("give a province or a customer_id")
        with self.session_factory() as session:
            product = get_product(session, product_id)
            sources: list[Source] = [record("products", product.id, product.name_zh, "list_price")]
            customer = get_customer(session, customer_id) if customer_id else None
            if customer is not None:
                sources.append(record("customers", customer.id, customer.name_zh, "province"))
            prov = get_province(session, customer.province if customer else province or "")
            caps = vbp.caps_for(session, product.id, prov.code, self.today)
        in_force = [c for c in caps if c.in_force]
        cap = min(in_force, key=lambda c: c.cap) if in_force else None
        sources.extend(record("vbp_awards", c.award_id, c.programme_name_zh, "price_cap") for c in caps)
        listed = Decimal(product.list_price)
        if cap is not None:
            unit = min(listed, cap.cap)
            calc = f"min({fmt_money(listed)} list, {fmt_money(cap.cap)} cap {cap.programme_id}) = {fmt_money(unit)}"
        else:
            unit = listed
            calc = f"{fmt_money(listed)} list price, no VBP cap in force in {prov.code}"
        pending = [c for c in caps if not c.in_force]
        if pending:
            calc += "; announced: " + ", ".join(
                f"{c.programme_id} cap {fmt_money(c.cap)} from {c.effective_from}" for c in pending
            )
        who = customer.id if customer else prov.code
        return PriceResult(
            product_id=product.id,
            province=prov.code,
            customer_id=customer.id if customer else None,
            list_price=listed,
            cap=cap,
            unit_price=unit,
            calculation=calc,
            announced_caps=caps,
            as_of=self.today,
            summary=f"{product.id} at {who}: {calc}",
            sources=dedupe_sources(sources),
        )

    def regulation(
        self,
        law: str | None = None,
        article: int | None = None,
        query: str = "",
        principal: Principal | None = None,
        k: int = 3,
    ) -> RegulationResult:
        """Passages of the law summaries in the knowledge base for a law / article / question."""
        if self.search is None:
            from tools.search import KnowledgeBaseUnavailableError

            raise KnowledgeBaseUnavailableError("regulation look-up needs the knowledge base")
        text, names = law_query(law, article, query)
        found = self.search.search(text, principal=principal, k=max(k * 3, 8), filters={"doc_type": "law"})
        if not found.hits:  # law summaries may be typed otherwise (policy, legal memo)
            found = self.search.search(text, principal=principal, k=max(k * 3, 8))
        hits = rerank_for_law(found.hits, names, article)[:k]
        label = " ".join(x for x in (law, f"art. {article}" if article else None) if x) or query
        return RegulationResult(
            law=law,
            article=article,
            query=text,
            hits=hits,
            summary=f"{label}: {hits[0].citation}" if hits else f"{label}: no passage found",
            sources=[chunk_source(h) for h in hits],
        )

    # -- helpers -----------------------------------------------------------------------------

    def _nrdl(
        self, session: Session, product: Product, province: str | None, sources: list[Source]
    ) -> tuple[str, str]:
        stmt = select(InsurancePolicy).where(
            InsurancePolicy.product_id == product.id, InsurancePolicy.effective_from <= self.today
        )
        rows = list(session.execute(stmt.order_by(InsurancePolicy.effective_from.desc())).scalars())
        provincial = [r for r in rows if province and r.province == province]
        national = [r for r in rows if r.province is None]
        for rows_, origin in ((provincial, "provincial"), (national, "national")):
            if rows_:
                sources.append(record("insurance_policies", rows_[0].id, "", "category"))
                return rows_[0].category, origin
        return product.nrdl_category, "product"

    def _programmes(
        self, session: Session, product: Product, province: str | None, sources: list[Source]
    ) -> list[ProgrammeStatus]:
        theirs = select(CompetitorProduct.id).where(CompetitorProduct.against_product_id == product.id)
        awards = list(
            session.execute(
                select(VbpAward).where(
                    or_(VbpAward.product_id == product.id, VbpAward.competitor_product_id.in_(theirs))
                )
            ).scalars()
        )
        by_programme: dict[str, list[VbpAward]] = {}
        for award in sorted(awards, key=_award_sort):
            by_programme.setdefault(award.programme_id, []).append(award)
        out: list[ProgrammeStatus] = []
        for pid in sorted(by_programme):
            programme = session.get(VbpProgramme, pid)
            assert programme is not None
            applies = vbp.covers(programme, province) if province else True
            if not applies:
                continue
            sources.append(record("vbp_programmes", programme.id, programme.name_zh, "stage,provinces"))
            ours: OurAward | None = None
            competitors: list[CompetitorAward] = []
            for award in by_programme[pid]:
                sources.append(record("vbp_awards", award.id, "", "bid_price,won,price_cap"))
                if award.product_id == product.id:
                    ours = OurAward(
                        award_id=award.id,
                        bid_price=award.bid_price,
                        won=award.won,
                        cap=award.price_cap,
                        cap_effective_from=vbp.cap_start(award, programme),
                        cap_in_force=vbp.is_in_force(award, programme, self.today),
                    )
                elif award.competitor_product_id:
                    competitors.append(self._competitor_award(session, award))
            out.append(
                ProgrammeStatus(
                    programme_id=programme.id,
                    name_zh=programme.name_zh,
                    name_en=programme.name_en,
                    scope=programme.scope,
                    lead_province=programme.lead_province,
                    provinces=list(programme.provinces),
                    member_count=programme.member_count,
                    stage=programme.stage,
                    stage_en=programme.stage_en,
                    execution_start=programme.execution_start,
                    applies_in_province=applies,
                    ours=ours,
                    competitors=competitors,
                )
            )
        return out

    @staticmethod
    def _competitor_award(session: Session, award: VbpAward) -> CompetitorAward:
        cp = session.get(CompetitorProduct, award.competitor_product_id)
        assert cp is not None
        company = session.get(Competitor, cp.competitor_id)
        return CompetitorAward(
            award_id=award.id,
            competitor_product_id=cp.id,
            competitor_product_name_zh=cp.name_zh,
            competitor_product_name_en=cp.name_en,
            company_zh=company.name_zh if company else "",
            company_en=company.name_en if company else "",
            bid_price=award.bid_price,
            won=award.won,
        )
