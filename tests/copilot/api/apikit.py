"""Helpers shared by the API tests: the scripted chat service, runtime builder, auth header."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from copilot.chat_types import ChatEvent, TurnResult
from copilot.config import Settings
from copilot.runtime import Runtime
from knowledge.store.db import SessionFactory
from tools.common import Principal, Role, Source

DEMO_TODAY = dt.date(2026, 11, 30)
ROLE_PERSON = {
    Role.REP: "P-ZW",
    Role.MANAGER: "P-CJ",
    Role.MARKETING: "P-LY",
    Role.MEDICAL_AFFAIRS: "P-ZM",
    Role.LEGAL_COMPLIANCE: "P-SL",
}


class FakeChat:
    """A scripted ChatService: answers `echo: <text> (turn n)` and keeps each thread's history."""

    def __init__(self) -> None:
        self.threads: dict[str, list[dict[str, Any]]] = {}
        self.calls: list[tuple[str, Principal, str | None]] = []
        self.fail_with: Exception | None = None

    def _answer(self, text: str, principal: Principal, thread_id: str | None) -> TurnResult:
        self.calls.append((text, principal, thread_id))
        assert thread_id is not None
        history = self.threads.setdefault(thread_id, [])
        turn = len(history) // 2 + 1
        answer = f"echo: {text} (turn {turn}, role {principal.role.value})"
        history += [{"role": "user", "content": text}, {"role": "assistant", "content": answer}]
        return TurnResult(
            answer=answer,
            agents=["sales"],
            tools=["stock_lookup"],
            sources=[Source(kind="record", ref="stock", id="WH-HZ:HMT-DCB-02")],
            thread_id=thread_id,
        )

    def ask(self, text: str, principal: Principal, thread_id: str | None = None) -> TurnResult:
        if self.fail_with is not None:
            raise self.fail_with
        return self._answer(text, principal, thread_id)

    def stream(self, text: str, principal: Principal, thread_id: str | None = None) -> Iterator[ChatEvent]:
        yield ChatEvent(type="agent_started", data={"agent": "sales"})
        yield ChatEvent(type="tool_called", data={"tool": "stock_lookup", "args": {}})
        if self.fail_with is not None:
            raise self.fail_with
        result = self._answer(text, principal, thread_id)
        yield ChatEvent(type="tool_result", data={"tool": "stock_lookup", "summary": "35"})
        for word in result.answer.split(" "):
            yield ChatEvent(type="token", data={"text": word + " "})
        yield ChatEvent(type="done", data=result.model_dump(mode="json"))

    def history(self, thread_id: str) -> list[dict[str, Any]]:
        return list(self.threads.get(thread_id, []))


def make_runtime(factory: SessionFactory, tmp_path: Path, **overrides: Any) -> Runtime:
    """A runtime over `factory`; pinned to the demo date and offline whatever the environment says
    (module-scoped fixtures are built before the per-test environment isolation applies)."""
    fixed: dict[str, Any] = {
        "data_dir": tmp_path / "data",
        "database_url": f"sqlite:///{tmp_path / 'demo.db'}",
        "today": DEMO_TODAY,
        "model_mode": "offline",
        "chroma_url": None,
        "redis_url": None,
        "_env_file": None,
    }
    settings = Settings(**{**fixed, **overrides})
    runtime = Runtime(settings)
    runtime.__dict__["session_factory"] = factory
    runtime.__dict__["engine"] = factory.kw["bind"]
    return runtime


def auth(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


class HashEmbedder:
    """Deterministic character-bigram hashing embedder: no model download, stable across runs."""

    spec = "hash"
    name = "hash"
    dim = 64

    def _one(self, text: str) -> Any:
        import itertools
        import zlib

        import numpy as np

        vec = np.zeros(self.dim, dtype=np.float32)
        for a, b in itertools.pairwise(text):
            vec[zlib.crc32((a + b).encode("utf-8")) % self.dim] += 1.0
        norm = float(np.linalg.norm(vec))
        return vec / norm if norm else vec

    def embed_passages(self, texts: Any) -> Any:
        import numpy as np

        return np.stack([self._one(t) for t in texts]) if len(texts) else np.zeros((0, self.dim), np.float32)

    def embed_query(self, text: str) -> Any:
        return self._one(text)


def make_kb(runtime: Runtime) -> Any:
    """A real KnowledgeBase (local Chroma in the test's data dir) over the hashing embedder."""
    from knowledge.docs.kb import KnowledgeBase
    from knowledge.docs.store import make_client

    data_dir = runtime.settings.data_dir
    client = make_client(path=data_dir / "chroma")
    kb = KnowledgeBase(client, HashEmbedder(), session_factory=runtime.session_factory, data_dir=data_dir)
    runtime.__dict__["kb"] = kb
    return kb
