"""Routing hints for the offline model, built from the tool registry and the agents.

A tool's hint is its description, examples and keywords (from its `ToolSpec`). An agent hand-off
(`transfer_to_sales`) is hinted by the agent's own examples plus the examples of the tools only
it owns, and remembers which entity kinds those tools take, so "a warehouse in the request"
favours the sales agent exactly as it favours the stock tool.
"""

from __future__ import annotations

from collections.abc import Iterable

from agents.base import AgentSpec
from agents.supervisor import handoff_name
from copilot.llm.offline.index import ToolHint
from copilot.llm.offline.schema import fields
from tools.registry import ToolSpec


def spec_parameters(spec: ToolSpec) -> dict[str, object]:
    """The OpenAI `parameters` schema of a tool (its pydantic args schema)."""
    schema = spec.args_schema.model_json_schema()
    schema.pop("title", None)
    return schema


def openai_tool(spec: ToolSpec) -> dict[str, object]:
    return {
        "type": "function",
        "function": {"name": spec.name, "description": spec.description, "parameters": spec_parameters(spec)},
    }


# The offline model's own routing vocabulary on top of each tool's examples and keywords: how reps
# actually phrase things the tool descriptions do not say ("who competes with", "几级医院").
EXTRA_EXAMPLES: dict[str, tuple[str, ...]] = {
    "competitor_products": (
        "我们DCB的竞品有哪些？",
        "Who competes with our FFR wire?",
        "康维有哪些产品跟我们竞争",
    ),
    "doc_search": (
        "瑞畅用的是什么药物涂层？",
        "What coating does the RuiChang DCB use?",
        "瑞通支架的适应症和禁忌症",
        "DCB使用前要怎么预扩张？",
        "Is there clinical data on FFR-guided PCI?",
        "血栓事件和靶病变血运重建的数据",
        "What is the target lesion revascularization rate in the trial?",
    ),
    "customer_profile": (
        "这家医院是几级医院，谁负责？",
        "Which rep covers this hospital and what tier is it?",
    ),
    "price_quote": ("上海的导丝单价能报多少？", "unit price for the FFR wire in Jiangsu"),
    "market_access": ("What reimbursement category is the stent in?", "压力导丝医保报销是哪一类？"),
}
EXTRA_KEYWORDS: dict[str, tuple[str, ...]] = {
    "competitor_products": ("竞品", "竞争对手", "compete", "competes", "competitor", "rival"),
    "doc_search": (
        "涂层",
        "coating",
        "适应症",
        "禁忌",
        "说明书",
        "临床",
        "证据",
        "indication",
        "ifu",
        "trial",
    ),
    "customer_profile": ("几级", "谁负责", "负责代表", "who covers", "tier", "medical group", "related part"),
    "market_access": ("nrdl", "医保", "报销", "reimburse", "乙类", "丙类", "甲类", "集采", "vbp"),
    "price_quote": ("unit price", "报价", "能报", "单价"),
}


def tool_hints(specs: Iterable[ToolSpec]) -> dict[str, ToolHint]:
    return {
        s.name: ToolHint(
            s.name,
            s.description,
            (*s.examples, *EXTRA_EXAMPLES.get(s.name, ())),
            (*s.keywords, *EXTRA_KEYWORDS.get(s.name, ())),
            tuple(s.agents),
        )
        for s in specs
    }


def handoff_hints(agents: Iterable[AgentSpec], specs: Iterable[ToolSpec]) -> dict[str, ToolHint]:
    spec_list = list(specs)
    out: dict[str, ToolHint] = {}
    for agent in agents:
        own = [s for s in spec_list if s.agents and s.agents[0] == agent.name]
        examples = (
            *agent.examples,
            *(e for s in own for e in (*s.examples, *EXTRA_EXAMPLES.get(s.name, ()))),
        )
        keywords = (
            *agent.keywords,
            *(k for s in own for k in (*s.keywords, *EXTRA_KEYWORDS.get(s.name, ()))),
        )
        kinds = sorted(
            {f.kind for s in own for f in fields(spec_parameters(s))}
            & {"customer", "product", "competitor", "competitor_product", "warehouse", "province", "person"}
        )
        out[handoff_name(agent.name)] = ToolHint(
            handoff_name(agent.name),
            agent.description,
            tuple(dict.fromkeys(examples)),
            tuple(dict.fromkeys(keywords)),
            (agent.name,),
            extra={"kinds": tuple(kinds), "handoff": (agent.name,)},
        )
    return out
