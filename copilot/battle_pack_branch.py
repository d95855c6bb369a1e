"""The battle-pack branch of the chat graph: the supervisor's `battle_pack` tool and its nodes.

`copilot.graph` binds `supervisor_tool()` next to the agent hand-offs; when the supervisor calls
it, `route` gathers the facts once and sends the sales, market and medical_affairs sections out
in parallel (`bp_section`), and `bp_compose` merges them into the pack, saves and pushes it, and
hands the rendered pack to the chat graph's guard. Unknown names and hospitals the caller may not
see come back as a clear answer, never as a failed turn.
"""

from __future__ import annotations

from typing import Any

from langchain_core.language_models import BaseChatModel
from langgraph.types import Command

from agents.base import AgentSection
from copilot.battle_pack_flow import (
    BP_TOOL,
    RESET,
    BpTask,
    battle_pack_call,
    build_section,
    compose,
    service_of,
    start,
)
from tools.base import AccessDeniedError
from tools.battle_pack.render_md import render
from tools.common import NotFoundError

__all__ = ["BP_TOOL", "add_nodes", "battle_pack_call", "route", "supervisor_tool"]


def supervisor_tool() -> dict[str, Any]:
    """The `battle_pack` tool in OpenAI format, bound to the supervisor next to the hand-offs."""
    from copilot.llm.hints import openai_tool
    from tools.registry import all_tools

    return openai_tool(all_tools()[BP_TOOL])


def _not_possible(exc: Exception, lang: str) -> str:
    if isinstance(exc, NotFoundError):
        close = ", ".join(exc.suggestions)
        if lang == "zh":
            kind = {"customer": "客户", "product": "产品"}.get(exc.kind, exc.kind)
            return f"未找到{kind}“{exc.query}”。" + (f"最接近的是：{close}。" if close else "")
        return f"I could not find the {exc.kind} {exc.query!r}." + (f" Closest: {close}." if close else "")
    return (
        "您无权查看该客户的数据。" if lang == "zh" else "You may not see this customer's data."
    ) + f" ({exc})"


def route(
    services: Any,
    args: dict[str, Any],
    principal: dict[str, Any],
    mode: str,
    lang: str,
    notice: str | None,
) -> Command[Any]:
    """The supervisor's move for a `battle_pack` call: three Sends, or a clear answer why not.

    A provider failure at the supervisor (`notice`) keeps the whole pack offline, as other turns do.
    """
    update: dict[str, Any] = {"routes": [], "notices": [notice] if notice else []}
    mode = "offline" if notice else mode
    try:
        sends = start(service_of(services), args, principal, mode, lang)
    except (NotFoundError, AccessDeniedError) as exc:
        answer = AgentSection(agent="supervisor", answer=_not_possible(exc, lang), clarify=True)
        return Command(goto="compose", update={**update, "sections": [answer.model_dump(mode="json")]})
    return Command(goto=sends, update={**update, "bp_sections": {RESET: True}})


def add_nodes(
    graph: Any,
    services: Any,
    primary: BaseChatModel | None,
    errors: tuple[type[BaseException], ...],
    then: str,
) -> None:
    """`bp_section` (x3 in parallel) -> `bp_compose` -> `then` (the chat graph's guard)."""

    def bp_section(task: BpTask) -> dict[str, Any]:
        from langgraph.config import get_stream_writer

        get_stream_writer()({"type": "agent_started", "agent": task["agent"], "task": BP_TOOL})
        return build_section(service_of(services), task, primary, errors)

    def bp_compose(state: dict[str, Any]) -> dict[str, Any]:
        pack, sections, notices = compose(service_of(services), state["bp_sections"])
        return {
            "answer": render(pack),
            "sections": sections,
            "notices": notices,
            "bp_sections": {RESET: True},
        }

    graph.add_node("bp_section", bp_section)
    graph.add_node("bp_compose", bp_compose)
    graph.add_edge("bp_section", "bp_compose")
    graph.add_edge("bp_compose", then)
