"""The manager's numbers over HTTP."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.copilot.api.apikit import auth
from tools.common import Role


def test_metrics_breakdown_trend(client: TestClient, keys: dict[Role, str]) -> None:
    manager = auth(keys[Role.MANAGER])
    q3 = client.get("/v1/metrics", params={"period": "2026-Q3"}, headers=manager)
    assert q3.status_code == 200, q3.text
    body = q3.json()
    assert body["period"]["label"] == "2026-Q3" and body["visits"] > 0
    same = client.get(
        "/v1/metrics", params={"start": "2026-07-01", "end": "2026-09-30"}, headers=manager
    ).json()
    assert same["visits"] == body["visits"]
    by_region = client.get(
        "/v1/metrics/breakdown", params={"by": "region", "period": "上季度"}, headers=manager
    ).json()
    assert by_region["period"]["label"] == "2026-Q3" and {r["key"] for r in by_region["data"]} >= {
        "GD",
        "SD",
        "ZJ",
    }
    trend = client.get("/v1/metrics/trend", headers=manager).json()
    assert [p["period"] for p in trend["data"]][:2] == ["2026-01", "2026-02"]
    assert client.get("/v1/metrics", params={"period": "someday"}, headers=manager).status_code == 400
    assert client.get("/v1/metrics", params={"start": "2026-07-01"}, headers=manager).status_code == 400
