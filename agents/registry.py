"""The agents the supervisor can route to, in a fixed order (tests may register more)."""

from __future__ import annotations

from agents.base import AgentSpec
from agents.market import MARKET
from agents.medical_affairs import MEDICAL_AFFAIRS
from agents.sales import SALES

AGENTS: dict[str, AgentSpec] = {a.name: a for a in (SALES, MARKET, MEDICAL_AFFAIRS)}


def register(agent: AgentSpec) -> None:
    AGENTS[agent.name] = agent
