"""`POST /v1/chat/completions` and `GET /v1/models`: the OpenAI-compatible face of the copilot."""

from __future__ import annotations

import time
import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Request
from fastapi import Path as PathParam
from fastapi.responses import JSONResponse
from sse_starlette import EventSourceResponse
from starlette.concurrency import run_in_threadpool

from copilot.api import thread_store
from copilot.api.deps import AnyRole, ChatDep, SessionFactoryDep, SettingsDep
from copilot.api.errors import AUTH_ERRORS, BAD_REQUEST, NOT_FOUND, ApiError, not_found
from copilot.api.narrowing import narrow
from copilot.api.schemas.openai import (
    MODEL_ID,
    AssistantMessage,
    ChatCompletion,
    ChatCompletionRequest,
    Choice,
    ModelCard,
    ModelList,
    Usage,
    estimate_tokens,
    message_text,
)
from copilot.api.streaming import CHAT_SSE_EVENT, extras_of, openai_sse
from copilot.api.turns import run_turn, stream_turn
from copilot.chat_types import TurnResult
from copilot.config import Settings

router = APIRouter(prefix="/v1", tags=["chat"], responses=AUTH_ERRORS)
_STARTED = int(time.time())

_SSE_DOC = {
    "text/event-stream": {
        "schema": CHAT_SSE_EVENT,
        "example": {
            "data": '{"id":"chatcmpl-1","object":"chat.completion.chunk","choices":[{"index":0,'
            '"delta":{"content":"杭州仓"},"finish_reason":null}]}'
        },
    }
}


def user_text(body: ChatCompletionRequest, settings: Settings) -> str:
    """The new user message, after the size and shape checks that precede any model call."""
    total = sum(len(message_text(m)) for m in body.messages)
    if total > settings.max_input_chars:
        raise ApiError(
            413,
            f"input of {total} characters exceeds the limit of {settings.max_input_chars}",
            code="input_too_large",
            param="messages",
        )
    for i, m in enumerate(body.messages):
        if isinstance(m.content, list) and any(p.type != "text" for p in m.content):
            raise ApiError(
                400,
                "only text content parts are supported",
                code="unsupported_content",
                param=f"messages.{i}.content",
            )
    last = body.messages[-1]
    text = message_text(last).strip()
    if last.role != "user" or not text:
        raise ApiError(
            400,
            "the last message must be a non-empty user message",
            code="invalid_messages",
            param="messages",
        )
    return text


def completion(result: TurnResult, model: str, prompt: str) -> ChatCompletion:
    p, c = estimate_tokens(prompt), estimate_tokens(result.answer)
    return ChatCompletion(
        id=f"chatcmpl-{uuid.uuid4().hex[:24]}",
        created=int(time.time()),
        model=model,
        choices=[Choice(message=AssistantMessage(content=result.answer))],
        usage=Usage(prompt_tokens=p, completion_tokens=c, total_tokens=p + c),
        thread_id=result.thread_id,
        copilot=extras_of(result),
    )


@router.post(
    "/chat/completions",
    response_model=ChatCompletion,
    summary="Chat (OpenAI-compatible)",
    responses={
        200: {"content": _SSE_DOC, "description": "A completion, or SSE chunks when `stream` is true."},
        **BAD_REQUEST,
        **NOT_FOUND,
    },
)
async def chat_completions(
    request: Request,
    body: ChatCompletionRequest,
    principal: AnyRole,
    chat: ChatDep,
    factory: SessionFactoryDep,
    settings: SettingsDep,
) -> Any:
    """One copilot turn. Works with the official `openai` client: point `base_url` at `/v1`.

    Send `metadata.thread_id` to continue a conversation (the server keeps its history); without
    it each request starts a new thread, whose id comes back as `thread_id` and `x-thread-id`.
    """
    text = user_text(body, settings)
    acting = await run_in_threadpool(narrow, factory, principal, body.metadata)
    thread_id = (body.metadata or {}).get("thread_id")
    if thread_id:
        thread = await run_in_threadpool(thread_store.get_or_claim, factory, thread_id, principal, text[:80])
    else:
        meta = {"user": body.user} if body.user else {}
        thread = await run_in_threadpool(
            lambda: thread_store.create_thread(factory, principal, title=text[:80], meta=meta)
        )
    headers = {"x-thread-id": thread.id}
    if body.stream:
        include_usage = bool(body.stream_options and body.stream_options.include_usage)
        events = stream_turn(request, lambda: chat.stream(text, acting, thread.id))
        chunks = openai_sse(
            events,
            model=body.model,
            thread_id=thread.id,
            prompt=text,
            include_usage=include_usage,
            on_done=lambda _r: thread_store.touch(factory, thread.id, text),
        )
        return EventSourceResponse(chunks, headers=headers, ping=15)
    result = await run_turn(request, chat.ask, text, acting, thread.id)
    await run_in_threadpool(thread_store.touch, factory, thread.id, text)
    out = completion(result, body.model, text)
    return JSONResponse(out.model_dump(mode="json"), headers=headers)


@router.get("/models", response_model=ModelList, summary="List models")
async def list_models(_principal: AnyRole) -> ModelList:
    """The copilot is one model, `copilot`; any `model` value is accepted by chat completions."""
    return ModelList(data=[ModelCard(created=_STARTED)])


@router.get("/models/{model_id}", response_model=ModelCard, summary="Get a model", responses=NOT_FOUND)
async def get_model(
    model_id: Annotated[str, PathParam(max_length=64, openapi_examples={"copilot": {"value": MODEL_ID}})],
    _principal: AnyRole,
) -> ModelCard:
    if model_id != MODEL_ID:
        raise not_found("model", model_id)
    return ModelCard(created=_STARTED)
