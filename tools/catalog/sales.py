"""Tools of the sales agent: stock, substitutes, price quotes, customer profile, contracts, analytics."""

from __future__ import annotations

from tools.analytics.periods import parse_period
from tools.catalog._common import bind, visible
from tools.catalog.args import (
    AnalyticsArgs,
    ContractsArgs,
    CustomerArgs,
    PriceArgs,
    StockArgs,
    SubstitutesArgs,
)
from tools.common import ToolResult
from tools.registry import ToolContext, ToolSpec, register


def _stock(ctx: ToolContext, a: StockArgs) -> ToolResult:
    inv = ctx.services.inventory
    province = a.province
    if a.customer_id:
        served = inv.serving_warehouse(customer_id=visible(ctx, a.customer_id))
        province = served.province
        result = inv.stock(product_id=a.product_id, warehouse_id=a.warehouse_id, province=province)
        return result.model_copy(update={"sources": served.sources + result.sources})
    return inv.stock(product_id=a.product_id, warehouse_id=a.warehouse_id, province=province)


def _substitutes(ctx: ToolContext, a: SubstitutesArgs) -> ToolResult:
    customer = visible(ctx, a.customer_id)
    assert customer is not None
    return ctx.services.inventory.substitutes(customer, a.product_id, limit=a.limit)


def _price(ctx: ToolContext, a: PriceArgs) -> ToolResult:
    return ctx.services.policy.price(
        a.product_id, province=a.province, customer_id=visible(ctx, a.customer_id)
    )


def _profile(ctx: ToolContext, a: CustomerArgs) -> ToolResult:
    return ctx.services.customer.profile(a.customer_id, principal=ctx.principal)


def _contracts(ctx: ToolContext, a: ContractsArgs) -> ToolResult:
    window = parse_period(a.period, ctx.services.today) if a.period else None
    return ctx.services.customer.contracts(
        a.customer_id,
        principal=ctx.principal,
        start=window.start if window else None,
        end=window.end if window else None,
    )


def _analytics(ctx: ToolContext, a: AnalyticsArgs) -> ToolResult:
    return ctx.services.analytics.aggregate(
        a.metric,
        group_by=a.group_by,
        period=a.period,
        province=a.province,
        rep_id=a.rep_id,
        customer_id=visible(ctx, a.customer_id),
        product_id=a.product_id,
        principal=ctx.principal,
    )


register(
    ToolSpec(
        name="inventory_stock",
        description=(
            "Stock of our products from the ERP snapshot: units on hand, units on order (inbound), safety "
            "stock and a below-safety flag, by product, warehouse (WH-HZ 杭州仓, WH-GZ 广州仓, WH-JN 济南仓), "
            "province, or the warehouse serving a customer. Use for 库存 / 缺货 / 在途 / 能不能发货 questions."
        ),
        args_schema=StockArgs,
        call=bind(StockArgs, _stock),
        agents=("sales",),
        examples=(
            "杭州仓瑞畅药物球囊还有多少库存？",
            "济南仓IVUS导管缺货了吗？什么时候有货？",
            "滨江医院那边DCB能发货吗，库存够不够？",
            "广东现在各产品库存情况",
            "How many RuiChang DCB do we have in the Hangzhou warehouse?",
            "What is on order for the Jinan warehouse?",
            "Is the IVUS catheter out of stock in Shandong?",
        ),
        keywords=(
            "库存",
            "仓",
            "缺货",
            "有货",
            "在途",
            "到货",
            "安全库存",
            "发货",
            "stock",
            "warehouse",
            "inventory",
            "on hand",
            "on order",
            "out of stock",
            "shortage",
        ),
    )
)

register(
    ToolSpec(
        name="substitute_offers",
        description=(
            "Alternative product combinations to offer a hospital when a product is short or contested: "
            "walks the preferred substitutes in order and returns the first ones whose every product is "
            "in stock above safety stock in the warehouse serving the customer, priced within the VBP cap "
            "in force in its province, with the reason each other option was skipped."
        ),
        args_schema=SubstitutesArgs,
        call=bind(SubstitutesArgs, _substitutes),
        agents=("sales",),
        examples=(
            "滨江中心医院要瑞畅DCB，但杭州仓缺货，有什么替代方案？",
            "历下人民医院IVUS没货，可以推荐哪些替代组合？",
            "给天河心血管医院的支架有没有备选产品组合？",
            "What can we offer Hangzhou Binjiang instead of the DCB while it's short?",
            "Suggest in-stock substitutes for RuiYing IVUS at Jinan Lixia People's Hospital.",
            "Alternative combinations for H-GD-001 on the PTCA balloon?",
        ),
        keywords=(
            "替代",
            "替换",
            "备选",
            "组合",
            "换成",
            "substitute",
            "alternative",
            "instead",
            "combination",
            "bundle",
            "replace",
        ),
    )
)

register(
    ToolSpec(
        name="price_quote",
        description=(
            "The unit price we may quote for one of our products at a hospital or in a province: list price "
            "within the VBP (集采) cap in force there today, shown as a calculation, plus caps announced "
            "but not yet in force. Use before writing a quote or a contract line."
        ),
        args_schema=PriceArgs,
        call=bind(PriceArgs, _price),
        agents=("sales",),
        examples=(
            "给滨江中心医院报瑞通支架，单价最多能报多少？",
            "广东的瑞达球囊现在报价上限是多少？",
            "瑞畅DCB在浙江签合同单价按多少报？",
            "What unit price can I quote for the RuiTong DES in Guangdong?",
            "Max price for RuiChang DCB at H-ZJ-001 today?",
        ),
        keywords=(
            "报价",
            "单价",
            "价格上限",
            "限价",
            "能报多少",
            "quote",
            "unit price",
            "price cap",
            "pricing",
        ),
    )
)

register(
    ToolSpec(
        name="customer_profile",
        description=(
            "Profile of a hospital: tier (三甲 etc.), province and city, medical group (医联体) and its "
            "related parties, the covering rep, and the last 12 months of orders, prepayments, contracts "
            "and visits. Reps only see their own hospitals."
        ),
        args_schema=CustomerArgs,
        call=bind(CustomerArgs, _profile),
        agents=("sales",),
        examples=(
            "介绍一下杭州滨江中心医院的情况",
            "滨江医院是哪个医联体的？关联方有哪些？",
            "历下人民医院最近一次拜访是什么时候，今年下了多少单？",
            "Give me a profile of Guangzhou Tianhe Cardiovascular Hospital.",
            "Who covers Ningbo Donggang and what did they order recently?",
            "Customer background for H-ZJ-001 before my visit",
        ),
        keywords=(
            "医院情况",
            "客户",
            "档案",
            "医联体",
            "关联方",
            "等级",
            "负责人",
            "profile",
            "customer",
            "hospital",
            "background",
            "related party",
            "tier",
        ),
    )
)

register(
    ToolSpec(
        name="customer_contracts",
        description=(
            "A hospital's contracts, newest first, with lines (product, quantity, unit price), gifts and "
            "attachments (e.g. compliance declaration), optionally only those signed in a period."
        ),
        args_schema=ContractsArgs,
        call=bind(ContractsArgs, _contracts),
        agents=("sales",),
        examples=(
            "滨江中心医院今年签了哪些合同？",
            "列出天河心血管医院的合同和赠品",
            "宁波东港人民医院上季度的合同明细",
            "Show the contracts of Hangzhou Binjiang Central Hospital this year.",
            "Which contracts did Qingdao Bay Hospital sign in 2026-Q2?",
        ),
        keywords=("合同", "签约", "协议", "赠品", "附件", "contract", "contracts", "signed", "agreement"),
    )
)

register(
    ToolSpec(
        name="store_analytics",
        description=(
            "Manager analytics over the records: count and amount of orders, contracts, prepayments or "
            "visits grouped by region (province), rep, customer, product or month/quarter/week/day, within "
            "a period (2026-Q3, 2026-11, 上个月, last quarter) and filters. A rep sees only their own figures."
        ),
        args_schema=AnalyticsArgs,
        call=bind(AnalyticsArgs, _analytics),
        agents=("sales",),
        examples=(
            "上季度各大区的订单金额是多少？",
            "2026年第三季度广东的预付款按天统计",
            "这个月每个代表拜访了多少次？",
            "今年各月合同签约额趋势",
            "Orders by region last quarter",
            "How many visits did each rep make last month?",
            "Prepayments in Guangdong in 2026-Q3 by day",
            "Contract value by rep this year",
        ),
        keywords=(
            "统计",
            "汇总",
            "各区域",
            "大区",
            "按月",
            "按代表",
            "订单金额",
            "预付款",
            "拜访次数",
            "业绩",
            "analytics",
            "by region",
            "by rep",
            "per month",
            "orders",
            "prepayments",
            "visits",
            "revenue",
        ),
        tags=frozenset({"manager"}),
    )
)
