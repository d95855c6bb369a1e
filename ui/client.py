"""HTTP client of the copilot API: the UI's only way to reach the product.

Every failure becomes an `ApiError` whose `kind` says what a person can do about it (the API is
down, it is slow, the key was refused, the role may not, the request was wrong), so pages show
a message and a retry, never a traceback. Messages from the API (OpenAI's error envelope) are
passed through as they are: they are written for people.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, Literal

import httpx

ErrorKind = Literal["down", "timeout", "auth", "forbidden", "not_found", "invalid", "server"]


class ApiError(Exception):
    def __init__(
        self, message: str, status: int | None = None, code: str | None = None, kind: ErrorKind = "server"
    ) -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.code = code
        self.kind: ErrorKind = kind

    @property
    def unavailable(self) -> bool:
        """Worth retrying as is: the API is down, slow or failing, not refusing this request."""
        return self.kind in ("down", "timeout", "server")


def _kind(status: int) -> ErrorKind:
    if status == 401:
        return "auth"
    if status == 403:
        return "forbidden"
    if status == 404:
        return "not_found"
    if status < 500 and status != 429:
        return "invalid"
    return "server"


def error_from(status: int, payload: Any, fallback: str) -> ApiError:
    """An ApiError from a status and an OpenAI error envelope (or anything else)."""
    message, code = fallback, None
    if isinstance(payload, dict):
        err = payload.get("error", payload)
        if isinstance(err, dict):
            message = str(err.get("message") or fallback)
            code = err.get("code")
    return ApiError(message, status, code, _kind(status))


@dataclass
class SseEvent:
    event: str
    data: dict[str, Any]


def _event(event: str, data: list[str]) -> SseEvent:
    raw = "\n".join(data)
    try:
        value = json.loads(raw)
    except json.JSONDecodeError:
        value = {"text": raw}
    return SseEvent(event, value if isinstance(value, dict) else {"value": value})


def parse_sse(lines: Iterator[str]) -> Iterator[SseEvent]:
    """Server-sent events from text lines: `event:` and `data:` fields, dispatched on a blank line."""
    event = "message"
    data: list[str] = []
    for line in lines:
        if not line:
            if data:
                yield _event(event, data)
            event, data = "message", []
        elif line.startswith(":"):
            continue  # keep-alive comment
        elif line.startswith("event:"):
            event = line[6:].strip()
        elif line.startswith("data:"):
            data.append(line[5:].removeprefix(" "))
    if data:
        yield _event(event, data)


class ApiClient:
    def __init__(self, base_url: str, key: str | None, timeout: float = 30.0) -> None:
        self.base_url = base_url.rstrip("/")
        self.key = key
        self.timeout = timeout

    def _headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.key}"} if self.key else {}

    def _raise_for(self, resp: httpx.Response) -> None:
        if resp.is_success:
            return
        try:
            payload = resp.json()
        except ValueError:
            payload = None
        raise error_from(resp.status_code, payload, resp.text[:300] or resp.reason_phrase)

    def _call(self, send: Callable[[], Any]) -> Any:
        try:
            return send()
        except httpx.TimeoutException as exc:
            raise ApiError(f"{self.base_url}: no answer within {self.timeout:.0f} s", kind="timeout") from exc
        except httpx.HTTPError as exc:
            raise ApiError(f"{self.base_url}: {exc}", kind="down") from exc

    def request(self, method: str, path: str, **kwargs: Any) -> Any:
        def send() -> httpx.Response:
            with httpx.Client(base_url=self.base_url, timeout=self.timeout) as client:
                return client.request(method, path, headers=self._headers(), **kwargs)

        resp: httpx.Response = self._call(send)
        self._raise_for(resp)
        ctype = resp.headers.get("content-type", "")
        if ctype.startswith("application/json"):
            return resp.json()
        if ctype.startswith("text/"):
            return resp.text
        return resp.content

    def get(self, path: str, **params: Any) -> Any:
        return self.request("GET", path, params={k: v for k, v in params.items() if v is not None})

    def post(self, path: str, body: dict[str, Any] | None = None) -> Any:
        return self.request("POST", path, json=body or {})

    def put(self, path: str, body: dict[str, Any]) -> Any:
        return self.request("PUT", path, json=body)

    def stream(self, path: str, body: dict[str, Any], read_timeout: float = 180.0) -> Iterator[SseEvent]:
        """POST and yield server-sent events as they arrive (a turn may think for a while)."""
        timeout = httpx.Timeout(self.timeout, read=read_timeout)
        try:
            with (
                httpx.Client(base_url=self.base_url, timeout=timeout) as client,
                client.stream("POST", path, json=body, headers=self._headers()) as resp,
            ):
                if not resp.is_success:
                    resp.read()
                    self._raise_for(resp)
                yield from parse_sse(resp.iter_lines())
        except httpx.TimeoutException as exc:
            raise ApiError(f"{self.base_url}: no answer within {read_timeout:.0f} s", kind="timeout") from exc
        except httpx.HTTPError as exc:
            raise ApiError(f"{self.base_url}: {exc}", kind="down") from exc
