"""Language of a request and the offline model's fixed phrases (clarifying questions, notices).

The answer follows the user's language: a request that is mostly Chinese characters gets Chinese,
otherwise English. Mixed requests ("杭州仓 DCB stock?") count characters, not words, so a few
Chinese characters in an English sentence keep it English only when Latin letters dominate.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from tools.entities.index import Entity

if TYPE_CHECKING:
    from copilot.llm.offline.schema import Field
    from tools.entities.resolver import EntityResolver

_CJK = re.compile(r"[\u4e00-\u9fff]")
_LATIN = re.compile(r"[A-Za-z]")
_CODES = re.compile(
    r"(?<![A-Za-z0-9])[A-Z]{2,}[-\dA-Z]*(?![A-Za-z0-9])"
)  # DCB, HMT-DCB-02, WH-HZ: names, not language


def detect(text: str, default: str = "zh") -> str:
    cjk = len(_CJK.findall(text))
    latin = len(_LATIN.findall(_CODES.sub("", text)))
    if cjk == 0 and latin == 0:
        return default
    return "zh" if cjk * 4 >= latin else "en"


_KIND_NAMES = {
    "customer": ("哪家医院", "which hospital"),
    "product": ("哪个产品", "which product"),
    "competitor": ("哪家竞品公司", "which competitor"),
    "competitor_product": ("哪个竞品", "which competitor product"),
    "warehouse": ("哪个仓库", "which warehouse"),
    "province": ("哪个省份/区域", "which province or region"),
    "person": ("哪位同事", "which colleague"),
    "contract": ("哪份合同（合同编号，如 C-2026-0311）", "which contract (its number, e.g. C-2026-0311)"),
    "order": ("哪笔订单（订单编号）", "which order (its number)"),
    "amount": ("金额是多少", "what amount"),
    "percent": ("比例是多少", "what percentage"),
    "quarter": ("哪个季度（如 2026年Q3）", "which quarter (e.g. 2026 Q3)"),
    "period": ("哪个时间段", "which period"),
    "text": ("具体想问什么", "what exactly you would like to know"),
}
_EXAMPLES = {
    "customer": ("杭州滨江中心医院", "Hangzhou Binjiang Central Hospital"),
    "product": ("瑞畅DCB", "RuiChang DCB"),
    "province": ("浙江", "Zhejiang"),
    "warehouse": ("杭州仓", "Hangzhou warehouse"),
}


def ask_for(f: Field, lang: str, resolver: EntityResolver | None = None) -> str:
    """One clarifying question for a missing required field."""
    zh, en = _KIND_NAMES.get(f.kind, ("需要补充的信息", f"the {f.name.replace('_', ' ')}"))
    ex_zh, ex_en = _EXAMPLES.get(f.kind, ("", ""))
    if lang == "zh":
        hint = f"（例如：{ex_zh}）" if ex_zh else ""
        return f"请问您指的是{zh}？{hint}"
    hint = f" (for example: {ex_en})" if ex_en else ""
    return f"Could you tell me {en}?{hint}"


def ask_which(kind: str, options: list[Entity], lang: str) -> str:
    """One question naming the candidates when a name fits several entities."""
    if lang == "zh":
        names = "、".join(f"{e.name_zh}（{e.id}）" for e in options[:4])
        return f"请问您指的是哪一个：{names}？"
    names = ", ".join(f"{e.name_en} ({e.id})" for e in options[:4])
    return f"Which one do you mean: {names}?"


def not_found(kind: str, query: str, suggestions: list[str], lang: str) -> str:
    zh, en = _KIND_NAMES.get(kind, (kind, kind))
    if lang == "zh":
        close = f"您是指 {'、'.join(suggestions)} 吗？" if suggestions else f"请确认{zh}。"
        return f"没有找到“{query}”。{close}"
    close = f"Did you mean {', '.join(suggestions)}?" if suggestions else f"Could you confirm {en}?"
    return f"I could not find “{query}”. {close}"


def capabilities(lang: str) -> str:
    if lang == "zh":
        return (
            "请问您想了解哪方面？我可以查询库存与替代方案、客户与合同、竞品与价格、医保/集采政策、"
            "临床证据与说明书，以及为医院生成作战包。"
        )
    return (
        "What would you like to look into? I can check stock and substitutes, customers and contracts, "
        "competitors and prices, NRDL/VBP policy, clinical evidence and instructions for use, or build "
        "a battle pack for a hospital."
    )


def ignored_instructions(lang: str) -> str:
    if lang == "zh":
        return "您的消息里只有给助手的指令（例如要求忽略规则或调用指定工具），我不会执行这类指令。请直接告诉我您想查询的业务问题。"
    return (
        "Your message only contains instructions aimed at the assistant (such as ignoring its rules or "
        "calling specific tools), which I do not follow. Please ask the business question directly."
    )
