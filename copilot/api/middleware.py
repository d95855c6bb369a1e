"""The outermost ASGI layer: request ids, body size limits, rate-limit headers, last-resort 500s.

It is pure ASGI (not `BaseHTTPMiddleware`) so streamed responses pass through untouched. It sits
outside Starlette's error middleware on purpose: an unhandled exception still leaves as an OpenAI
error envelope carrying `x-request-id`, which Starlette's own 500 page would not.
"""

from __future__ import annotations

import json
import logging
import re
import uuid
from collections.abc import Callable
from typing import Any

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from copilot.api.errors import ApiError

log = logging.getLogger(__name__)

_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")
STATE_HEADERS = "extra_headers"  # scope["state"] key: headers a dependency wants on the response


class BodyTooLarge(HTTPException):
    """Raised from `receive`; an HTTPException so FastAPI's body reader lets it through as 413."""

    def __init__(self, limit: int) -> None:
        super().__init__(413, f"request body exceeds {limit} bytes")
        self.limit = limit


class RequestContextMiddleware:
    """`limits(scope)` returns the body byte limit for a request (uploads get a larger one)."""

    def __init__(self, app: ASGIApp, limits: Callable[[Scope], int]) -> None:
        self.app = app
        self.limits = limits

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        incoming = headers.get(b"x-request-id", b"").decode("latin-1")
        request_id = incoming if _REQUEST_ID.match(incoming) else f"req_{uuid.uuid4().hex}"
        state = scope.setdefault("state", {})
        state["request_id"] = request_id
        started = False

        async def send_wrapper(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                raw = list(message.get("headers") or [])
                present = {k.lower() for k, _ in raw}
                extra = {"x-request-id": request_id, **(state.get(STATE_HEADERS) or {})}
                for name, value in extra.items():
                    key = name.lower().encode("latin-1")
                    if key not in present:
                        raw.append((key, str(value).encode("latin-1")))
                message = {**message, "headers": raw}
            await send(message)

        limit = self.limits(scope)
        declared = headers.get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > limit:
            await self._error(send_wrapper, _too_large(limit))
            return
        seen = 0

        async def receive_wrapper() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    raise BodyTooLarge(limit)
            return message

        try:
            await self.app(scope, receive_wrapper, send_wrapper)
        except BodyTooLarge as exc:
            if not started:
                await self._error(send_wrapper, _too_large(exc.limit))
        except Exception:
            log.exception("unhandled error", extra={"request_id": request_id, "path": scope.get("path")})
            if not started:
                err = ApiError(500, f"internal error (request {request_id})", code="internal_error")
                await self._error(send_wrapper, err)

    @staticmethod
    async def _error(send: Send, err: ApiError) -> None:
        body = json.dumps(err.body()).encode("utf-8")
        headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
        headers += [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in err.headers.items()]
        await send({"type": "http.response.start", "status": err.status, "headers": headers})
        await send({"type": "http.response.body", "body": body})


def _too_large(limit: int) -> ApiError:
    return ApiError(413, f"request body exceeds {limit} bytes", code="request_too_large")


def set_response_headers(scope_state: Any, headers: dict[str, str]) -> None:
    """Ask the middleware to add headers to whatever response this request ends with."""
    current = scope_state.get(STATE_HEADERS) or {}
    current.update(headers)
    scope_state[STATE_HEADERS] = current
