"""`/healthz` and `/readyz`: no key needed; readiness fails (503) when a dependency is down."""

from __future__ import annotations

import socket
from pathlib import Path

from fastapi.testclient import TestClient

from copilot.api.main import create_app
from knowledge.store.db import SessionFactory
from tests.copilot.api.apikit import make_runtime


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_healthz_and_readyz(client: TestClient) -> None:
    assert client.get("/healthz").json() == {"status": "ok"}
    ready = client.get("/readyz")
    assert ready.status_code == 200, ready.json()
    checks = ready.json()["checks"]
    assert set(checks) == {"database", "chroma", "model"}
    assert checks["database"]["detail"] == "sqlite"


def test_readyz_503_when_dependencies_are_down(demo_factory: SessionFactory, tmp_path: Path) -> None:
    port = _closed_port()
    runtime = make_runtime(
        demo_factory,
        tmp_path,
        chroma_url=f"http://127.0.0.1:{port}",
        redis_url=f"redis://127.0.0.1:{port}",
        model_mode="openai",
        llm_base_url=f"http://127.0.0.1:{port}/v1",
        llm_api_key="sk-real-looking-key",
    )
    with TestClient(create_app(runtime)) as client:
        resp = client.get("/readyz")
    assert resp.status_code == 503
    body = resp.json()
    assert body["status"] == "not_ready"
    assert body["checks"]["database"]["ok"]
    assert not body["checks"]["chroma"]["ok"]
    assert not body["checks"]["model"]["ok"]
    assert not body["checks"]["redis"]["ok"]


def test_readyz_with_redis(demo_factory: SessionFactory, tmp_path: Path) -> None:
    runtime = make_runtime(demo_factory, tmp_path, redis_url="redis://127.0.0.1:6379")
    with TestClient(create_app(runtime)) as client:
        resp = client.get("/readyz")
    assert resp.status_code == 200 and resp.json()["checks"]["redis"]["ok"]
