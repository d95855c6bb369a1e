"""The chat contract between the graph (copilot/graph.py, copilot/chat.py) and its callers
(CLI, API, evals). Callers only see these types, never LangGraph objects."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, Literal, Protocol

from pydantic import BaseModel, Field

from tools.common import Principal, Source

EventType = Literal[
    "agent_started", "tool_called", "tool_result", "token", "artifact", "notice", "done", "error"
]


class ChatEvent(BaseModel):
    """One streamed step of a turn. `done` carries the full TurnResult as data."""

    type: EventType
    data: dict[str, Any] = Field(default_factory=dict)


class TurnResult(BaseModel):
    answer: str
    agents: list[str] = Field(
        default_factory=list, description="Agents that acted: sales, market, medical_affairs."
    )
    tools: list[str] = Field(default_factory=list, description="Names of tools called, in order.")
    sources: list[Source] = Field(default_factory=list)
    thread_id: str
    artifacts: list[dict[str, Any]] = Field(default_factory=list)
    notices: list[str] = Field(default_factory=list, description="E.g. provider fallback, guard redaction.")
    guard: dict[str, Any] = Field(default_factory=dict, description="The compliance guard's decision.")


class ChatService(Protocol):
    def ask(self, text: str, principal: Principal, thread_id: str | None = None) -> TurnResult: ...

    def stream(
        self, text: str, principal: Principal, thread_id: str | None = None
    ) -> Iterator[ChatEvent]: ...

    def history(self, thread_id: str) -> list[dict[str, Any]]:
        """Messages of a thread: [{"role": "user"|"assistant", "content": str, ...}]."""
        ...
