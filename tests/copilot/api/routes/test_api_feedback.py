"""Visits with their 3 questions, workbench items, recommendation judgements, directory."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.copilot.api.apikit import auth
from tools.common import Role

VISIT = {
    "customer_id": "H-ZJ-001",
    "product_id": "HMT-DCB-02",
    "visit_date": "2026-11-30",
    "people_met": ["心内科 王主任"],
    "note": "主任关心瑞畅的供货",
}


def test_visit_then_three_answers_routes_work(client: TestClient, keys: dict[Role, str]) -> None:
    rep = auth(keys[Role.REP])
    created = client.post("/v1/visits", json=VISIT, headers=rep)
    assert created.status_code == 201, created.json()
    visit = created.json()
    assert visit["id"] == visit["visit_id"] and visit["rep_id"] == "P-ZW"
    assert len(visit["questions"]) == 3
    again = client.post("/v1/visits", json=VISIT, headers=rep).json()
    assert again["id"] == visit["id"] and again["created"] is False
    answers = [{"question_id": q["id"], "option_id": q["options"][0]["id"]} for q in visit["questions"]]
    receipt = client.post(f"/v1/visits/{visit['id']}/feedback", json={"answers": answers}, headers=rep)
    assert receipt.status_code == 200, receipt.json()
    assert [a["question_id"] for a in receipt.json()["answers"]] == [a["question_id"] for a in answers]
    # resending is harmless, answering differently is a conflict
    assert (
        client.post(f"/v1/visits/{visit['id']}/feedback", json={"answers": answers}, headers=rep).status_code
        == 200
    )
    q0 = visit["questions"][0]
    changed = [{"question_id": q0["id"], "option_id": q0["options"][1]["id"]}]
    conflict = client.post(f"/v1/visits/{visit['id']}/feedback", json={"answers": changed}, headers=rep)
    assert conflict.status_code == 409 and conflict.json()["error"]["type"] == "conflict_error"
    bad = client.post(
        f"/v1/visits/{visit['id']}/feedback",
        json={"answers": [{"question_id": "Q-NOPE", "option_id": "x"}]},
        headers=rep,
    )
    assert bad.status_code == 400
    assert client.get(f"/v1/visits/{visit['id']}", headers=auth(keys[Role.MANAGER])).status_code == 200


def test_rep_cannot_record_or_see_other_reps_visits(client: TestClient, keys: dict[Role, str]) -> None:
    rep = auth(keys[Role.REP])
    refused = client.post("/v1/visits", json={**VISIT, "customer_id": "H-GD-001"}, headers=rep)
    assert refused.status_code == 403
    other = client.post(
        "/v1/visits", json={**VISIT, "customer_id": "H-GD-001"}, headers=auth(keys[Role.INTEGRATION])
    ).json()
    assert other["rep_id"] == "P-LN"
    assert client.get(f"/v1/visits/{other['id']}", headers=rep).status_code == 404
    assert client.get("/v1/visits/V-NOPE", headers=rep).status_code == 404
    unknown = client.post("/v1/visits", json={**VISIT, "customer_id": "H-XX-999"}, headers=rep)
    assert unknown.status_code == 404 and unknown.json()["error"]["code"] == "customer_not_found"


def test_workbench_list_ack_close(client: TestClient, keys: dict[Role, str]) -> None:
    legal = auth(keys[Role.LEGAL_COMPLIANCE])
    listed = client.get("/v1/workbench/items", params={"status": "open"}, headers=legal).json()
    assert listed["data"] and {i["workbench"] for i in listed["data"]} == {"legal_compliance"}
    item = listed["data"][0]
    acked = client.post(f"/v1/workbench/items/{item['id']}/ack", headers=legal).json()
    assert acked["status"] == "acknowledged" and acked["acknowledged_by"] == "P-SL"
    closed = client.post(
        f"/v1/workbench/items/{item['id']}/close", json={"note": "模板已修订"}, headers=legal
    )
    assert closed.status_code == 200 and closed.json()["status"] == "closed"
    again = client.post(f"/v1/workbench/items/{item['id']}/close", json={"note": "另一个说法"}, headers=legal)
    assert again.status_code == 409
    # another team may read nothing of legal's bench and work none of its items
    marketing = auth(keys[Role.MARKETING])
    assert (
        client.get(
            "/v1/workbench/items", params={"workbench": "legal_compliance"}, headers=marketing
        ).status_code
        == 403
    )
    assert client.post(f"/v1/workbench/items/{item['id']}/ack", headers=marketing).status_code == 403
    assert client.get("/v1/workbench/items/999999", headers=legal).status_code == 404
    manager = client.get(
        "/v1/workbench/items", params={"kind": "escalation"}, headers=auth(keys[Role.MANAGER])
    ).json()
    assert manager["data"] and {i["kind"] for i in manager["data"]} == {"escalation"}
    assert len(manager["counts"]) == 5


def test_judgements(client: TestClient, keys: dict[Role, str]) -> None:
    rep = auth(keys[Role.REP])
    body = {
        "kind": "next_step",
        "source_type": "chat",
        "source_id": "thr_x:3",
        "text": "约王主任演示 12 个月数据",
        "judgement": "invalid",
        "reason": "王主任已退休",
    }
    judged = client.post("/v1/recommendations/judgements", json=body, headers=rep)
    assert judged.status_code == 200, judged.json()
    rec = judged.json()
    assert rec["judgement"] == "invalid" and rec["rep_id"] == "P-ZW"
    queue = client.get("/v1/recommendations", params={"judgement": "invalid"}, headers=rep).json()["data"]
    assert rec["id"] in [r["id"] for r in queue]
    no_reason = client.post(
        "/v1/recommendations/judgements",
        json={"recommendation_id": rec["id"], "judgement": "invalid"},
        headers=rep,
    )
    assert no_reason.status_code == 400
    missing = client.post(
        "/v1/recommendations/judgements",
        json={"recommendation_id": "REC-x", "judgement": "adopted"},
        headers=rep,
    )
    assert missing.status_code == 404
    assert (
        client.post("/v1/recommendations/judgements", json={"judgement": "adopted"}, headers=rep).status_code
        == 422
    )


def test_directory(client: TestClient, keys: dict[Role, str]) -> None:
    me = client.get("/v1/me", headers=auth(keys[Role.REP])).json()
    assert me["role"] == "rep" and me["person_name"] == "张伟" and "H-ZJ-001" in me["customer_ids"]
    mine = {c["id"] for c in client.get("/v1/customers", headers=auth(keys[Role.REP])).json()["data"]}
    assert mine == set(me["customer_ids"])
    every = {c["id"] for c in client.get("/v1/customers", headers=auth(keys[Role.MANAGER])).json()["data"]}
    assert mine < every and "H-GD-001" in every
    products = client.get("/v1/products", headers=auth(keys[Role.REP])).json()["data"]
    assert {"HMT-DCB-02", "HMT-IVUS-05"} <= {p["id"] for p in products}
