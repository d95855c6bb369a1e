"""Native threads and runs: SSE event stream, history, ownership by key."""

from __future__ import annotations

import json

from fastapi.testclient import TestClient

from tests.copilot.api.apikit import FakeChat, auth
from tools.common import Role


def sse_events(
    client: TestClient, path: str, body: dict[str, object], key: str
) -> list[tuple[str, dict[str, object]]]:
    events: list[tuple[str, dict[str, object]]] = []
    with client.stream("POST", path, json=body, headers=auth(key)) as resp:
        assert resp.status_code == 200, resp.read()
        assert resp.headers["content-type"].startswith("text/event-stream")
        event = "message"
        for line in resp.iter_lines():
            if line.startswith("event: "):
                event = line[7:]
            elif line.startswith("data: "):
                events.append((event, json.loads(line[6:])))
    return events


def test_thread_run_stream_and_history(client: TestClient, keys: dict[Role, str]) -> None:
    key = keys[Role.REP]
    created = client.post("/v1/threads", json={"title": "Binjiang prep"}, headers=auth(key))
    assert created.status_code == 201
    thread = created.json()
    assert thread["object"] == "thread" and thread["role"] == "rep"
    events = sse_events(client, f"/v1/threads/{thread['id']}/runs", {"input": "库存？"}, key)
    kinds = [e for e, _ in events]
    assert kinds[:3] == ["agent_started", "tool_called", "tool_result"]
    assert "token" in kinds and kinds[-1] == "done"
    done = events[-1][1]
    assert done["thread_id"] == thread["id"] and done["answer"].startswith("echo: 库存？ (turn 1")
    second = client.post(
        f"/v1/threads/{thread['id']}/runs", json={"input": "again", "stream": False}, headers=auth(key)
    )
    assert second.status_code == 200 and "(turn 2" in second.json()["answer"]
    history = client.get(f"/v1/threads/{thread['id']}/messages", headers=auth(key)).json()
    assert [m["role"] for m in history["data"]] == ["user", "assistant", "user", "assistant"]
    got = client.get(f"/v1/threads/{thread['id']}", headers=auth(key)).json()
    assert got["title"] == "Binjiang prep"
    listed = client.get("/v1/threads", headers=auth(key)).json()["data"]
    assert [t["id"] for t in listed] == [thread["id"]]


def test_another_key_gets_404(client: TestClient, keys: dict[Role, str], fake_chat: FakeChat) -> None:
    thread = client.post("/v1/threads", json={}, headers=auth(keys[Role.REP])).json()
    for role in (Role.MANAGER, Role.ADMIN):
        other = auth(keys[role])
        for method, path, body in (
            ("GET", f"/v1/threads/{thread['id']}", None),
            ("GET", f"/v1/threads/{thread['id']}/messages", None),
            ("POST", f"/v1/threads/{thread['id']}/runs", {"input": "hi", "stream": False}),
        ):
            resp = client.request(method, path, json=body, headers=other)
            assert resp.status_code == 404, (role, path)
            assert resp.json()["error"]["type"] == "not_found_error"
    assert fake_chat.calls == []
    assert client.get("/v1/threads", headers=auth(keys[Role.MANAGER])).json()["data"] == []


def test_run_error_is_an_sse_error_event(
    client: TestClient, keys: dict[Role, str], fake_chat: FakeChat
) -> None:
    key = keys[Role.MANAGER]
    thread = client.post("/v1/threads", json={}, headers=auth(key)).json()
    fake_chat.fail_with = RuntimeError("boom")
    events = sse_events(client, f"/v1/threads/{thread['id']}/runs", {"input": "hi"}, key)
    assert events[-1][0] == "error"
    assert events[-1][1]["error"]["type"] == "server_error"  # type: ignore[index]
    assert "boom" not in json.dumps(events[-1][1])  # internals stay in the server log


def test_thread_metadata_narrows_every_run(
    client: TestClient, keys: dict[Role, str], fake_chat: FakeChat
) -> None:
    key = keys[Role.INTEGRATION]
    thread = client.post(
        "/v1/threads", json={"metadata": {"role": "rep", "person_id": "P-WQ"}}, headers=auth(key)
    ).json()
    client.post(f"/v1/threads/{thread['id']}/runs", json={"input": "hi", "stream": False}, headers=auth(key))
    acting = fake_chat.calls[-1][1]
    assert (acting.role, acting.person_id) == (Role.REP, "P-WQ")
    assert acting.customer_ids is not None and "H-SD-001" in acting.customer_ids
    refused = client.post("/v1/threads", json={"metadata": {"role": "admin"}}, headers=auth(keys[Role.REP]))
    assert refused.status_code == 403


def test_run_input_limits(client: TestClient, keys: dict[Role, str], fake_chat: FakeChat) -> None:
    key = keys[Role.REP]
    thread = client.post("/v1/threads", json={}, headers=auth(key)).json()
    too_long = client.post(
        f"/v1/threads/{thread['id']}/runs", json={"input": "长" * 20_001}, headers=auth(key)
    )
    assert too_long.status_code == 413 and too_long.json()["error"]["code"] == "input_too_large"
    blank = client.post(f"/v1/threads/{thread['id']}/runs", json={"input": "   "}, headers=auth(key))
    assert blank.status_code == 400
    assert fake_chat.calls == []
