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


def tool_hints(specs: Iterable[ToolSpec]) -> dict[str, ToolHint]:
    return {
        s.name: ToolHint(s.name, s.description, tuple(s.examples), tuple(s.keywords), tuple(s.agents))
        for s in specs
    }


def handoff_hints(agents: Iterable[AgentSpec], specs: Iterable[ToolSpec]) -> dict[str, ToolHint]:
    spec_list = list(specs)
    out: dict[str, ToolHint] = {}
    for agent in agents:
        own = [s for s in spec_list if s.agents and s.agents[0] == agent.name]
        examples = (*agent.examples, *(e for s in own for e in s.examples))
        keywords = (*agent.keywords, *(k for s in own for k in s.keywords))
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
