"""Knowledge search and document upload (background ingestion with a job and progress)."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.copilot.api.apikit import auth
from tools.common import Role

DOC = """# 瑞畅 经销商培训纪要 RuiChang distributor training notes

## 要点 Key points
瑞畅药物涂层球囊采用西罗莫司涂层，12个月晚期管腔丢失 0.21 mm。
RuiChang DCB uses a sirolimus coating; 12-month late lumen loss 0.21 mm.
"""


def upload(client: TestClient, key: str, name: str, body: bytes, **form: str) -> object:
    return client.post(
        "/v1/knowledge/documents", files={"file": (name, body, "text/markdown")}, data=form, headers=auth(key)
    )


def test_upload_ingests_in_background_then_search_finds_it(
    client: TestClient, keys: dict[Role, str], kb: object
) -> None:
    marketing = keys[Role.MARKETING]
    resp = upload(
        client, marketing, "ruichang-training.md", DOC.encode(), doc_type="playbook", product_ids="HMT-DCB-02"
    )
    assert resp.status_code == 202, resp.text  # type: ignore[attr-defined]
    job = resp.json()  # type: ignore[attr-defined]
    assert job["status"] == "queued" and job["params"]["filename"] == "ruichang-training.md"
    done = client.get(f"/v1/knowledge/jobs/{job['id']}", headers=auth(marketing)).json()
    assert done["status"] == "done", done
    assert done["progress"]["stage"] == "done" and done["progress"]["total"] > 0
    assert done["result"]["counts"] == {"added": 1}
    hits = client.get(
        "/v1/knowledge/search", params={"q": "西罗莫司 晚期管腔丢失", "k": 3}, headers=auth(keys[Role.REP])
    ).json()
    assert hits["data"] and hits["data"][0]["doc_id"] == "ruichang-training"
    assert "ruichang-training" in hits["data"][0]["citation"]
    docs = client.get("/v1/knowledge/documents", headers=auth(keys[Role.REP])).json()["data"]
    assert [d["doc_id"] for d in docs] == ["ruichang-training"]
    # another uploader cannot see the job
    assert (
        client.get(f"/v1/knowledge/jobs/{job['id']}", headers=auth(keys[Role.LEGAL_COMPLIANCE])).status_code
        == 404
    )
    assert client.get(f"/v1/knowledge/jobs/{job['id']}", headers=auth(keys[Role.ADMIN])).status_code == 200


def test_role_restricted_document_is_invisible_to_others(
    client: TestClient, keys: dict[Role, str], kb: object
) -> None:
    legal = keys[Role.LEGAL_COMPLIANCE]
    memo = "# 法务备忘录 Legal memo\n\n合同模板第十二条的灵活性条款需要修订。Clause 12 flexibility must be revised.\n"
    job = upload(
        client, legal, "memo.md", memo.encode(), roles="legal_compliance", doc_type="legal_memo"
    ).json()  # type: ignore[attr-defined]
    assert client.get(f"/v1/knowledge/jobs/{job['id']}", headers=auth(legal)).json()["status"] == "done"
    q = {"q": "合同模板 灵活性条款"}
    assert client.get("/v1/knowledge/search", params=q, headers=auth(legal)).json()["data"]
    assert client.get("/v1/knowledge/search", params=q, headers=auth(keys[Role.REP])).json()["data"] == []


def test_upload_refusals(client: TestClient, keys: dict[Role, str], kb: object) -> None:
    key = keys[Role.MEDICAL_AFFAIRS]
    bad_type = upload(client, key, "tool.exe", b"MZ")
    assert bad_type.status_code == 415  # type: ignore[attr-defined]
    bad_role = upload(client, key, "x.md", b"# x\n\ntext", roles="rep,ceo")
    assert bad_role.status_code == 400  # type: ignore[attr-defined]
    huge = upload(client, key, "big.txt", b"x" * (20 * 1_048_576 + 10))
    assert huge.status_code == 413  # type: ignore[attr-defined]
    unreadable = upload(client, key, "broken.pdf", b"not a pdf at all").json()  # type: ignore[attr-defined]
    failed = client.get(f"/v1/knowledge/jobs/{unreadable['id']}", headers=auth(key)).json()
    assert failed["status"] == "failed" and failed["error"]
