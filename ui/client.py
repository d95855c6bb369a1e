"""HTTP client of the copilot API: the UI's only way to reach the product.

Every failure becomes an `ApiError` with a message a person can act on (API down, slow, key
refused, validation problem), so pages never show a traceback.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx


class ApiError(Exception):
    def __init__(self, message: str, status: int | None = None, code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.code = code

    @property
    def unavailable(self) -> bool:
        return self.status is None or self.status >= 502


@dataclass
class SseEvent:
    event: str
    data: dict[str, Any]


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
        message = resp.text
        code = None
        try:
            err = resp.json().get("error", {})
            message = err.get("message") or message
            code = err.get("code")
        except (ValueError, AttributeError):
            pass
        raise ApiError(message, resp.status_code, code)

    def request(self, method: str, path: str, **kwargs: Any) -> Any:
        try:
            with httpx.Client(base_url=self.base_url, timeout=self.timeout) as client:
                resp = client.request(method, path, headers=self._headers(), **kwargs)
        except httpx.TimeoutException as exc:
            raise ApiError(f"the API did not answer within {self.timeout:.0f} s") from exc
        except httpx.HTTPError as exc:
            raise ApiError(f"cannot reach the API at {self.base_url}: {exc}") from exc
        self._raise_for(resp)
        if resp.headers.get("content-type", "").startswith("application/json"):
            return resp.json()
        return resp.content

    def get(self, path: str, **params: Any) -> Any:
        return self.request("GET", path, params={k: v for k, v in params.items() if v is not None})

    def post(self, path: str, body: dict[str, Any] | None = None) -> Any:
        return self.request("POST", path, json=body or {})

    def stream(self, path: str, body: dict[str, Any]) -> Iterator[SseEvent]:
        """POST and yield server-sent events as they arrive."""
        try:
            with (
                httpx.Client(base_url=self.base_url, timeout=httpx.Timeout(self.timeout, read=120)) as client,
                client.stream("POST", path, json=body, headers=self._headers()) as resp,
            ):
                if not resp.is_success:
                    resp.read()
                    self._raise_for(resp)
                event = "message"
                for line in resp.iter_lines():
                    if line.startswith("event:"):
                        event = line[6:].strip()
                    elif line.startswith("data:"):
                        raw = line[5:].strip()
                        try:
                            data = json.loads(raw) if raw else {}
                        except json.JSONDecodeError:
                            data = {"text": raw}
                        yield SseEvent(event, data if isinstance(data, dict) else {"value": data})
                        event = "message"
        except httpx.TimeoutException as exc:
            raise ApiError("the answer took too long; try again") from exc
        except httpx.HTTPError as exc:
            raise ApiError(f"cannot reach the API at {self.base_url}: {exc}") from exc
