"""A worker runs at most `chat_concurrency` turns at once; the rest wait their turn."""

from __future__ import annotations

import asyncio
import threading
import time
from pathlib import Path
from typing import Any

import httpx

from copilot.api.deps import get_chat
from copilot.api.main import create_app
from copilot.api.security import create_key
from knowledge.store.db import SessionFactory
from tests.copilot.api.apikit import FakeChat, make_runtime
from tools.common import Principal, Role


class SlowChat(FakeChat):
    def __init__(self) -> None:
        super().__init__()
        self.running = 0
        self.peak = 0
        self.lock = threading.Lock()

    def ask(self, text: str, principal: Principal, thread_id: str | None = None) -> Any:
        with self.lock:
            self.running += 1
            self.peak = max(self.peak, self.running)
        time.sleep(0.05)
        try:
            return super().ask(text, principal, thread_id)
        finally:
            with self.lock:
                self.running -= 1


def test_turns_are_admitted_two_at_a_time(demo_factory: SessionFactory, tmp_path: Path) -> None:
    runtime = make_runtime(demo_factory, tmp_path, rate_limit_per_minute=100_000, chat_concurrency=2)
    app = create_app(runtime)
    chat = SlowChat()
    app.dependency_overrides[get_chat] = lambda: chat
    key = create_key(demo_factory, Role.ADMIN).key
    body = {"model": "copilot", "messages": [{"role": "user", "content": "hi"}]}

    async def burst() -> list[int]:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
            calls = [
                client.post("/v1/chat/completions", json=body, headers={"Authorization": f"Bearer {key}"})
                for _ in range(8)
            ]
            return [r.status_code for r in await asyncio.gather(*calls)]

    assert asyncio.run(burst()) == [200] * 8
    assert chat.peak == 2 and len(chat.calls) == 8
