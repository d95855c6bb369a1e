"""Native threads and runs: the full event stream of a turn (agents, tools, tokens, artifacts)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi import Path as PathParam
from sse_starlette import EventSourceResponse
from starlette.concurrency import run_in_threadpool

from copilot.api import thread_store
from copilot.api.deps import AnyRole, ChatDep, SessionFactoryDep, SettingsDep
from copilot.api.errors import AUTH_ERRORS, BAD_REQUEST, NOT_FOUND, ApiError
from copilot.api.narrowing import narrow
from copilot.api.schemas.threads import (
    NARROWING_KEYS,
    MessageList,
    MessageOut,
    RunCreate,
    ThreadCreate,
    ThreadDetail,
    ThreadList,
    ThreadOut,
)
from copilot.api.streaming import RUN_SSE_EVENT, native_sse
from copilot.api.turns import run_turn, stream_turn
from copilot.chat_types import TurnResult
from knowledge.store.db import SessionFactory
from knowledge.store.models import Thread
from tools.common import Principal

ThreadId = Annotated[
    str, PathParam(max_length=64, openapi_examples={"demo": {"value": "thr_4f1c2b7a9d0e4e55a1c3"}})
]
router = APIRouter(prefix="/v1/threads", tags=["threads"], responses={**AUTH_ERRORS, **NOT_FOUND})

_RUN_SSE = {
    "text/event-stream": {
        "schema": RUN_SSE_EVENT,
        "example": {"event": "token", "data": '{"text":"杭州仓"}', "id": "3"},
    }
}


def _out(row: Thread) -> ThreadOut:
    return ThreadOut(
        id=row.id,
        title=row.title,
        role=row.role,
        created_at=row.created_at,
        updated_at=row.updated_at,
        metadata=row.meta or {},
    )


def _acting(
    factory: SessionFactory, principal: Principal, thread: Thread, extra: dict[str, str] | None
) -> Principal:
    """The key's principal, narrowed by the thread's metadata and then by the run's."""
    stored = {k: v for k, v in (thread.meta or {}).items() if k in NARROWING_KEYS and isinstance(v, str)}
    return narrow(factory, narrow(factory, principal, stored), extra)


@router.post("", response_model=ThreadOut, status_code=201, summary="Create a thread", responses=BAD_REQUEST)
async def create_thread(body: ThreadCreate, principal: AnyRole, factory: SessionFactoryDep) -> ThreadOut:
    """A new thread owned by this key; other keys get 404 for it."""
    meta = dict(body.metadata or {})
    await run_in_threadpool(narrow, factory, principal, meta)  # refuse widening now, not at the first run
    row = await run_in_threadpool(
        lambda: thread_store.create_thread(factory, principal, title=body.title, meta=meta)
    )
    return _out(row)


@router.get("", response_model=ThreadList, summary="List this key's threads")
async def list_threads(
    principal: AnyRole, factory: SessionFactoryDep, limit: int = Query(default=50, ge=1, le=500)
) -> ThreadList:
    rows = await run_in_threadpool(thread_store.list_owned, factory, principal, limit)
    return ThreadList(data=[_out(r) for r in rows])


@router.get("/{thread_id}", response_model=ThreadDetail, summary="Get a thread and its history")
async def get_thread(
    thread_id: ThreadId, principal: AnyRole, factory: SessionFactoryDep, chat: ChatDep
) -> ThreadDetail:
    row = await run_in_threadpool(thread_store.get_owned, factory, thread_id, principal)
    history = await run_in_threadpool(chat.history, thread_id)
    messages = [MessageOut.model_validate(m) for m in history]
    return ThreadDetail(**_out(row).model_dump(), messages=messages)


@router.get("/{thread_id}/messages", response_model=MessageList, summary="A thread's history")
async def thread_messages(
    thread_id: ThreadId, principal: AnyRole, factory: SessionFactoryDep, chat: ChatDep
) -> MessageList:
    """The messages of the conversation so far, oldest first."""
    await run_in_threadpool(thread_store.get_owned, factory, thread_id, principal)
    history = await run_in_threadpool(chat.history, thread_id)
    return MessageList(thread_id=thread_id, data=[MessageOut.model_validate(m) for m in history])


@router.post(
    "/{thread_id}/runs",
    response_model=TurnResult,
    summary="Run a turn",
    responses={
        200: {"content": _RUN_SSE, "description": "SSE events, or the turn's result when `stream` is false."},
        **BAD_REQUEST,
    },
)
async def create_run(
    request: Request,
    thread_id: ThreadId,
    body: RunCreate,
    principal: AnyRole,
    factory: SessionFactoryDep,
    settings: SettingsDep,
    chat: ChatDep,
) -> Any:
    """Run one user turn on the thread.

    Streams `agent_started`, `tool_called`, `tool_result`, `token`, `artifact`, `notice` and finally
    `done` (the full result) or `error` (OpenAI's error envelope) as server-sent events.
    """
    text = body.input.strip()
    if len(text) > settings.max_input_chars:
        raise ApiError(
            413,
            f"input of {len(text)} characters exceeds the limit of {settings.max_input_chars}",
            code="input_too_large",
            param="input",
        )
    if not text:
        raise ApiError(400, "input is empty", code="invalid_input", param="input")
    thread = await run_in_threadpool(thread_store.get_owned, factory, thread_id, principal)
    acting = await run_in_threadpool(_acting, factory, principal, thread, body.metadata)
    if not body.stream:
        result = await run_turn(request, chat.ask, text, acting, thread.id)
        await run_in_threadpool(thread_store.touch, factory, thread.id, text)
        return result

    async def events() -> Any:
        async for event in stream_turn(request, lambda: chat.stream(text, acting, thread.id)):
            if event.type == "done":
                await run_in_threadpool(thread_store.touch, factory, thread.id, text)
            yield event

    return EventSourceResponse(native_sse(events()), headers={"x-thread-id": thread.id}, ping=15)
