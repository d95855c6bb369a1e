"""The three sections of a pack, one per agent, and the composer that merges them.

`sales_section` (strategies and substitute combinations), `situation.market_section` (competitor and access
situation) and `medical_section` (clinical-value table) read the same gathered facts and touch
nothing shared, so the supervisor graph can run them in parallel (LangGraph `Send`) and
`compose` merges whatever comes back. Each section works on its own fork of the fact book.
"""

from __future__ import annotations

from typing import Any

from tools import vbp
from tools.base import dedupe_sources, fmt_money, record
from tools.battle_pack import playbooks
from tools.battle_pack.clinical import clinical_rows, economic_rows, find_table
from tools.battle_pack.facts import Fact, FactBook, fork
from tools.battle_pack.gather import Gathered
from tools.battle_pack.kbcache import SearchLike
from tools.battle_pack.models import (
    BattlePackDoc,
    ClinicalComparison,
    Evidence,
    MarketSection,
    MedicalSection,
    PackMeta,
    SalesSection,
    SkippedSubstitute,
    Substitute,
    SubstituteLine,
)
from tools.common import Principal
from tools.inventory import SubstituteOption
from tools.search import KnowledgeBaseUnavailableError, chunk_source

# -- sales ---------------------------------------------------------------------------------------


def _substitute(
    book: FactBook, index: int, option: SubstituteOption, warehouse: str, caps: dict[str, str]
) -> Substitute:
    zh = book.lang == "zh"
    offer_src = record("alternative_offers", option.offer_id, option.label_zh)
    srcs = [offer_src]
    lines: list[SubstituteLine] = []
    prices: list[Fact] = []
    stock_bits: list[str] = []
    for ln in option.lines:
        stock = record("stock", f"{warehouse}/{ln.product_id}", "", "on_hand")
        prod = record("products", ln.product_id, ln.product_name_zh, "list_price,safety_stock")
        cap_src = [record("vbp_awards", caps[ln.product_id])] if ln.cap is not None else []
        srcs += [stock, prod, *cap_src]
        prices.append(
            book.money(
                f"sub{index}_{ln.product_id}_price", ("单价", "unit price"), ln.unit_price, [prod, *cap_src]
            )
        )
        name = ln.product_name_zh if zh else ln.product_name_en
        lines.append(
            SubstituteLine(
                product_id=ln.product_id,
                name=name,
                on_hand=ln.on_hand,
                safety_stock=ln.safety_stock,
                list_price=fmt_money(ln.list_price),
                cap=fmt_money(ln.cap) if ln.cap is not None else None,
                unit_price=fmt_money(ln.unit_price),
            )
        )
        cap_note = (
            (f"，在集采限价{fmt_money(ln.cap)}元内" if zh else f", within the VBP cap of {fmt_money(ln.cap)}")
            if ln.cap
            else ""
        )
        stock_bits.append(
            f"{name} {fmt_money(ln.on_hand)}件 ≥ 安全库存{fmt_money(ln.safety_stock)}件，单价{fmt_money(ln.unit_price)}元{cap_note}"
            if zh
            else f"{name} {fmt_money(ln.on_hand)} on hand ≥ safety stock {fmt_money(ln.safety_stock)}, unit price {fmt_money(ln.unit_price)}{cap_note}"
        )
    calc_id = None
    if len(prices) > 1:
        bundle = book.total(f"bundle_{index}", ("组合价", "bundle price"), prices)
        calc_id, bundle_text = bundle.calc, bundle.text
    else:
        bundle_text = prices[0].text
    rationale = option.rationale_zh if zh else option.rationale_en
    where = book.text("warehouse")
    why = (f"{rationale}。{where}现货：" if zh else f"{rationale}. In stock at {where}: ") + (
        "；" if zh else "; "
    ).join(stock_bits)
    label = option.label_zh if zh else option.label_en
    keys = book.cite(srcs)
    names = " + ".join(ln.name for ln in lines)
    book.add(
        f"substitute_{index}",
        ("替代组合", "Substitute combination"),
        f"{label}（{names}）" if zh else f"{label} ({names})",
        srcs,
    )
    return Substitute(
        offer_id=option.offer_id,
        rank=option.rank,
        products=list(option.product_ids),
        label=label,
        why=why,
        lines=lines,
        bundle_price=bundle_text,
        calculation=calc_id,
        sources=keys,
    )


def _cap_award_ids(services: Any, province: str, product_ids: set[str]) -> dict[str, str]:
    """The award whose cap is in force for each capped product (the record a cap figure cites)."""
    inventory = services.inventory
    with inventory.session_factory() as session:
        found = {
            pid: vbp.cap_in_force(session, pid, province, inventory.today) for pid in sorted(product_ids)
        }
    return {pid: cap.award_id for pid, cap in found.items() if cap is not None}


def _skipped(book: FactBook, option: SubstituteOption, warehouse: str) -> SkippedSubstitute:
    zh = book.lang == "zh"
    srcs = [record("alternative_offers", option.offer_id, option.label_zh)]
    bits = []
    for ln in option.lines:
        if ln.in_stock:
            continue
        srcs += [record("stock", f"{warehouse}/{ln.product_id}"), record("products", ln.product_id)]
        name = ln.product_name_zh if zh else ln.product_name_en
        bits.append(
            f"{name}在{book.text('warehouse')}库存{fmt_money(ln.on_hand)}件，低于安全库存{fmt_money(ln.safety_stock)}件"
            if zh
            else f"{name}: {fmt_money(ln.on_hand)} at {book.text('warehouse')}, below the safety stock of {fmt_money(ln.safety_stock)}"
        )
    return SkippedSubstitute(
        offer_id=option.offer_id,
        rank=option.rank,
        products=list(option.product_ids),
        label=option.label_zh if zh else option.label_en,
        reason=("；" if zh else "; ").join(bits),
        sources=book.cite(srcs),
    )


def _playbook_evidence(
    search: SearchLike | None, query: str, principal: Principal | None, book: FactBook
) -> list[Evidence]:
    if search is None or not search.available:
        return []
    try:
        hits = search.search(query, principal, k=1, filters={"doc_type": "playbook"}).hits
    except KnowledgeBaseUnavailableError:
        return []
    return [Evidence(text=h.title, sources=book.cite([chunk_source(h)])) for h in hits[:1]]


def sales_section(
    g: Gathered,
    services: Any,
    books: tuple[playbooks.Playbook, ...],
    principal: Principal | None = None,
    search: SearchLike | None = None,
) -> SalesSection:
    """Substitutes (inventory) and strategies (playbooks); `search` finds the written playbooks."""
    book = fork(g.facts)
    found = services.inventory.substitutes(g.customer.customer_id, g.product_id, limit=2)
    book.cite([record("provinces", found.province)])
    caps = _cap_award_ids(
        services, found.province, {ln.product_id for o in found.options for ln in o.lines if ln.cap}
    )
    subs = [
        _substitute(book, i, opt, found.warehouse_id, caps) for i, opt in enumerate(found.options, start=1)
    ]
    skipped = [_skipped(book, opt, found.warehouse_id) for opt in found.skipped]
    strategies = playbooks.select(books, book, 3)
    by_id = {b.id: b for b in books}
    cache: dict[str, list[Evidence]] = {}
    for strategy in strategies:
        query = by_id[strategy.playbook].kb_query
        if query:
            if query not in cache:
                cache[query] = _playbook_evidence(search, query, principal, book)
            strategy.evidence.extend(cache[query])
    warnings = (
        []
        if len(subs) == 2
        else [f"only {len(subs)} substitute combination(s) in stock at {found.warehouse_id}"]
    )
    cited = {k for s in subs for k in s.sources} | {k for s in skipped for k in s.sources}
    cited |= {k for st in strategies for ev in st.evidence for k in ev.sources}
    cited |= {k for calc in book.calculations for k in calc.sources}
    return SalesSection(
        strategies=strategies,
        substitutes=subs,
        skipped_substitutes=skipped,
        calculations=book.calculations,
        sources=[s for k, s in book.sources.items() if k in cited],
        warnings=warnings,
    )


# -- medical -------------------------------------------------------------------------------------


def medical_section(
    g: Gathered, search: SearchLike | None, principal: Principal | None = None
) -> MedicalSection:
    book = fork(g.facts)
    a, c = g.access, g.competitor
    table = []
    if search is not None:
        table = find_table(
            search, g.product_id, (a.product_name_zh, a.product_name_en), (c.name_zh, c.name_en), principal
        )
    rows = clinical_rows(table, book) + economic_rows(book)
    warnings = [] if table else [f"no clinical-value table found for {g.product_id} in the knowledge base"]
    summary = book.pick(
        (
            f"{g.product_name}与{book.text('competitor')}的临床与经济属性对比，每个单元格注明来源。",
            f"{g.product_name} against {book.text('competitor')}: clinical and economic attributes, every cell with its source.",
        )
    )
    comparison = ClinicalComparison(
        product_id=g.product_id,
        product_name=g.product_name,
        competitor_product=c.competitor_product_id,
        competitor_name=book.text("competitor"),
        rows=rows,
        summary=summary,
    )
    cited = {k for r in rows for cell in (r.ours, r.competitor) for k in cell.sources}
    return MedicalSection(
        clinical_comparison=comparison,
        calculations=[],
        sources=[s for k, s in book.sources.items() if k in cited],
        warnings=warnings,
    )


# -- composer ------------------------------------------------------------------------------------


def compose(
    g: Gathered, sales: SalesSection, market: MarketSection, medical: MedicalSection, meta: PackMeta
) -> BattlePackDoc:
    """Merge the sections; sources and calculations are de-duplicated, first occurrence wins."""
    calcs = {c.id: c for c in [*market.calculations, *sales.calculations, *medical.calculations]}
    sources = dedupe_sources([*market.sources, *sales.sources, *medical.sources])
    meta.warnings = [*meta.warnings, *sales.warnings, *medical.warnings]
    return BattlePackDoc(
        customer_id=g.customer.customer_id,
        customer_name=g.facts.text("customer"),
        product_id=g.product_id,
        product_name=g.product_name,
        situation=market.situation,
        strategies=sales.strategies,
        substitutes=sales.substitutes,
        skipped_substitutes=sales.skipped_substitutes,
        clinical_comparison=medical.clinical_comparison,
        calculations=list(calcs.values()),
        sources=sources,
        meta=meta,
    )
