"""Agents are data: each has a role prompt with the shared rules, examples, and tools it owns."""

from __future__ import annotations

from agents.base import COMMON_RULES
from agents.registry import AGENTS
from agents.supervisor import agent_of, handoff_name, handoff_tool
from tools.registry import all_tools


def test_three_agents_with_prompts_and_tools() -> None:
    assert list(AGENTS) == ["sales", "market", "medical_affairs"]
    specs = all_tools()
    for agent in AGENTS.values():
        assert COMMON_RULES in agent.prompt
        assert len(agent.examples) >= 5
        owned = agent.tools()
        assert owned, f"{agent.name} owns no tool"
        assert all(agent.name in s.agents for s in owned)
    every = {s.name for a in AGENTS.values() for s in a.tools()}
    agent_level = {n for n, s in specs.items() if "supervisor" not in s.agents}
    assert every == agent_level, "every agent-level tool belongs to some agent"


def test_handoff_tools_are_openai_functions() -> None:
    tool = handoff_tool(AGENTS["market"])
    assert tool["type"] == "function"
    assert tool["function"]["name"] == handoff_name("market") == "transfer_to_market"
    assert tool["function"]["parameters"]["required"] == ["task"]
    assert agent_of("transfer_to_market") == "market" and agent_of("inventory_stock") is None
