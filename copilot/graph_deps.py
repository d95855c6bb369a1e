"""Everything the graph's nodes use, built once by the chat service and closed over by the nodes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from agents.base import AgentSpec
from agents.registry import AGENTS
from copilot.guard_hook import PassThroughGuard, TextGuard
from copilot.llm.factory import ModelSet
from copilot.tool_exec import ToolExecutor


@dataclass
class GraphDeps:
    models: ModelSet
    executor: ToolExecutor
    today: Callable[[], dt.date]
    agents: dict[str, AgentSpec] = field(default_factory=lambda: dict(AGENTS))
    guard: TextGuard = field(default_factory=PassThroughGuard)
    history_messages: int = 6  # earlier messages (user + answers) each model sees
