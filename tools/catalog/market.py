"""Tools of the market agent: market access (NRDL / VBP), regulations and competitors."""

from __future__ import annotations

from tools.catalog._common import bind, visible
from tools.catalog.args import (
    AccessArgs,
    CompetitorProductArgs,
    HospitalCompetitorArgs,
    PriceGapArgs,
    RegulationArgs,
)
from tools.common import ToolResult
from tools.registry import ToolContext, ToolSpec, register


def _access(ctx: ToolContext, a: AccessArgs) -> ToolResult:
    return ctx.services.policy.access(a.product_id, province=a.province)


def _regulation(ctx: ToolContext, a: RegulationArgs) -> ToolResult:
    return ctx.services.policy.regulation(
        law=a.law, article=a.article, query=a.query, principal=ctx.principal
    )


def _competitors(ctx: ToolContext, a: CompetitorProductArgs) -> ToolResult:
    return ctx.services.competitor.by_product(product_id=a.product_id, competitor=a.competitor)


def _at_hospital(ctx: ToolContext, a: HospitalCompetitorArgs) -> ToolResult:
    customer = visible(ctx, a.customer_id)
    assert customer is not None
    return ctx.services.competitor.by_hospital(customer)


def _price_gap(ctx: ToolContext, a: PriceGapArgs) -> ToolResult:
    return ctx.services.competitor.price_comparison(
        a.product_id, competitor_product_id=a.competitor_product_id, province=a.province
    )


register(
    ToolSpec(
        name="market_access",
        description=(
            "Market access of one of our products: medical-insurance (医保 NRDL) category 甲/乙/丙类, and "
            "each volume-based procurement (集采 VBP) programme that applies (national, alliance, "
            "provincial) with its stage (报量, 中选公示, 执行中), our bid and award, competitors' bids, the "
            "price cap and whether the cap is in force today in the province."
        ),
        args_schema=AccessArgs,
        call=bind(AccessArgs, _access),
        agents=("market",),
        examples=(
            "瑞畅药物球囊在浙江的集采进展到哪一步了？限价执行了吗？",
            "瑞影IVUS在山东医保是什么类别？集采到什么阶段？",
            "瑞通支架国家集采中标价是多少？",
            "江苏有没有药物球囊集采？",
            "What is the VBP status of RuiChang DCB in Zhejiang?",
            "Is the IVUS catheter covered by medical insurance in Shandong?",
            "Is there a price cap in force for the PTCA balloon in Guangdong?",
        ),
        keywords=(
            "集采",
            "带量采购",
            "联盟",
            "中选",
            "报量",
            "限价",
            "医保",
            "甲类",
            "乙类",
            "丙类",
            "挂网",
            "VBP",
            "NRDL",
            "tender",
            "procurement",
            "price cap",
            "reimbursement",
            "insurance",
        ),
    )
)

register(
    ToolSpec(
        name="regulation_lookup",
        description=(
            "Look up what a law or regulation says (summaries in the knowledge base), by law name and "
            "article: 反不正当竞争法 Anti-Unfair Competition Law (commercial bribery, art. 7), "
            "电子商务法 E-Commerce Law (art. 17), 价格法 Price Law (art. 14), gift and hospitality rules."
        ),
        args_schema=RegulationArgs,
        call=bind(RegulationArgs, _regulation),
        agents=("market",),
        examples=(
            "反不正当竞争法第七条怎么规定商业贿赂的？",
            "价格法第十四条说了什么？",
            "电子商务法第17条对信息披露有什么要求？",
            "What does Article 7 of the Anti-Unfair Competition Law say?",
            "Which law covers commercial bribery of hospital staff?",
        ),
        keywords=(
            "法",
            "条例",
            "法规",
            "第七条",
            "商业贿赂",
            "合规依据",
            "law",
            "article",
            "regulation",
            "bribery",
            "legal basis",
        ),
    )
)

register(
    ToolSpec(
        name="competitor_products",
        description=(
            "Competitor products against one of ours, or every product of a competitor company: company, "
            "origin (domestic / imported), terminal price and intelligence notes (claims, VBP wins)."
        ),
        args_schema=CompetitorProductArgs,
        call=bind(CompetitorProductArgs, _competitors),
        agents=("market",),
        examples=(
            "瑞畅DCB的主要竞品有哪些？",
            "康维医疗有哪些产品和我们竞争？",
            "Medix的压力导丝是什么情况？",
            "Who competes with our RuiTong DES?",
            "What do we know about Boyue PTX DCB?",
            "List Medix products against ours",
        ),
        keywords=(
            "竞品",
            "竞争对手",
            "对手",
            "康维",
            "博越",
            "Medix",
            "competitor",
            "competing",
            "rival",
            "Kangwei",
            "Boyue",
        ),
    )
)

register(
    ToolSpec(
        name="competitor_at_hospital",
        description=(
            "Competitor products in use at one hospital, with their estimated share and notes from visits "
            "and tenders, largest share first."
        ),
        args_schema=HospitalCompetitorArgs,
        call=bind(HospitalCompetitorArgs, _at_hospital),
        agents=("market",),
        examples=(
            "滨江中心医院在用哪些竞品？份额多少？",
            "历下人民医院IVUS用的是谁家的？",
            "天河心血管医院的竞争格局",
            "Which competitor products are used at Hangzhou Binjiang Central Hospital?",
            "Competitive landscape at H-SD-001",
        ),
        keywords=(
            "在用",
            "份额",
            "竞争格局",
            "用的谁家",
            "market share",
            "share",
            "landscape",
            "used at",
            "installed",
        ),
    )
)

register(
    ToolSpec(
        name="competitor_price_gap",
        description=(
            "Price comparison of our product vs competitor products: our list price (or the VBP cap in "
            "force in a province) against their terminal price, the gap written as a calculation such as "
            "'6,800 - 5,600 = 1,200' with the percentage, and VBP bids side by side when both bid."
        ),
        args_schema=PriceGapArgs,
        call=bind(PriceGapArgs, _price_gap),
        agents=("market",),
        examples=(
            "瑞畅DCB和博越紫杉醇球囊差价多少？",
            "我们的支架比康维贵多少？",
            "瑞测FFR和Medix PressureWire价格对比",
            "How much more expensive is RuiChang DCB than Boyue's balloon?",
            "Price gap between our guidewire and Medix SilkWire",
            "Compare our PTCA balloon price with KW-Balloon in Guangdong",
        ),
        keywords=(
            "差价",
            "价差",
            "贵多少",
            "便宜",
            "价格对比",
            "比价",
            "price gap",
            "cheaper",
            "more expensive",
            "price comparison",
            "compare price",
        ),
    )
)
