"""Opening a cited chunk: its text for a role that may read it, 404 for one that may not."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.copilot.api.apikit import auth
from tools.common import Role

MEMO = "# 法务备忘录 Legal memo\n\n## 条款 Clause\n合同模板第十二条的灵活性条款需要修订。Clause 12 must be revised.\n"


def test_cited_chunk_opens_only_for_readers(client: TestClient, keys: dict[Role, str], kb: object) -> None:
    legal = keys[Role.LEGAL_COMPLIANCE]
    files = {"file": ("memo.md", MEMO.encode(), "text/markdown")}
    job = client.post(
        "/v1/knowledge/documents", files=files, data={"roles": "legal_compliance"}, headers=auth(legal)
    ).json()
    assert client.get(f"/v1/knowledge/jobs/{job['id']}", headers=auth(legal)).json()["status"] == "done"
    found = client.get("/v1/knowledge/search", params={"q": "合同模板 灵活性"}, headers=auth(legal)).json()
    hit = found["data"][0]

    opened = client.get(f"/v1/knowledge/chunks/{hit['chunk_id']}", headers=auth(legal))
    assert opened.status_code == 200, opened.text
    body = opened.json()
    assert body["doc_id"] == hit["doc_id"] and "第十二条" in body["text"] and body["citation"]
    assert "tokens" not in body["metadata"]

    hidden = client.get(f"/v1/knowledge/chunks/{hit['chunk_id']}", headers=auth(keys[Role.REP]))
    assert hidden.status_code == 404 and hidden.json()["error"]["code"] == "chunk_not_found"
    missing = client.get("/v1/knowledge/chunks/no-such-chunk", headers=auth(legal))
    assert missing.status_code == 404
    assert client.get(f"/v1/knowledge/chunks/{hit['chunk_id']}").status_code == 401
