"""`/healthz` (the process answers) and `/readyz` (its dependencies answer): no key needed.

A load balancer sends traffic to a worker only when `/readyz` is 200: the database, the vector
store, the model endpoint (and Redis when configured) all reached within a short timeout.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from typing import Literal

import httpx
from fastapi import APIRouter
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlalchemy import text
from starlette.concurrency import run_in_threadpool

from copilot.api.deps import RuntimeDep
from copilot.config import ModelMode, Settings
from copilot.runtime import Runtime

router = APIRouter(tags=["health"])
TIMEOUT_S = 2.0


class Health(BaseModel):
    status: Literal["ok"] = "ok"


class Check(BaseModel):
    ok: bool
    detail: str
    ms: float


class Readiness(BaseModel):
    status: Literal["ready", "not_ready"]
    checks: dict[str, Check]


@router.get("/healthz", response_model=Health, summary="Liveness")
async def healthz() -> Health:
    return Health()


def _database(runtime: Runtime) -> str:
    with runtime.engine.connect() as conn:
        conn.execute(text("SELECT 1"))
    return runtime.engine.dialect.name


async def _chroma(settings: Settings) -> str:
    if settings.chroma_url:
        async with httpx.AsyncClient(timeout=TIMEOUT_S) as client:
            resp = await client.get(f"{settings.chroma_url}/api/v2/heartbeat")
            resp.raise_for_status()
        return f"server {settings.chroma_url}"
    path = settings.resolved_chroma_path
    probe = path if path.exists() else path.parent
    probe.mkdir(parents=True, exist_ok=True)
    return f"local directory {path}"


async def _model(settings: Settings) -> str:
    if settings.model_mode is ModelMode.OFFLINE:
        return "offline model (in process)"
    headers = {}
    if settings.llm_api_key is not None:
        headers["Authorization"] = f"Bearer {settings.llm_api_key.get_secret_value()}"
    async with httpx.AsyncClient(timeout=TIMEOUT_S) as client:
        resp = await client.get(f"{settings.llm_base_url}/models", headers=headers)
        resp.raise_for_status()
    return f"{settings.llm_base_url} ({settings.llm_model})"


async def _redis(url: str) -> str:
    import redis.asyncio as aioredis

    client = aioredis.from_url(url, socket_timeout=TIMEOUT_S, socket_connect_timeout=TIMEOUT_S)
    try:
        await client.ping()
    finally:
        await client.aclose()
    return url


async def _timed(probe: Callable[[], Awaitable[str]]) -> Check:
    start = time.perf_counter()
    try:
        detail = await probe()
        ok = True
    except Exception as exc:  # each failure is reported in the body, the status says 503
        detail, ok = f"{type(exc).__name__}: {exc}", False
    return Check(ok=ok, detail=detail, ms=round((time.perf_counter() - start) * 1000, 1))


@router.get(
    "/readyz",
    response_model=Readiness,
    summary="Readiness",
    responses={503: {"model": Readiness, "description": "A dependency is unreachable."}},
)
async def readyz(runtime: RuntimeDep) -> JSONResponse:
    settings = runtime.settings
    checks = {
        "database": await _timed(lambda: run_in_threadpool(_database, runtime)),
        "chroma": await _timed(lambda: _chroma(settings)),
        "model": await _timed(lambda: _model(settings)),
    }
    if settings.redis_url:
        url = settings.redis_url
        checks["redis"] = await _timed(lambda: _redis(url))
    ready = all(c.ok for c in checks.values())
    body = Readiness(status="ready" if ready else "not_ready", checks=checks)
    return JSONResponse(body.model_dump(mode="json"), status_code=200 if ready else 503)
