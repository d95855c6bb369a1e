"""Stock by warehouse (what the battle-pack page charts): SCENARIO figures, filters, unknown ids."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.copilot.api.apikit import auth
from tools.common import Role


def test_stock_by_warehouse_for_a_product(client: TestClient, keys: dict[Role, str]) -> None:
    resp = client.get("/v1/stock", params={"product_id": "HMT-DCB-02"}, headers=auth(keys[Role.REP]))
    assert resp.status_code == 200, resp.text
    levels = {row["warehouse_id"]: row for row in resp.json()["levels"]}
    assert {k: (v["on_hand"], v["on_order"]) for k, v in levels.items()} == {
        "WH-GZ": (420, 0),
        "WH-HZ": (35, 600),
        "WH-JN": (260, 0),
    }
    assert levels["WH-HZ"]["below_safety"] and levels["WH-HZ"]["shortfall"] == 65
    assert not levels["WH-GZ"]["below_safety"]
    assert any(s["ref"] == "stock" and s["id"] == "WH-HZ/HMT-DCB-02" for s in resp.json()["sources"])


def test_stock_for_a_province_is_its_warehouse(client: TestClient, keys: dict[Role, str]) -> None:
    body = client.get("/v1/stock", params={"province": "浙江"}, headers=auth(keys[Role.MANAGER])).json()
    assert body["warehouse_id"] == "WH-HZ" and {r["warehouse_id"] for r in body["levels"]} == {"WH-HZ"}
    assert len(body["levels"]) >= 6


def test_stock_refusals(client: TestClient, keys: dict[Role, str]) -> None:
    assert client.get("/v1/stock").status_code == 401
    unknown = client.get("/v1/stock", params={"product_id": "NOPE"}, headers=auth(keys[Role.REP]))
    assert unknown.status_code in (400, 404)
    assert unknown.json()["error"]["message"]
