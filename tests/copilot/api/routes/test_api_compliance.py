"""Compliance over HTTP: contract checks, the rule lifecycle, alerts, heat map."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.copilot.api.apikit import auth
from tools.common import Role

CONTRACT = {
    "contract_id": "C-API-0311",
    "customer_id": "H-GD-001",
    "signed_on": "2026-03-11",
    "total_amount": 1000000,
    "lines": [{"product_id": "HMT-BC-03", "quantity": 800, "unit_price": 1150}],
    "gifts": [{"name": "临床培训模型", "value": 40000}],
    "attachments": [{"kind": "compliance_declaration"}],
}


def test_check_contract(client: TestClient, keys: dict[Role, str]) -> None:
    rep = auth(keys[Role.REP])
    flagged = client.post("/v1/compliance/check", json=CONTRACT, headers=rep)
    assert flagged.status_code == 200, flagged.text
    report = flagged.json()
    assert report["passed"] is False
    assert "gift_ratio_exceeded" in [f["code"] for f in report["findings"]]
    clean = {**CONTRACT, "gifts": [{"name": "临床培训模型", "value": 15000}]}
    assert client.post("/v1/compliance/check", json=clean, headers=rep).json()["passed"] is True
    unknown = {**CONTRACT, "lines": [{"product_id": "HMT-NOPE", "quantity": 1, "unit_price": 1}]}
    bad = client.post("/v1/compliance/check", json=unknown, headers=rep)
    assert bad.status_code == 400 and "HMT-NOPE" in bad.json()["error"]["message"]
    assert client.post("/v1/compliance/check", json={"contract_id": "x"}, headers=rep).status_code == 422


def test_rule_lifecycle(client: TestClient, keys: dict[Role, str]) -> None:
    legal = auth(keys[Role.LEGAL_COMPLIANCE])
    rules = client.get("/v1/compliance/rules", headers=legal).json()["data"]
    assert "GIFT-RATIO" in {r["id"] for r in rules}
    doc = client.get("/v1/compliance/rules/GIFT-RATIO", headers=legal).json()
    assert doc["params"]["max_ratio"] == 0.03
    edited = client.put(
        "/v1/compliance/rules/GIFT-RATIO", json={"body": {"params": {"max_ratio": 0.05}}}, headers=legal
    )
    assert edited.status_code == 200, edited.text
    draft = edited.json()
    assert draft["status"] == "draft" and draft["version"] == doc["version"] + 1
    examples = client.post(
        f"/v1/compliance/rules/GIFT-RATIO/examples?version={draft['version']}", headers=legal
    ).json()
    assert examples["ok"] is False  # the 4% example no longer flags at a 5% cap
    sim = client.post("/v1/compliance/rules/GIFT-RATIO/simulate", json={"days": 365}, headers=legal)
    assert sim.status_code == 200 and sim.json()["days"] == 365
    refused = client.post(
        "/v1/compliance/rules/GIFT-RATIO/activate", json={"version": draft["version"]}, headers=legal
    )
    assert refused.status_code == 400 and "examples failed" in refused.json()["error"]["message"]
    history = client.get("/v1/compliance/rules/GIFT-RATIO/history", headers=legal).json()["data"]
    assert history[-1]["action"] == "edit"
    retired = client.post("/v1/compliance/rules/GIFT-DECLARATION/retire", headers=legal)
    assert retired.status_code == 200 and retired.json()["status"] == "retired"
    assert client.post("/v1/compliance/rules/GIFT-DECLARATION/retire", headers=legal).status_code == 400
    assert client.get("/v1/compliance/rules/NOPE-RULE", headers=legal).status_code == 404
    new = {**doc, "id": "GIFT-RATIO-STRICT", "code": "gift_ratio_strict"}
    created = client.post("/v1/compliance/rules", json=new, headers=legal)
    assert created.status_code == 201 and created.json()["status"] == "draft"
    assert client.post("/v1/compliance/rules", json=new, headers=legal).status_code == 400
    activated = client.post("/v1/compliance/rules/GIFT-RATIO-STRICT/activate", headers=legal)
    assert activated.status_code == 200 and activated.json()["status"] == "active"


def test_alerts_and_heatmap(client: TestClient, keys: dict[Role, str]) -> None:
    legal = auth(keys[Role.LEGAL_COMPLIANCE])
    scan = client.post("/v1/compliance/scan", headers=legal)
    assert scan.status_code == 200 and scan.json()["contracts_checked"] > 0
    alerts = client.get("/v1/compliance/alerts", headers=legal).json()["data"]
    assert alerts and {"code", "province", "risk"} <= set(alerts[0])
    heat = client.get("/v1/compliance/heatmap", headers=auth(keys[Role.MANAGER])).json()
    assert heat["cells"] and "GD" in heat["provinces"]
