"""State of the supervisor graph: what a thread keeps, what a turn takes in, what an agent gets.

The thread keeps only the conversation (`messages`: the user's messages and the final answers,
each answer carrying its agents and tool calls in `additional_kwargs["copilot"]`). Per-turn
fields (`sections`, `notices`) are reset by each turn's input, so a thread's state does not grow
with the work of earlier turns. The input schema is narrower than the state on purpose.
"""

from __future__ import annotations

import operator
from typing import Annotated, Any, TypedDict

from langchain_core.messages import AnyMessage
from langgraph.graph.message import add_messages

from copilot.battle_pack_flow import merge_bp


class TurnInput(TypedDict, total=False):
    messages: list[AnyMessage]
    principal: dict[str, Any]
    mode: str
    sections: list[dict[str, Any]]
    notices: list[str]


class ChatState(TypedDict, total=False):
    messages: Annotated[list[AnyMessage], add_messages]
    principal: dict[str, Any]  # tools.common.Principal as a dict (checkpointed with the thread)
    mode: str  # offline | openai, chosen per turn
    routes: list[dict[str, str]]  # [{"agent", "task"}] chosen by the supervisor
    sections: Annotated[list[dict[str, Any]], operator.add]  # AgentSection dicts of this turn
    notices: Annotated[list[str], operator.add]
    answer: str  # the composed answer before the guard
    guard: dict[str, Any]
    bp_sections: Annotated[dict[str, Any], merge_bp]  # battle-pack sections built in parallel


class AgentTask(TypedDict):
    """What `Send` hands one agent: its part of the request plus the context it needs."""

    agent: str
    task: str
    request: str
    history: list[AnyMessage]
    principal: dict[str, Any]
    mode: str
