"""API fixtures: an app over a private demo store, a scripted chat service, a key per role."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from copilot.api.deps import get_chat
from copilot.api.main import create_app
from copilot.api.security import create_key
from copilot.runtime import Runtime
from knowledge.store.db import SessionFactory
from tests.copilot.api.apikit import ROLE_PERSON, FakeChat, make_kb, make_runtime
from tools.common import Role


@pytest.fixture
def fake_chat() -> FakeChat:
    return FakeChat()


@pytest.fixture
def api_runtime(demo_factory: SessionFactory, tmp_path: Path) -> Runtime:
    return make_runtime(demo_factory, tmp_path, rate_limit_per_minute=100_000)


@pytest.fixture
def app(api_runtime: Runtime, fake_chat: FakeChat) -> FastAPI:
    app = create_app(api_runtime)
    app.dependency_overrides[get_chat] = lambda: fake_chat
    return app


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app) as c:
        yield c


@pytest.fixture
def keys(api_runtime: Runtime) -> dict[Role, str]:
    """One active key per role (reps act for 张伟 P-ZW, who owns H-ZJ-001..003)."""
    return {
        role: create_key(api_runtime.session_factory, role, ROLE_PERSON.get(role), label="test").key
        for role in Role
    }


@pytest.fixture
def kb(api_runtime: Runtime) -> object:
    """A local knowledge base (hashing embedder) wired into the runtime as `runtime.kb`."""
    return make_kb(api_runtime)
