"""A local OpenAI-compatible chat-completions server for tests and benchmarks (loopback only).

It answers `/v1/chat/completions` (plain, streaming and tool-call responses) from a responder:
- `ScriptedResponder`: a queue of canned replies, pushed by the test;
- `BrainResponder`: the offline model's brain behind the wire, so a whole graph runs in openai
  mode with sensible tool calls (used by bench/bench_agents.py with a fixed latency).
Faults are queued per request: "500", "429", "401" or "timeout" (sleeps past the client timeout).
"""

from __future__ import annotations

import asyncio
import json
import socket
import threading
import time
import uuid
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import uvicorn
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, StreamingResponse

Reply = dict[str, Any]  # {"content": str | None, "tool_calls": [{"name", "arguments": dict}]}
Responder = Callable[[dict[str, Any]], Reply]


class ScriptedResponder:
    """Replies from a queue; an empty queue answers "ok" (so stray calls are visible, not fatal)."""

    def __init__(self, replies: list[Reply] | None = None) -> None:
        self.replies: deque[Reply] = deque(replies or [])
        self.lock = threading.Lock()

    def push(self, *replies: Reply) -> None:
        with self.lock:
            self.replies.extend(replies)

    def __call__(self, body: dict[str, Any]) -> Reply:
        with self.lock:
            return self.replies.popleft() if self.replies else {"content": "ok"}


class BrainResponder:
    """The offline brain answering OpenAI-format requests (tools and messages as sent)."""

    def __init__(self, brain: Any) -> None:
        self.brain = brain

    def __call__(self, body: dict[str, Any]) -> Reply:
        from langchain_core.messages import AIMessage, HumanMessage, SystemMessage, ToolMessage

        messages: list[Any] = []
        for m in body.get("messages", []):
            role, content = m.get("role"), m.get("content") or ""
            if role == "system":
                messages.append(SystemMessage(content))
            elif role == "user":
                messages.append(HumanMessage(content))
            elif role == "assistant":
                calls = [
                    {
                        "name": c["function"]["name"],
                        "args": json.loads(c["function"]["arguments"] or "{}"),
                        "id": c["id"],
                    }
                    for c in m.get("tool_calls") or []
                ]
                messages.append(AIMessage(content=content, tool_calls=calls))
            elif role == "tool":
                messages.append(ToolMessage(content=content, tool_call_id=m.get("tool_call_id", "")))
        reply = self.brain.respond(messages, list(body.get("tools") or []))
        return {
            "content": reply.content or None,
            "tool_calls": [{"name": c["name"], "arguments": c["args"]} for c in reply.tool_calls],
        }


@dataclass
class FakeState:
    responder: Responder
    latency_s: float = 0.0
    timeout_sleep_s: float = 5.0
    faults: deque[str] = field(default_factory=deque)
    requests: list[dict[str, Any]] = field(default_factory=list)
    durations: list[float] = field(default_factory=list)  # seconds per answered completion
    lock: threading.Lock = field(default_factory=threading.Lock)

    def fault(self, *codes: str) -> None:
        with self.lock:
            self.faults.extend(codes)


def _completion(model: str, reply: Reply) -> dict[str, Any]:
    calls = [
        {
            "id": f"call_{uuid.uuid4().hex[:12]}",
            "type": "function",
            "function": {
                "name": c["name"],
                "arguments": json.dumps(c.get("arguments") or {}, ensure_ascii=False),
            },
        }
        for c in reply.get("tool_calls") or []
    ]
    message: dict[str, Any] = {"role": "assistant", "content": reply.get("content")}
    if calls:
        message["tool_calls"] = calls
    return {
        "id": f"chatcmpl-{uuid.uuid4().hex[:12]}",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": model,
        "choices": [{"index": 0, "message": message, "finish_reason": "tool_calls" if calls else "stop"}],
        "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
    }


def _chunks(model: str, reply: Reply) -> list[str]:
    base = {
        "id": f"chatcmpl-{uuid.uuid4().hex[:12]}",
        "object": "chat.completion.chunk",
        "created": int(time.time()),
        "model": model,
    }
    text = reply.get("content") or ""
    pieces = [text[i : i + 8] for i in range(0, len(text), 8)] or [""]
    out = [
        json.dumps(
            {
                **base,
                "choices": [
                    {"index": 0, "delta": {"role": "assistant", "content": ""}, "finish_reason": None}
                ],
            }
        )
    ]
    out += [
        json.dumps({**base, "choices": [{"index": 0, "delta": {"content": p}, "finish_reason": None}]})
        for p in pieces
    ]
    out.append(json.dumps({**base, "choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]}))
    return [f"data: {c}\n\n" for c in out] + ["data: [DONE]\n\n"]


def _error(status: int, message: str, kind: str) -> JSONResponse:
    return JSONResponse(
        status_code=status, content={"error": {"message": message, "type": kind, "code": str(status)}}
    )


def create_app(state: FakeState) -> FastAPI:
    app = FastAPI()

    @app.post("/v1/chat/completions")
    async def completions(request: Request) -> Any:
        started = time.perf_counter()
        body = await request.json()
        with state.lock:
            state.requests.append(body)
            fault = state.faults.popleft() if state.faults else None
        if fault == "timeout":
            await asyncio.sleep(state.timeout_sleep_s)
        elif fault in ("500", "502", "503"):
            return _error(int(fault), "upstream failure", "server_error")
        elif fault == "429":
            return _error(429, "rate limited", "rate_limit_exceeded")
        elif fault == "401":
            return _error(401, "invalid api key", "invalid_request_error")
        if state.latency_s:
            await asyncio.sleep(state.latency_s)
        reply = await asyncio.to_thread(state.responder, body)
        with state.lock:
            state.durations.append(time.perf_counter() - started)
        model = str(body.get("model", "fake"))
        if body.get("stream"):
            return StreamingResponse(iter(_chunks(model, reply)), media_type="text/event-stream")
        return _completion(model, reply)

    return app


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class FakeOpenAIServer:
    """Runs the app with uvicorn in a thread: `with FakeOpenAIServer(responder) as srv: srv.base_url`."""

    def __init__(self, responder: Responder, latency_s: float = 0.0, timeout_sleep_s: float = 5.0) -> None:
        self.state = FakeState(responder=responder, latency_s=latency_s, timeout_sleep_s=timeout_sleep_s)
        self.port = _free_port()
        config = uvicorn.Config(create_app(self.state), host="127.0.0.1", port=self.port, log_level="warning")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    def __enter__(self) -> FakeOpenAIServer:
        self.thread.start()
        deadline = time.monotonic() + 10
        while not self.server.started:
            if time.monotonic() > deadline:
                raise RuntimeError("fake OpenAI server did not start")
            time.sleep(0.02)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)
