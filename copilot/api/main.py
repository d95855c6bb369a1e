"""The FastAPI app: `uvicorn copilot.api.main:app`, or `create_app(runtime)` in tests and `copilot serve`."""

from __future__ import annotations

import logging
import os
import time
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import Depends, FastAPI
from starlette.concurrency import run_in_threadpool
from starlette.types import Scope

from copilot.api import errors
from copilot.api.deps import limiter_of, reject_unknown_query, runtime_of
from copilot.api.middleware import RequestContextMiddleware
from copilot.api.routes import ROUTERS
from copilot.runtime import Runtime
from tools.common import Principal, Role

DESCRIPTION = """Sales Copilot over HTTP.

* `POST /v1/chat/completions` speaks OpenAI's Chat Completions: point the official `openai`
  client's `base_url` at `/v1` and use your copilot key as the API key.
* Native threads and runs stream every step of a turn as server-sent events.
* REST resources: battle packs, compliance, visits and feedback, workbenches, metrics, knowledge.

Authenticate with `Authorization: Bearer <key>` (`copilot keys create --role ROLE`). Errors use
OpenAI's envelope `{"error": {"message", "type", "param", "code"}}`; every response carries
`x-request-id`; rate limits are per key (`x-ratelimit-*`, `retry-after` on 429).
"""

log = logging.getLogger(__name__)
UPLOAD_PATHS = ("/v1/knowledge/documents",)


def warm_up(runtime: Runtime) -> None:
    """Build the chat graph and load the embedder before the first request, so a worker's first
    user does not pay seconds of start-up (uvicorn accepts traffic only after this returns)."""
    start = time.perf_counter()
    try:
        runtime.kb.search("warm up", "admin", k=1)
        # One real turn loads what the first user would otherwise wait for (entity names, tool
        # statements, model caches); like every turn it is checkpointed and its guard decision
        # audited, under the thread id `warmup-<pid>`.
        principal = Principal(role=Role.ADMIN, key_id="warmup")
        runtime.chat.ask(
            "杭州仓瑞畅还有多少库存？", principal, f"warmup-{os.getpid()}-{uuid.uuid4().hex[:8]}"
        )
    except Exception:  # the API still serves what works; the failure is in the log and /readyz
        log.exception("warm-up failed")
    log.info("warm-up took %.1f s", time.perf_counter() - start)


def create_app(runtime: Runtime | None = None) -> FastAPI:
    """The app; without a runtime one is built from settings on startup (or first request)."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        runtime_of(app)
        limiter_of(app)
        if getattr(app.state, "owns_runtime", False):
            await run_in_threadpool(warm_up, app.state.runtime)
        yield
        app.state.limiter = None
        if getattr(app.state, "owns_runtime", False):
            app.state.runtime.close()
            app.state.runtime = None

    app = FastAPI(
        title="Sales Copilot API",
        version="0.1.0",
        description=DESCRIPTION,
        lifespan=lifespan,
        dependencies=[Depends(reject_unknown_query)],
        openapi_tags=[
            {"name": "chat", "description": "OpenAI-compatible chat completions."},
            {"name": "threads", "description": "Native threads and streamed runs."},
            {"name": "health", "description": "Liveness and readiness, no key needed."},
        ],
    )
    app.state.runtime = runtime
    app.state.owns_runtime = False
    app.state.limiter = None
    errors.install(app)
    for router in ROUTERS:
        app.include_router(router)

    def body_limit(scope: Scope) -> int:
        settings = runtime_of(app).settings
        if scope.get("path", "").startswith(UPLOAD_PATHS):
            return settings.max_upload_bytes
        return settings.max_body_bytes

    app.add_middleware(RequestContextMiddleware, limits=body_limit)
    return app


app = create_app()
