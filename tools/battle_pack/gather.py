"""Gathering the situation of a (customer, product) pair from the domain services into facts.

Nothing here decides what to say; it turns typed tool results into `Fact`s whose sources match
the records the services cite (`stock:WH-HZ/HMT-DCB-02`, `vbp_awards:<id>`, ...), and derives
the few figures a pack shows as calculations (price gap, its percentage, bid gap, shortfall).
The condition flags playbooks match on (`vbp_status`, `stock_short`, `competitor_cheaper`,
`competitor_imported`, `has_medical_group`) are set here too.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from knowledge.store.db import SessionFactory
from knowledge.store.models import Province
from tools.base import get_product, record
from tools.battle_pack.facts import FactBook
from tools.battle_pack.models import Lang
from tools.common import Principal
from tools.competitor import CompetitorEntry, PriceGap
from tools.customer import CustomerProfile
from tools.inventory import StockLevel
from tools.policy import AccessResult, ProgrammeStatus


@dataclass
class Gathered:
    """The tool results one pack is built from, and the facts drawn from them."""

    customer: CustomerProfile
    product_id: str
    product_name: str
    access: AccessResult
    stock: StockLevel
    competitor: CompetitorEntry
    gap: PriceGap
    share_pct: int | None
    list_price: Decimal
    province_name_en: str
    facts: FactBook
    programme: ProgrammeStatus | None = None
    notes: list[str] = field(default_factory=list)


TIER_EN = {"三甲": "tertiary grade A", "三乙": "tertiary grade B", "二级": "secondary"}
NRDL_EN = {"甲类": "class A", "乙类": "class B", "丙类": "class C, self-pay"}


def _english(lang: Lang, zh: str, table: dict[str, str]) -> str:
    """English packs show the English term with the Chinese one the records hold."""
    return f"{table[zh]} ({zh})" if lang == "en" and zh in table else zh


def _name(lang: Lang, zh: str, en: str) -> str:
    return zh if lang == "zh" or not en else en


def vbp_status(programme: ProgrammeStatus | None) -> str:
    """won (cap in force) / won_pending (awarded, cap not yet in force) / lost / tender / none."""
    if programme is None or programme.ours is None:
        return "none"
    ours = programme.ours
    if ours.won is None:
        return "tender"
    if ours.won is False:
        return "lost"
    return "won" if ours.cap_in_force or ours.cap is None else "won_pending"


def pick_programme(access: AccessResult) -> ProgrammeStatus | None:
    """The programme that binds us in the province: ours in force first, then any of ours."""
    ours = [p for p in access.programmes if p.applies_in_province and p.ours is not None]
    ours.sort(key=lambda p: (not (p.ours and p.ours.cap_in_force), p.programme_id))
    return ours[0] if ours else None


def pick_competitor(services: Any, customer_id: str, product_id: str) -> tuple[CompetitorEntry, int | None]:
    """The competitor product at the hospital (largest share), else the one against our product."""
    at_hospital = services.competitor.by_hospital(customer_id)
    present = [e for e in at_hospital.entries if e.against_product_id == product_id]
    if present:
        return present[0], present[0].share_pct
    entries = services.competitor.by_product(product_id=product_id).entries
    if not entries:
        raise LookupError(f"no competitor product on record against {product_id}")
    return entries[0], None


def gather(
    services: Any,
    session_factory: SessionFactory,
    customer_id: str,
    product_id: str,
    principal: Principal | None,
    lang: Lang,
) -> Gathered:
    """Call the customer, policy, inventory and competitor services and build the fact book."""
    profile: CustomerProfile = services.customer.profile(customer_id, principal=principal)
    access: AccessResult = services.policy.access(product_id, profile.province)
    stock = services.inventory.stock(product_id=access.product_id, province=profile.province).levels[0]
    competitor, share = pick_competitor(services, profile.customer_id, access.product_id)
    gap = services.competitor.price_comparison(
        access.product_id, competitor_product_id=competitor.competitor_product_id, province=profile.province
    ).rows[0]
    with session_factory() as session:
        list_price = Decimal(get_product(session, access.product_id).list_price)
        province = session.get(Province, profile.province)
        province_en = province.name_en if province else profile.province
    book = FactBook(lang=lang)
    g = Gathered(
        customer=profile,
        product_id=access.product_id,
        product_name=_name(lang, access.product_name_zh, access.product_name_en),
        access=access,
        stock=stock,
        competitor=competitor,
        gap=gap,
        share_pct=share,
        list_price=list_price,
        province_name_en=province_en,
        facts=book,
        programme=pick_programme(access),
    )
    _customer_facts(g)
    _access_facts(g)
    _stock_facts(g)
    _competitor_facts(g)
    return g


def _customer_facts(g: Gathered) -> None:
    b, c = g.facts, g.customer
    cust = record("customers", c.customer_id, c.name_zh)
    b.add("customer", ("客户", "Customer"), _name(b.lang, c.name_zh, c.name_en), [cust])
    b.add("tier", ("医院等级", "Tier"), _english(b.lang, c.tier, TIER_EN), [cust], raw=c.tier)
    province = _name(b.lang, c.province_name_zh, g.province_name_en)
    b.add("province", ("省份", "Province"), province, [cust, record("provinces", c.province)], raw=c.province)
    if c.medical_group:
        group = record("medical_groups", c.medical_group.id, c.medical_group.name_zh)
        b.add(
            "medical_group",
            ("医联体", "Medical group"),
            _name(b.lang, c.medical_group.name_zh, c.medical_group.name_en),
            [cust, group],
        )
    b.flag("has_medical_group", c.medical_group is not None)


def _access_facts(g: Gathered) -> None:
    b, a = g.facts, g.access
    prod = record("products", a.product_id, a.product_name_zh)
    b.add("product", ("产品", "Product"), g.product_name, [prod])
    b.money("list_price", ("挂网价", "List price"), g.list_price, [prod])
    nrdl = [s for s in a.sources if s.ref == "insurance_policies"] or [prod]
    nrdl_text = _english(b.lang, a.nrdl_category, NRDL_EN)
    b.add("nrdl_category", ("医保类别", "NRDL category"), nrdl_text, nrdl, raw=a.nrdl_category)
    p = g.programme
    b.flag("vbp_status", vbp_status(p))
    b.flag("cap_in_force", a.cap_in_force is not None)
    if p is None:
        return
    prog = record("vbp_programmes", p.programme_id, p.name_zh)
    b.add("vbp_programme", ("集采项目", "VBP programme"), _name(b.lang, p.name_zh, p.name_en), [prog])
    b.add("vbp_stage", ("集采阶段", "VBP stage"), _name(b.lang, p.stage, p.stage_en), [prog])
    ours = p.ours
    assert ours is not None
    award = record("vbp_awards", ours.award_id, p.name_zh)
    if ours.bid_price is not None:
        b.money("our_bid", ("我方中选价", "Our bid"), ours.bid_price, [award])
    if ours.cap is not None:
        b.money("cap", ("集采限价", "VBP cap"), ours.cap, [award])
    if ours.cap_effective_from is not None:
        b.add(
            "cap_start",
            ("限价执行日", "Cap applies from"),
            ours.cap_effective_from.isoformat(),
            [award, prog],
        )
    theirs = [c for c in p.competitors if c.competitor_product_id == g.competitor.competitor_product_id]
    if theirs and theirs[0].bid_price is not None:
        b.money(
            "competitor_bid",
            ("竞品中选价", "Competitor bid"),
            theirs[0].bid_price,
            [record("vbp_awards", theirs[0].award_id)],
        )
        if b.has("our_bid") and b.facts["our_bid"].raw != b.facts["competitor_bid"].raw:
            mine_higher = b.facts["our_bid"].raw > b.facts["competitor_bid"].raw
            hi, lo = ("our_bid", "competitor_bid") if mine_higher else ("competitor_bid", "our_bid")
            b.derive("bid_gap", ("中选价差", "Bid gap"), "-", hi, lo)


def _stock_facts(g: Gathered) -> None:
    b, s = g.facts, g.stock
    stock = record("stock", f"{s.warehouse_id}/{s.product_id}", "", "on_hand,on_order")
    prod = record("products", s.product_id, s.product_name_zh, "safety_stock")
    wh = record("warehouses", s.warehouse_id, s.warehouse_name_zh)
    b.add(
        "warehouse",
        ("供货仓", "Serving warehouse"),
        _name(b.lang, s.warehouse_name_zh, s.warehouse_name_en),
        [record("provinces", g.customer.province), wh],
    )
    b.money("on_hand", ("现有库存", "On hand"), s.on_hand, [stock])
    b.money("on_order", ("在途", "On order"), s.on_order, [stock])
    b.money("safety_stock", ("安全库存", "Safety stock"), s.safety_stock, [prod])
    b.flag("stock_short", s.below_safety)
    if s.below_safety:
        b.derive("shortfall", ("库存缺口", "Shortfall"), "-", "safety_stock", "on_hand")


def _competitor_facts(g: Gathered) -> None:
    b, c, gap = g.facts, g.competitor, g.gap
    cp = record("competitor_products", c.competitor_product_id, c.name_zh)
    b.add("competitor", ("竞品", "Competitor product"), _name(b.lang, c.name_zh, c.name_en), [cp])
    b.add(
        "competitor_company",
        ("竞品厂家", "Competitor"),
        _name(b.lang, c.company_zh, c.company_en),
        [record("competitors", c.company_id, c.company_zh)],
    )
    b.money("competitor_price", ("竞品终端价", "Competitor terminal price"), gap.their_price, [cp])
    our_sources = [record("products", g.product_id)]
    ours = g.programme.ours if g.programme else None
    if gap.our_price_basis != "list price" and ours is not None:
        our_sources.append(record("vbp_awards", ours.award_id))
    b.money("our_price", ("我方价格", "Our price"), gap.our_price, our_sources)
    if g.share_pct is not None:
        link = record(
            "customer_competitors", f"{g.customer.customer_id}/{c.competitor_product_id}", "", "share_pct"
        )
        b.add(
            "competitor_share",
            ("竞品在院份额", "Competitor share at the hospital"),
            f"{g.share_pct}%",
            [link],
            g.share_pct,
        )
    cheaper = gap.our_price > gap.their_price
    b.flag("competitor_cheaper", cheaper)
    b.flag("competitor_imported", c.origin == "imported")
    b.flag("competitor_at_customer", g.share_pct is not None)
    if gap.our_price != gap.their_price:
        hi, lo = ("our_price", "competitor_price") if cheaper else ("competitor_price", "our_price")
        b.derive("price_gap", ("价差", "Price gap"), "-", hi, lo)
        b.percent("price_gap_pct", ("价差比例", "Price gap %"), "price_gap", "competitor_price")
