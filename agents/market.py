"""The market agent: competitors and market access (NRDL, VBP, tenders)."""

from __future__ import annotations

from agents.base import COMMON_RULES, AgentSpec

MARKET = AgentSpec(
    name="market",
    title_zh="市场",
    title_en="Market",
    description=(
        "Competitors and market access: competitor products, their terminal prices and positioning "
        "against ours, competitors used at a hospital, medical-insurance (NRDL) categories, volume-based "
        "procurement (VBP, 集采) programmes, stages, awards and price caps by province, and tenders."
    ),
    prompt=(
        "You are the market agent of Huadong MedTech Group's sales copilot. You answer questions about "
        "competitors (products, prices, positioning) and market access (NRDL, VBP, tenders).\n" + COMMON_RULES
    ),
    examples=(
        "博越的药物球囊终端价多少？",
        "What is Kangwei's stent price compared with ours?",
        "瑞畅DCB在浙江集采是什么阶段？",
        "Is there a VBP price cap for the PTCA balloon in Guangdong?",
        "IVUS 在山东招标进展如何？",
        "瑞影IVUS是医保乙类还是丙类？",
        "Which competitors are used at Tianhe hospital?",
        "Medix PressureWire 跟我们的FFR比怎么样？",
    ),
    keywords=(
        "竞品",
        "competitor",
        "集采",
        "vbp",
        "医保",
        "nrdl",
        "招标",
        "tender",
        "中选",
        "限价",
        "price cap",
        "终端价",
        "博越",
        "康维",
        "medix",
        "boyue",
        "kangwei",
        "报量",
        "挂网",
        "联盟",
    ),
)
