"""Battle packs over HTTP: build, list, get, Markdown and PDF; visibility by customer."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.copilot.api.apikit import auth
from tools.common import Role


def test_build_get_list_export(client: TestClient, keys: dict[Role, str], kb: object) -> None:
    rep = auth(keys[Role.REP])
    built = client.post(
        "/v1/battle-packs", json={"customer_id": "H-ZJ-001", "product_id": "HMT-DCB-02"}, headers=rep
    )
    assert built.status_code == 201, built.text
    pack = built.json()
    pack_id = pack["meta"]["id"]
    assert pack["customer_id"] == "H-ZJ-001" and len(pack["strategies"]) == 3
    assert client.get(f"/v1/battle-packs/{pack_id}", headers=rep).json()["meta"]["id"] == pack_id
    listed = client.get("/v1/battle-packs", headers=rep).json()["data"]
    assert pack_id in [p["id"] for p in listed]
    md = client.get(f"/v1/battle-packs/{pack_id}/markdown", headers=rep)
    assert md.status_code == 200 and md.headers["content-type"].startswith("text/markdown")
    assert "H-ZJ-001" in md.text or "滨江" in md.text
    pdf = client.get(f"/v1/battle-packs/{pack_id}/pdf", headers=rep)
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    # 李娜's hospitals are not 张伟's: building is refused, reading is 404
    other = client.post(
        "/v1/battle-packs",
        json={"customer_id": "H-GD-001", "product_id": "HMT-BC-03"},
        headers=auth(keys[Role.MANAGER]),
    ).json()
    assert client.get(f"/v1/battle-packs/{other['meta']['id']}", headers=rep).status_code == 404
    assert other["meta"]["id"] not in [
        p["id"] for p in client.get("/v1/battle-packs", headers=rep).json()["data"]
    ]
    refused = client.post(
        "/v1/battle-packs", json={"customer_id": "H-GD-001", "product_id": "HMT-BC-03"}, headers=rep
    )
    assert refused.status_code == 403


def test_unknown_names_are_404_with_suggestions(
    client: TestClient, keys: dict[Role, str], kb: object
) -> None:
    resp = client.post(
        "/v1/battle-packs",
        json={"customer_id": "H-ZJ-001", "product_id": "瑞畅X"},
        headers=auth(keys[Role.MANAGER]),
    )
    assert resp.status_code == 404 and resp.json()["error"]["code"] == "product_not_found"
    assert client.get("/v1/battle-packs/BP-NOPE", headers=auth(keys[Role.MANAGER])).status_code == 404
