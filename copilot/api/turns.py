"""Admission control for chat turns: a worker runs a few turns at once and queues the rest.

Offline turns are CPU-bound Python: forty of them in forty threads share one interpreter lock and
all finish late, while two at a time finish in arrival order, so queueing keeps latency close to
the work itself. With a remote model a turn mostly waits on the network, so many may run at once
(`COPILOT_CHAT_CONCURRENCY`, default 2 offline and 32 otherwise).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

from fastapi import Request
from starlette.concurrency import run_in_threadpool

from copilot.api.deps import runtime_of
from copilot.api.streaming import events_of
from copilot.chat_types import ChatEvent
from copilot.config import ModelMode


def _slots(request: Request) -> asyncio.Semaphore:
    """The worker's semaphore, made in the running loop (a test client may bring a new loop)."""
    loop = asyncio.get_running_loop()
    held: tuple[asyncio.AbstractEventLoop, asyncio.Semaphore] | None = getattr(
        request.app.state, "turn_slots", None
    )
    if held is None or held[0] is not loop:
        settings = runtime_of(request.app).settings
        size = settings.chat_concurrency or (2 if settings.model_mode is ModelMode.OFFLINE else 32)
        held = (loop, asyncio.Semaphore(size))
        request.app.state.turn_slots = held
    return held[1]


async def run_turn(request: Request, fn: Callable[..., Any], *args: Any) -> Any:
    """`fn(*args)` in the thread pool once a turn slot is free."""
    async with _slots(request):
        return await run_in_threadpool(fn, *args)


async def stream_turn(
    request: Request, produce: Callable[[], Iterator[ChatEvent]]
) -> AsyncIterator[ChatEvent]:
    """The turn's events, started once a slot is free and holding it until the last event."""
    async with _slots(request):
        async for event in events_of(produce):
            yield event
