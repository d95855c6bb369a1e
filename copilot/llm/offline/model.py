"""The offline model: a deterministic, tool-calling `BaseChatModel` that needs no network.

It behaves like a hosted model inside the graph: tools are bound in OpenAI format with
`bind_tools`, and each call returns either tool calls or a final answer.
- Last message a user request: route it to the bound tool(s) (`router`), fill their arguments
  from the request, its entities and the thread (`fill`), or ask one clarifying question.
- Tool results after the request: write the answer from them (`writer`).
Facts only ever come from tool results; the model chooses, fills and phrases.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import uuid
from collections.abc import Callable, Sequence
from typing import Any

from langchain_core.callbacks import CallbackManagerForLLMRun
from langchain_core.language_models import BaseChatModel, LanguageModelInput
from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, ToolMessage
from langchain_core.outputs import ChatGeneration, ChatResult
from langchain_core.runnables import Runnable
from langchain_core.tools import BaseTool
from langchain_core.utils.function_calling import convert_to_openai_tool
from pydantic import ConfigDict

from copilot.llm.offline import lang as phrases
from copilot.llm.offline import renderers as _renderers  # noqa: F401  (registers them)
from copilot.llm.offline import renderers_manager as _renderers_manager  # noqa: F401
from copilot.llm.offline import writer
from copilot.llm.offline.fill import Memory, fill
from copilot.llm.offline.index import ToolHint
from copilot.llm.offline.router import Router, tool_name, tool_params
from copilot.llm.offline.sanitize import strip_instructions
from copilot.llm.offline.schema import fields
from tools.entities.resolver import EntityResolver

log = logging.getLogger(__name__)

MEMORY_KEY = "copilot"  # AIMessage.additional_kwargs key holding a turn's agents and tool calls
_HISTORY_TURNS = 3


def text_of(message: BaseMessage) -> str:
    content = message.content
    if isinstance(content, str):
        return content
    return " ".join(str(p.get("text", "")) if isinstance(p, dict) else str(p) for p in content)


class OfflineBrain:
    """The decision logic, shared by every bound copy of the model."""

    def __init__(
        self, router: Router, resolver: EntityResolver, today: Callable[[], dt.date], default_lang: str = "zh"
    ) -> None:
        self.router = router
        self.resolver = resolver
        self.today = today
        self.default_lang = default_lang

    def memory(self, history: Sequence[BaseMessage]) -> Memory:
        """Entities and tool calls of the previous turns, most recent first."""
        mem = Memory()
        for msg in reversed(history):
            if isinstance(msg, AIMessage) and MEMORY_KEY in msg.additional_kwargs and not mem.tools:
                info = msg.additional_kwargs[MEMORY_KEY] or {}
                calls = info.get("tools") or []
                mem.tools = [c["name"] for c in calls]
                mem.args = {c["name"]: dict(c.get("args") or {}) for c in calls}
                mem.agents = list(info.get("agents") or [])
                arg_text = " ".join(json.dumps(c.get("args") or {}, ensure_ascii=False) for c in calls)
                self._remember(mem, arg_text)
        turns = [m for m in history if isinstance(m, HumanMessage)][-_HISTORY_TURNS:]
        for msg in reversed(turns):
            self._remember(mem, text_of(msg))
        return mem

    def _remember(self, mem: Memory, text: str) -> None:
        for m in self.resolver.find(text):
            bucket = mem.entities.setdefault(m.kind, [])
            if m.entity.id not in bucket:
                bucket.append(m.entity.id)

    def respond(self, messages: Sequence[BaseMessage], tools: list[dict[str, Any]]) -> AIMessage:
        idx = max((i for i, m in enumerate(messages) if isinstance(m, HumanMessage)), default=-1)
        if idx < 0:
            return AIMessage(content=phrases.capabilities(self.default_lang))
        request = text_of(messages[idx])
        lang = phrases.detect(request, self.default_lang)
        tail = messages[idx + 1 :]
        results = [m for m in tail if isinstance(m, ToolMessage)]
        if results:
            by_id = {tc["id"]: tc["name"] for m in tail if isinstance(m, AIMessage) for tc in m.tool_calls}
            outcomes = [writer.parse(by_id.get(m.tool_call_id, m.name or ""), m.content) for m in results]
            return AIMessage(content=writer.write(outcomes, lang))
        names = [*self.router.index.hints, *(tool_name(t) for t in tools)]
        clean, removed = strip_instructions(request, names)
        if removed:
            log.warning("ignored instructions in a request", extra={"removed": removed})
            if not clean:
                return AIMessage(
                    content=phrases.ignored_instructions(lang), additional_kwargs={"clarify": True}
                )
        return self._choose(clean, lang, messages[:idx], tools)

    def _choose(
        self, request: str, lang: str, history: Sequence[BaseMessage], tools: list[dict[str, Any]]
    ) -> AIMessage:
        memory = self.memory(history)
        mentions = self.resolver.find(request)
        hints = self.router.index.hints
        previous = [
            tool_name(t)
            for t in tools
            if tool_name(t) in memory.tools
            or any(a in memory.agents for a in hints.get(tool_name(t), _NO_HINT).extra.get("handoff", ()))
        ]
        plan = self.router.plan(request, tools, mentions, previous)
        if not plan.calls:
            return AIMessage(content=phrases.capabilities(lang), additional_kwargs={"clarify": True})
        by_name = {tool_name(t): t for t in tools}
        calls: list[dict[str, Any]] = []
        for name, text in plan.calls:
            prev_args = memory.args.get(name) if plan.follow_up else None
            filled = fill(
                fields(tool_params(by_name[name])),
                request if plan.follow_up else text,
                mentions,
                self.resolver,
                self.today(),
                lang,
                memory,
                prev_args,
            )
            if filled.question:
                return AIMessage(content=filled.question, additional_kwargs={"clarify": True})
            calls.append(
                {
                    "name": name,
                    "args": filled.args,
                    "id": f"call_{uuid.uuid4().hex[:12]}",
                    "type": "tool_call",
                }
            )
        return AIMessage(content="", tool_calls=calls)


_NO_HINT = ToolHint("", "")


class OfflineChatModel(BaseChatModel):
    """LangChain face of `OfflineBrain`; `bind_tools` stores OpenAI-format tool schemas."""

    model_config = ConfigDict(arbitrary_types_allowed=True)
    brain: Any

    @property
    def _llm_type(self) -> str:
        return "copilot-offline"

    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        tools = list(kwargs.get("tools") or [])
        message = self.brain.respond(messages, tools)
        return ChatResult(generations=[ChatGeneration(message=message)])

    def bind_tools(
        self,
        tools: Sequence[dict[str, Any] | type | Callable[..., Any] | BaseTool],
        *,
        tool_choice: str | None = None,
        **kwargs: Any,
    ) -> Runnable[LanguageModelInput, AIMessage]:
        formatted = [convert_to_openai_tool(t) for t in tools]
        return self.bind(tools=formatted, **kwargs)
