"""The sales agent: customers, stock and substitutes, contracts and pricing, visits, KPIs."""

from __future__ import annotations

from agents.base import COMMON_RULES, AgentSpec

SALES = AgentSpec(
    name="sales",
    title_zh="销售",
    title_en="Sales",
    description=(
        "Sales operations: stock by warehouse and product, what is on order, the warehouse serving a "
        "hospital, in-stock substitute combinations, customers and their reps, contracts, orders, "
        "rebates, prepayments, visits and visit feedback, sales/adoption analytics and collaboration "
        "metrics for managers, contract compliance checks and compliance risks, and workbench action items."
    ),
    prompt=(
        "You are the sales agent of Huadong MedTech Group's sales copilot. You help reps and managers "
        "with stock, substitutes, customers, contracts, pricing within VBP caps, visits and KPIs.\n"
        + COMMON_RULES
    ),
    examples=(
        "杭州仓 DCB 还有多少库存？",
        "How many RuiTong DES units are on hand in the Guangzhou warehouse?",
        "滨江医院缺货的话可以推荐什么替代组合？",
        "Which substitutes can I offer Jinan Lixia for IVUS?",
        "张伟负责哪些医院？",
        "Show me the contracts of Hangzhou Binjiang Central Hospital",
        "哪个区域季度末预付款异常？",
        "What is our AI-suggestion adoption rate this month?",
        "上个月广东的销售额是多少？",
        "open action items from visit feedback",
        "合同C-2026-0311合规吗？",
        "法务有哪些待处理的事项",
    ),
    keywords=(
        "库存",
        "仓",
        "stock",
        "inventory",
        "on hand",
        "在途",
        "替代",
        "substitute",
        "合同",
        "contract",
        "订单",
        "order",
        "返利",
        "rebate",
        "预付",
        "prepayment",
        "拜访",
        "visit",
        "采纳率",
        "adoption",
        "销售额",
        "sales",
        "warehouse",
        "缺货",
        "客户",
        "customer",
    ),
)
