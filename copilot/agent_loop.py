"""One agent's tool-calling loop: model -> tool calls (enforced) -> model -> answer.

The loop is the same for every agent and both model modes; the agent contributes its role
prompt and its tools. It streams `tool_called` / `tool_result` events as it goes and returns an
`AgentSection` (the agent's answer plus the calls and sources behind it).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, SystemMessage

from agents.base import AgentSection, AgentSpec
from copilot.llm.factory import ModelSet
from copilot.llm.hints import openai_tool
from copilot.llm.offline.lang import detect
from copilot.llm.offline.model import text_of
from copilot.tool_exec import ToolExecutor
from tools.common import Principal, Source

MAX_STEPS = 4
Emit = Callable[[dict[str, Any]], None]


@dataclass
class LoopResult:
    section: AgentSection
    notices: list[str]


def run_agent(
    agent: AgentSpec,
    task: str,
    request: str,
    history: list[BaseMessage],
    principal: Principal,
    mode: str,
    models: ModelSet,
    executor: ToolExecutor,
    today: dt.date,
    emit: Emit,
) -> LoopResult:
    lang = detect(request)
    specs = executor.allowed(agent.name, principal)
    tools = [openai_tool(s) for s in specs]
    system = SystemMessage(
        f"{agent.prompt}\nToday is {today.isoformat()}. The user's role: {principal.role.value}."
    )
    messages: list[BaseMessage] = [system, *history, HumanMessage(request)]
    if task.strip() and task.strip() != request.strip():
        messages.append(HumanMessage(task))
    section = AgentSection(agent=agent.name, answer="")
    sources: list[Source] = []
    notices: list[str] = []
    degraded = mode
    reply = AIMessage(content="")
    for step in range(MAX_STEPS + 1):
        offered = tools if step < MAX_STEPS else []
        reply, notice = models.invoke(offered, messages, degraded, lang)
        if notice:
            notices.append(notice)
            degraded = "offline"  # the rest of this agent's turn stays offline
        messages.append(reply)
        if not reply.tool_calls:
            break
        for call in reply.tool_calls:
            emit(
                {
                    "type": "tool_called",
                    "agent": agent.name,
                    "tool": call["name"],
                    "args": call.get("args", {}),
                }
            )
            done = executor.run(dict(call), agent.name, principal)
            messages.append(done.message)
            section.tool_calls.append(done.record)
            sources.extend(done.sources)
            section.artifacts.extend(done.artifacts)
            emit(
                {
                    "type": "tool_result",
                    "agent": agent.name,
                    "tool": call["name"],
                    "ok": done.record.ok,
                    "sources": len(done.sources),
                }
            )
            for art in done.artifacts:
                emit({"type": "artifact", "agent": agent.name, **art})
    section.answer = text_of(reply)
    section.clarify = bool(reply.additional_kwargs.get("clarify")) and not section.tool_calls
    seen: set[str] = set()
    section.sources = [s for s in sources if not (s.key in seen or seen.add(s.key))]  # type: ignore[func-returns-value]
    return LoopResult(section, notices)
