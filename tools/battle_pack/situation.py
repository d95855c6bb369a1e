"""The market agent's section: the situation of the pack, one sourced line per topic.

Each topic has templates tried in order; the first whose facts all exist is used, so a province
with no VBP programme, a customer in no medical group or a product in stock each read naturally
without code branches. Templates name facts only (no literal figures), like the playbooks.
"""

from __future__ import annotations

from collections.abc import Sequence

from tools.battle_pack import playbooks
from tools.battle_pack.facts import FactBook, fork
from tools.battle_pack.gather import Gathered
from tools.battle_pack.models import MarketSection, SituationLine
from tools.common import Source

SITUATION: list[tuple[str, tuple[str, str], tuple[str, ...]]] = [
    # key, label, templates tried in order (the first whose facts all exist is used)
    (
        "customer",
        ("客户", "Customer"),
        (
            "{customer}：{province}，{tier}，属于{medical_group}|{customer}: {province}, {tier}, member of {medical_group}",
            "{customer}：{province}，{tier}，未加入医联体|{customer}: {province}, {tier}, no medical group",
        ),
    ),
    (
        "access",
        ("准入", "Access"),
        (
            "{product}医保{nrdl_category}；{vbp_programme}阶段：{vbp_stage}；我方中选价{our_bid}元，限价{cap}元自{cap_start}起执行|"
            "{product} NRDL {nrdl_category}; {vbp_programme} stage: {vbp_stage}; our bid {our_bid}, cap {cap} from {cap_start}",
            "{product}医保{nrdl_category}；{vbp_programme}阶段：{vbp_stage}，尚无中选结果与限价|"
            "{product} NRDL {nrdl_category}; {vbp_programme} stage: {vbp_stage}, no award and no cap yet",
            "{product}医保{nrdl_category}；本省无覆盖该产品的集采项目|"
            "{product} NRDL {nrdl_category}; no VBP programme covers it in this province",
        ),
    ),
    (
        "stock",
        ("库存", "Stock"),
        (
            "{warehouse}：现有{on_hand}件，在途{on_order}件，低于安全库存{safety_stock}件，缺口{shortfall}件|"
            "{warehouse}: {on_hand} on hand, {on_order} on order, below the safety stock of {safety_stock} by {shortfall}",
            "{warehouse}：现有{on_hand}件，在途{on_order}件，安全库存{safety_stock}件|"
            "{warehouse}: {on_hand} on hand, {on_order} on order, safety stock {safety_stock}",
        ),
    ),
    (
        "competitor",
        ("竞品", "Competitor"),
        (
            "{competitor}（{competitor_company}），终端价{competitor_price}元，在院份额{competitor_share}|"
            "{competitor} ({competitor_company}), terminal price {competitor_price}, share at the hospital {competitor_share}",
            "{competitor}（{competitor_company}），终端价{competitor_price}元|"
            "{competitor} ({competitor_company}), terminal price {competitor_price}",
        ),
    ),
    (
        "price",
        ("价格对比", "Price comparison"),
        (
            "我方{our_price}元，竞品{competitor_price}元，价差{price_gap}元（{price_gap_pct}）|"
            "ours {our_price}, theirs {competitor_price}: gap {price_gap} ({price_gap_pct})",
            "我方{our_price}元，与竞品{competitor_price}元持平|ours {our_price}, same as theirs at {competitor_price}",
        ),
    ),
]


def _used_sources(book: FactBook, keys: Sequence[str]) -> list[Source]:
    wanted = {k for key in keys if key in book.facts for k in book.facts[key].sources}
    return [s for k, s in book.sources.items() if k in wanted]


def market_section(g: Gathered) -> MarketSection:
    book = fork(g.facts)
    lines: list[SituationLine] = []
    used: list[str] = []
    for key, label, templates in SITUATION:
        for template in templates:
            zh, en = template.split("|", 1)
            try:
                text, keys = book.render(zh if book.lang == "zh" else en)
            except playbooks.MissingFactError:
                continue
            srcs = list(dict.fromkeys(s for k in keys for s in book.facts[k].sources))
            lines.append(SituationLine(key=key, label=book.pick(label), text=text, sources=srcs))
            used.extend(keys)
            break
    return MarketSection(
        situation=lines, calculations=book.calcs_for(used), sources=_used_sources(book, used)
    )
