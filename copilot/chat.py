"""The chat service: the `ChatService` contract over the supervisor graph and its checkpointer.

Callers (CLI, API, evals) hand in text, a principal and an optional thread id; they get streamed
`ChatEvent`s and a `TurnResult`, never LangGraph objects. A turn interrupted by a crash is
detected from the checkpoint (the graph still has steps to run): asking the same text again
resumes it instead of appending the message twice, and a different text first finishes it.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Iterator
from typing import Any

from langchain_core.messages import AIMessage, HumanMessage
from langgraph.types import Overwrite

from copilot.chat_types import ChatEvent, TurnResult
from copilot.llm.offline.model import MEMORY_KEY, text_of
from tools.common import Principal, Source

log = logging.getLogger(__name__)


class ChatError(RuntimeError):
    """A turn failed inside the graph (the error event carries the message)."""


class GraphChatService:
    def __init__(
        self,
        graph: Any,
        default_mode: str = "offline",
        max_input_chars: int = 20_000,
        on_close: Callable[[], None] | None = None,
        resolver: Any = None,
        deps: Any = None,
    ) -> None:
        self.graph = graph
        self.resolver = resolver  # the entity resolver (evals and the CLI reuse it)
        self.deps = deps
        self.default_mode = default_mode
        self.max_input_chars = max_input_chars
        self._on_close = on_close

    def _config(self, thread_id: str) -> dict[str, Any]:
        return {"configurable": {"thread_id": thread_id}, "recursion_limit": 40}

    def pending(self, thread_id: str) -> str | None:
        """The user text of an interrupted turn of this thread, if one is unfinished."""
        snap = self.graph.get_state(self._config(thread_id))
        if not snap.next:
            return None
        humans = [m for m in snap.values.get("messages", []) if isinstance(m, HumanMessage)]
        return text_of(humans[-1]) if humans else ""

    def stream(
        self, text: str, principal: Principal, thread_id: str | None = None, mode: str | None = None
    ) -> Iterator[ChatEvent]:
        if not text.strip():
            raise ValueError("empty message")
        if len(text) > self.max_input_chars:
            raise ValueError(f"message longer than {self.max_input_chars} characters")
        thread_id = thread_id or str(uuid.uuid4())
        config = self._config(thread_id)
        interrupted = self.pending(thread_id)
        if interrupted is not None:
            log.info("resuming interrupted turn", extra={"thread_id": thread_id})
            if interrupted == text:
                yield from self._run(None, config, thread_id)
                return
            for _ in self._run(None, config, thread_id):
                pass
        turn = {
            "messages": [HumanMessage(content=text, id=str(uuid.uuid4()))],
            "principal": principal.model_dump(mode="json"),
            "mode": mode or self.default_mode,
            "sections": Overwrite([]),
            "notices": Overwrite([]),
        }
        yield from self._run(turn, config, thread_id)

    def resume(self, thread_id: str) -> TurnResult | None:
        """Finish an interrupted turn (None when the thread has nothing pending)."""
        if self.pending(thread_id) is None:
            return None
        return self._result_of(list(self._run(None, self._config(thread_id), thread_id)))

    def _run(
        self, turn: dict[str, Any] | None, config: dict[str, Any], thread_id: str
    ) -> Iterator[ChatEvent]:
        try:
            for chunk in self.graph.stream(turn, config, stream_mode="custom", durability="sync"):
                data = dict(chunk)
                yield ChatEvent(type=data.pop("type", "notice"), data=data)
        except Exception as exc:
            log.exception("turn failed", extra={"thread_id": thread_id})
            yield ChatEvent(
                type="error", data={"message": f"{type(exc).__name__}: {exc}", "thread_id": thread_id}
            )
            return
        result = self.last_result(thread_id)
        for notice in result.notices:
            yield ChatEvent(type="notice", data={"text": notice})
        yield ChatEvent(type="done", data=result.model_dump(mode="json"))

    def last_result(self, thread_id: str) -> TurnResult:
        values = self.graph.get_state(self._config(thread_id)).values
        answers = [m for m in values.get("messages", []) if isinstance(m, AIMessage)]
        if not answers:
            raise ChatError(f"thread {thread_id} has no answer")
        last = answers[-1]
        meta = last.additional_kwargs.get(MEMORY_KEY) or {}
        seen: set[str] = set()
        sources: list[Source] = []
        for raw in meta.get("sources", []):
            src = Source.model_validate(raw)
            if src.key not in seen:
                seen.add(src.key)
                sources.append(src)
        return TurnResult(
            answer=text_of(last),
            agents=list(dict.fromkeys(meta.get("agents", []))),
            tools=[c["name"] for c in meta.get("tools", [])],
            sources=sources,
            thread_id=thread_id,
            artifacts=list(meta.get("artifacts", [])),
            notices=list(meta.get("notices", [])),
            guard=dict(meta.get("guard") or {}),
        )

    @staticmethod
    def _result_of(events: list[ChatEvent]) -> TurnResult:
        for event in events:
            if event.type == "done":
                return TurnResult.model_validate(event.data)
            if event.type == "error":
                raise ChatError(str(event.data.get("message")))
        raise ChatError("turn ended without an answer")

    def ask(
        self, text: str, principal: Principal, thread_id: str | None = None, mode: str | None = None
    ) -> TurnResult:
        return self._result_of(list(self.stream(text, principal, thread_id, mode)))

    def history(self, thread_id: str) -> list[dict[str, Any]]:
        values = self.graph.get_state(self._config(thread_id)).values
        out: list[dict[str, Any]] = []
        for msg in values.get("messages", []):
            if isinstance(msg, HumanMessage):
                out.append({"role": "user", "content": text_of(msg)})
            elif isinstance(msg, AIMessage) and not msg.tool_calls:
                meta = msg.additional_kwargs.get(MEMORY_KEY) or {}
                out.append(
                    {
                        "role": "assistant",
                        "content": text_of(msg),
                        "agents": meta.get("agents", []),
                        "tools": [c["name"] for c in meta.get("tools", [])],
                        "sources": meta.get("sources", []),
                    }
                )
        return out

    def close(self) -> None:
        if self._on_close is not None:
            self._on_close()
            self._on_close = None
