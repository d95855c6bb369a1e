"""OpenAI error envelope on every error status, request ids, body limits."""

from __future__ import annotations

from collections.abc import Iterator

from fastapi.testclient import TestClient

from tests.copilot.api.apikit import FakeChat, auth
from tools.common import Role

ENVELOPE_KEYS = {"message", "type", "param", "code"}


def envelope(resp: object) -> dict[str, object]:
    body = resp.json()  # type: ignore[attr-defined]
    assert set(body) == {"error"} and set(body["error"]) == ENVELOPE_KEYS, body
    assert resp.headers["x-request-id"]  # type: ignore[attr-defined]
    return body["error"]  # type: ignore[no-any-return]


def test_unknown_route_and_method(client: TestClient) -> None:
    assert envelope(client.get("/v1/nope"))["type"] == "not_found_error"
    resp = client.delete("/healthz")
    assert resp.status_code == 405 and envelope(resp)["code"] == "method_not_allowed"


def test_validation_errors_use_the_envelope(client: TestClient, keys: dict[Role, str]) -> None:
    resp = client.post("/v1/chat/completions", json={"model": "m"}, headers=auth(keys[Role.REP]))
    assert resp.status_code == 422
    err = envelope(resp)
    assert err["type"] == "invalid_request_error" and err["param"] == "messages"
    bad_json = client.post(
        "/v1/chat/completions",
        content=b"{not json",
        headers={**auth(keys[Role.REP]), "content-type": "application/json"},
    )
    assert bad_json.status_code == 422 and envelope(bad_json)["code"] == "validation_error"


def test_auth_errors(client: TestClient) -> None:
    resp = client.get("/v1/models")
    assert resp.status_code == 401 and resp.headers["www-authenticate"] == "Bearer"
    assert envelope(resp)["code"] == "invalid_api_key"
    assert client.get("/v1/models", headers={"Authorization": "Basic abc"}).status_code == 401


def test_request_id_is_echoed_or_made(client: TestClient) -> None:
    assert client.get("/healthz", headers={"x-request-id": "crm-42"}).headers["x-request-id"] == "crm-42"
    made = client.get("/healthz", headers={"x-request-id": "bad id with spaces"}).headers["x-request-id"]
    assert made.startswith("req_")


def test_body_limit_by_length_and_by_stream(
    client: TestClient, keys: dict[Role, str], fake_chat: FakeChat
) -> None:
    big = b'{"model":"m","messages":[{"role":"user","content":"' + b"x" * 1_100_000 + b'"}]}'
    headers = {**auth(keys[Role.REP]), "content-type": "application/json"}
    resp = client.post("/v1/chat/completions", content=big, headers=headers)
    assert resp.status_code == 413 and envelope(resp)["code"] == "request_too_large"

    def chunks() -> Iterator[bytes]:  # no content-length: counted as it arrives
        for i in range(0, len(big), 65536):
            yield big[i : i + 65536]

    resp = client.post("/v1/chat/completions", content=chunks(), headers=headers)
    assert resp.status_code == 413 and envelope(resp)["code"] == "request_too_large"
    assert fake_chat.calls == []


def test_unhandled_error_is_a_500_envelope(
    client: TestClient, keys: dict[Role, str], fake_chat: FakeChat
) -> None:
    fake_chat.fail_with = RuntimeError("secret internals")
    resp = client.post(
        "/v1/chat/completions",
        json={"model": "m", "messages": [{"role": "user", "content": "hi"}]},
        headers=auth(keys[Role.REP]),
    )
    assert resp.status_code == 500
    err = envelope(resp)
    assert err["type"] == "server_error" and "secret" not in str(err["message"])
    assert resp.headers["x-request-id"] in str(err["message"])


def test_unknown_query_parameters_are_refused(client: TestClient, keys: dict[Role, str]) -> None:
    ok = client.get(
        "/v1/workbench/items", params={"status": "open"}, headers=auth(keys[Role.LEGAL_COMPLIANCE])
    )
    assert ok.status_code == 200
    typo = client.get(
        "/v1/workbench/items", params={"stauts": "open"}, headers=auth(keys[Role.LEGAL_COMPLIANCE])
    )
    assert typo.status_code == 400
    err = envelope(typo)
    assert err["code"] == "unknown_parameter" and err["param"] == "stauts" and "status" in str(err["message"])
