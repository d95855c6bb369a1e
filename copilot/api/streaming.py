"""Turning the chat service's event iterator into SSE: native run events and OpenAI chunks.

The chat service is synchronous (LangGraph in a thread); its iterator is drained in the thread
pool so the event loop keeps serving other requests. Once a stream has started its status is
already 200, so a failure mid-turn is sent as an SSE error event carrying the OpenAI envelope.
"""

from __future__ import annotations

import json
import logging
import time
import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

from sse_starlette import ServerSentEvent
from starlette.concurrency import iterate_in_threadpool, run_in_threadpool

from copilot.api.errors import ApiError
from copilot.api.schemas.openai import CopilotExtras, estimate_tokens
from copilot.chat_types import ChatEvent, TurnResult

log = logging.getLogger(__name__)

TOKEN_KEYS = ("text", "token", "content", "delta")
EVENT_TYPES = ("agent_started", "tool_called", "tool_result", "token", "artifact", "notice", "done", "error")

# OpenAPI: the schema of one server-sent event as parsed from the wire (`event`, `data`, `id`).
CHAT_SSE_EVENT: dict[str, Any] = {
    "type": "object",
    "required": ["data"],
    "description": "`data` is a `chat.completion.chunk` (JSON), an error envelope (JSON), or `[DONE]`.",
    "properties": {"data": {"type": "string"}, "event": {"type": "string"}, "id": {"type": "string"}},
}
RUN_SSE_EVENT: dict[str, Any] = {
    "type": "object",
    "required": ["event", "data"],
    "description": "`event` is the step; `data` its JSON payload (`done`: the TurnResult; `error`: the error envelope).",
    "properties": {
        "event": {"type": "string", "enum": list(EVENT_TYPES)},
        "data": {
            "type": "string",
            "contentMediaType": "application/json",
            "contentSchema": {"type": "object"},
        },
        "id": {"type": "string"},
    },
}


def _dumps(obj: Any) -> str:
    return json.dumps(obj, ensure_ascii=False, default=str, separators=(",", ":"))


def error_payload(exc: BaseException) -> dict[str, Any]:
    """The OpenAI envelope for an exception raised while streaming."""
    if isinstance(exc, ApiError):
        return exc.body()
    if isinstance(exc, PermissionError):
        return ApiError(403, str(exc) or "forbidden", code="forbidden").body()
    return ApiError(500, "the turn failed; see the server log", code="turn_failed").body()


def token_text(event: ChatEvent) -> str:
    for key in TOKEN_KEYS:
        value = event.data.get(key)
        if isinstance(value, str):
            return value
    return ""


async def events_of(produce: Callable[[], Iterator[ChatEvent]]) -> AsyncIterator[ChatEvent]:
    """Drain the service's iterator in the thread pool; a failure becomes one `error` event."""
    try:
        async for event in iterate_in_threadpool(produce()):
            yield event
    except Exception as exc:
        log.exception("chat stream failed")
        yield ChatEvent(type="error", data=error_payload(exc))


def _error_event_data(data: dict[str, Any]) -> dict[str, Any]:
    """Every error event carries OpenAI's envelope under `error` and its text under `message`,
    whether the chat service reported the failure or the stream itself broke."""
    if isinstance(data.get("error"), dict):
        return {**data, "message": data.get("message") or data["error"].get("message", "")}
    message = str(data.get("message") or "the turn failed")
    envelope = ApiError(500, message, code="turn_failed").body()
    return {**data, **envelope, "message": message}


async def native_sse(events: AsyncIterator[ChatEvent]) -> AsyncIterator[ServerSentEvent]:
    """One SSE event per chat event: `event: <type>`, `data: <json>`, `id: <n>`."""
    n = 0
    async for event in events:
        n += 1
        data = _error_event_data(event.data) if event.type == "error" else event.data
        yield ServerSentEvent(data=_dumps(data), event=event.type, id=str(n))
        if event.type in ("done", "error"):
            return


def extras_of(result: TurnResult) -> CopilotExtras:
    return CopilotExtras(
        agents=result.agents,
        tools=result.tools,
        sources=result.sources,
        artifacts=result.artifacts,
        notices=result.notices,
        guard=result.guard,
    )


async def openai_sse(
    events: AsyncIterator[ChatEvent],
    *,
    model: str,
    thread_id: str,
    prompt: str,
    include_usage: bool,
    on_done: Callable[[TurnResult], Any] | None = None,
) -> AsyncIterator[ServerSentEvent]:
    """OpenAI `chat.completion.chunk` events, ending with `[DONE]` (or an error chunk)."""
    cid = f"chatcmpl-{uuid.uuid4().hex[:24]}"
    created = int(time.time())
    base = {
        "id": cid,
        "object": "chat.completion.chunk",
        "created": created,
        "model": model,
        "thread_id": thread_id,
    }

    def chunk(delta: dict[str, Any], finish: str | None = None, **extra: Any) -> ServerSentEvent:
        choice = {"index": 0, "delta": delta, "finish_reason": finish, "logprobs": None}
        return ServerSentEvent(data=_dumps({**base, "choices": [choice], **extra}))

    yield chunk({"role": "assistant", "content": ""})
    streamed: list[str] = []
    async for event in events:
        if event.type == "token":
            piece = token_text(event)
            if piece:
                streamed.append(piece)
                yield chunk({"content": piece})
        elif event.type == "error":
            envelope = _error_event_data(event.data)
            yield ServerSentEvent(data=_dumps({"error": envelope["error"]}))
            return
        elif event.type == "done":
            result = TurnResult.model_validate(event.data)
            sent = "".join(streamed)
            if result.answer.startswith(sent) and len(result.answer) > len(sent):
                yield chunk({"content": result.answer[len(sent) :]})
            if on_done is not None:
                await run_in_threadpool(on_done, result)
            yield chunk({}, "stop", copilot=extras_of(result).model_dump(mode="json"))
            if include_usage:
                p, c = estimate_tokens(prompt), estimate_tokens(result.answer)
                usage = {"prompt_tokens": p, "completion_tokens": c, "total_tokens": p + c}
                yield ServerSentEvent(data=_dumps({**base, "choices": [], "usage": usage}))
            yield ServerSentEvent(data="[DONE]")
            return
    yield ServerSentEvent(
        data=_dumps(ApiError(500, "the turn ended without a result", code="turn_failed").body())
    )
