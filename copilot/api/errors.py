"""Every error leaves the API in OpenAI's envelope, so OpenAI clients raise their usual exceptions.

`{"error": {"message", "type", "param", "code"}}` with the matching HTTP status: 400 bad request,
401 authentication, 403 permission, 404 not found, 413 too large, 422 validation (FastAPI's own
422 included), 429 rate limit, 5xx server. Routes raise `ApiError`; the handlers here translate
Starlette's HTTP exceptions and FastAPI's validation errors into the same shape.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from pydantic import ValidationError as PydanticValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException

from tools.common import NotFoundError
from tools.compliance.authoring import RuleNotFoundError
from tools.feedback.models import AnswerConflictError
from tools.workbench.inbox import WorkItemStateError

log = logging.getLogger(__name__)

ERROR_TYPES: dict[int, str] = {
    400: "invalid_request_error",
    401: "authentication_error",
    403: "permission_error",
    404: "not_found_error",
    405: "invalid_request_error",
    409: "conflict_error",
    413: "invalid_request_error",
    415: "invalid_request_error",
    422: "invalid_request_error",
    429: "rate_limit_error",
    500: "server_error",
    503: "service_unavailable",
}


class ErrorBody(BaseModel):
    message: str = Field(examples=["invalid API key"])
    type: str = Field(examples=["authentication_error"])
    param: str | None = Field(default=None, examples=[None])
    code: str | None = Field(default=None, examples=["invalid_api_key"])


class ErrorResponse(BaseModel):
    """OpenAI's error envelope."""

    error: ErrorBody


class ApiError(Exception):
    """An error a route means to return; rendered as the OpenAI envelope."""

    def __init__(
        self,
        status: int,
        message: str,
        *,
        code: str | None = None,
        param: str | None = None,
        type_: str | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.code = code
        self.param = param
        self.type = type_ or ERROR_TYPES.get(
            status, "server_error" if status >= 500 else "invalid_request_error"
        )
        self.headers = dict(headers or {})

    def body(self) -> dict[str, Any]:
        return {"error": {"message": self.message, "type": self.type, "param": self.param, "code": self.code}}


def not_found(what: str, ident: str) -> ApiError:
    return ApiError(404, f"{what} {ident!r} not found", code=f"{what.replace(' ', '_')}_not_found")


def error_response(exc: ApiError) -> JSONResponse:
    return JSONResponse(exc.body(), status_code=exc.status, headers=exc.headers)


def _loc(loc: Sequence[Any]) -> str | None:
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "header", "cookie")]
    return ".".join(parts) or None


def validation_error(errors: Sequence[Any]) -> ApiError:
    first = errors[0] if errors else {}
    param = _loc(first.get("loc", ())) if isinstance(first, dict) else None
    details = "; ".join(
        f"{_loc(e.get('loc', ())) or 'body'}: {e.get('msg', 'invalid')}"
        for e in errors
        if isinstance(e, dict)
    )
    return ApiError(422, details or "invalid request", code="validation_error", param=param)


_HTTP_CODES = {
    401: "invalid_api_key",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    413: "request_too_large",
}


async def _api_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ApiError)
    return error_response(exc)


async def _http_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    err = ApiError(
        exc.status_code, str(exc.detail), code=_HTTP_CODES.get(exc.status_code), headers=exc.headers or {}
    )
    return error_response(err)


async def _validation_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    return error_response(validation_error(exc.errors()))


async def _not_found(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, NotFoundError)
    return error_response(ApiError(404, str(exc), code=f"{exc.kind.replace(' ', '_')}_not_found"))


async def _permission(_request: Request, exc: Exception) -> JSONResponse:
    return error_response(ApiError(403, str(exc) or "forbidden", code="forbidden"))


async def _conflict(_request: Request, exc: Exception) -> JSONResponse:
    return error_response(ApiError(409, str(exc), code="conflict"))


async def _bad_value(_request: Request, exc: Exception) -> JSONResponse:
    """Services raise ValueError for input they cannot act on; a pydantic failure inside the
    server is a bug, not the caller's fault, so it goes on to become a 500."""
    if isinstance(exc, PydanticValidationError):
        raise exc
    return error_response(ApiError(400, str(exc), code="invalid_value"))


# Domain errors that mean "the state does not allow it" (409) rather than "bad input" (400).
CONFLICT_ERRORS: tuple[type[Exception], ...] = (AnswerConflictError, WorkItemStateError)


async def _rule_not_found(_request: Request, exc: Exception) -> JSONResponse:
    return error_response(ApiError(404, str(exc).strip("'\""), code="rule_not_found"))


def install(app: FastAPI) -> None:
    app.add_exception_handler(ApiError, _api_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(NotFoundError, _not_found)
    app.add_exception_handler(PermissionError, _permission)
    app.add_exception_handler(RuleNotFoundError, _rule_not_found)
    for cls in CONFLICT_ERRORS:
        app.add_exception_handler(cls, _conflict)
    app.add_exception_handler(ValueError, _bad_value)


def _doc(description: str, example: dict[str, Any]) -> dict[str, Any]:
    return {
        "model": ErrorResponse,
        "description": description,
        "content": {"application/json": {"example": example}},
    }


def _ex(message: str, type_: str, code: str | None, param: str | None = None) -> dict[str, Any]:
    return {"error": {"message": message, "type": type_, "param": param, "code": code}}


CONFLICT: dict[int | str, dict[str, Any]] = {
    409: _doc(
        "The record's state does not allow it.",
        _ex("work item 7 is already closed", "conflict_error", "conflict"),
    )
}
NOT_FOUND: dict[int | str, dict[str, Any]] = {
    404: _doc(
        "Unknown or not visible to this key.",
        _ex("thread 'x' not found", "not_found_error", "thread_not_found"),
    )
}
BAD_REQUEST: dict[int | str, dict[str, Any]] = {
    400: _doc(
        "The request cannot be served as asked.",
        _ex("last message must come from the user", "invalid_request_error", "invalid_messages"),
    )
}
# Documented on every authenticated route (OpenAPI `responses`): any of them may name an
# unknown entity (404) or ask for something the service cannot do (400).
AUTH_ERRORS: dict[int | str, dict[str, Any]] = {
    **BAD_REQUEST,
    **NOT_FOUND,
    401: _doc(
        "Missing, unknown, revoked or expired key.",
        _ex("invalid API key", "authentication_error", "invalid_api_key"),
    ),
    403: _doc(
        "The key's role may not use this route.",
        _ex("role 'rep' may not use this route", "permission_error", "forbidden"),
    ),
    413: _doc(
        "Request body or input too large.",
        _ex("request body exceeds 1048576 bytes", "invalid_request_error", "request_too_large"),
    ),
    422: _doc(
        "Invalid request.",
        _ex("messages: Field required", "invalid_request_error", "validation_error", "messages"),
    ),
    429: _doc(
        "Rate limit exceeded; see `retry-after`.",
        _ex("rate limit exceeded", "rate_limit_error", "rate_limit_exceeded"),
    ),
}
