"""`copilot compliance ...` and `copilot audit ...` against a private demo store."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from sqlalchemy import create_engine, text
from typer.testing import CliRunner

from copilot.cli import common
from copilot.cli.main import app
from knowledge.store.db import SessionFactory


@pytest.fixture
def db(demo_factory: SessionFactory, tmp_path: Path) -> Path:
    return tmp_path / "demo.db"


@pytest.fixture
def cli(db: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[CliRunner]:
    monkeypatch.setenv("COPILOT_DATABASE_URL", f"sqlite:///{db}")
    monkeypatch.setenv("COPILOT_LOG_LEVEL", "WARNING")
    common.settings.cache_clear()
    common.runtime.cache_clear()
    yield CliRunner()
    common.runtime().close()
    common.settings.cache_clear()
    common.runtime.cache_clear()


def run(cli: CliRunner, *args: str, code: int = 0) -> str:
    result = cli.invoke(app, list(args))
    assert result.exit_code == code, result.output
    return result.output


def _contract(tmp_path: Path, **over: object) -> Path:
    payload = {
        "contract_id": "C-CLI-1",
        "customer_id": "H-GD-001",
        "signed_on": "2026-06-01",
        "total_amount": 1000000,
        "currency": "CNY",
        "lines": [{"product_id": "HMT-BC-03", "quantity": 100, "unit_price": 1150}],
        "gifts": [{"name": "Clinical Training Model", "value": 40000}],
        "attachments": [{"kind": "compliance_declaration"}],
    } | over
    path = tmp_path / "contract.json"
    path.write_text(json.dumps(payload, ensure_ascii=False), encoding="utf-8")
    return path


def test_check_json_and_human(cli: CliRunner, tmp_path: Path) -> None:
    out = json.loads(run(cli, "compliance", "check", str(_contract(tmp_path)), "--json"))
    assert out["passed"] is False
    (finding,) = out["findings"]
    assert finding["code"] == "gift_ratio_exceeded" and finding["rule_id"] == "GIFT-RATIO"
    assert finding["risk"] == "high" and finding["legal_basis"]["article"].startswith("第七条")
    human = run(cli, "compliance", "check", str(_contract(tmp_path, gifts=[])))
    assert "PASSED" in human


def test_malformed_contract_exits_non_zero_and_stores_nothing(
    cli: CliRunner, tmp_path: Path, db: Path
) -> None:
    before = _audit_count(db)
    bad = _contract(tmp_path, customer_id="H-NOPE", total_amount=-1, lines=[{"product_id": "HMT-BC-03"}])
    result = cli.invoke(app, ["compliance", "check", str(bad), "--json"])
    assert result.exit_code == 2
    problems = {p["field"] for p in json.loads(result.output)["problems"]}
    assert {"customer_id", "total_amount", "lines[0].quantity", "lines[0].unit_price"} <= problems
    (tmp_path / "broken.json").write_text("{not json", encoding="utf-8")
    assert cli.invoke(app, ["compliance", "check", str(tmp_path / "broken.json")]).exit_code == 2
    assert _audit_count(db) == before


def test_scan_alerts_heatmap(cli: CliRunner) -> None:
    scan = json.loads(run(cli, "compliance", "scan", "--json"))
    found = {(f["code"], f["subject_id"]) for f in scan["findings"]}
    assert ("gift_ratio_exceeded", "C-2026-0311") in found and (
        "prepayment_quarter_end_cluster",
        "GD-2026-Q3",
    ) in found
    assert not any(subject == "C-2026-0501" for _, subject in found)
    assert scan["alerts_raised"] == 6
    assert json.loads(run(cli, "compliance", "scan", "--json"))["alerts_raised"] == 0
    alerts = json.loads(run(cli, "compliance", "alerts", "--json"))
    assert len(alerts) == 6 and {a["status"] for a in alerts} == {"open"}
    heat = json.loads(run(cli, "compliance", "heatmap", "--json"))
    assert sum(c["count"] for c in heat["cells"]) == 6 and "GD" in heat["provinces"]
    assert "compliance alerts" in run(cli, "compliance", "alerts")


def test_rules_authoring_commands(cli: CliRunner, tmp_path: Path) -> None:
    listed = json.loads(run(cli, "compliance", "rules", "list", "--json"))
    assert {r["id"] for r in listed} >= {"GIFT-RATIO", "PRICE-VBP-CAP", "REBATE-CROSS-YEAR", "ANS-PII-PHONE"}
    draft = json.loads(
        run(
            cli,
            "compliance",
            "rules",
            "edit",
            "GIFT-RATIO",
            "--set",
            "params.max_ratio=0.02",
            "--actor",
            "P-SL",
            "--json",
        )
    )
    assert (draft["version"], draft["status"]) == (2, "draft")
    sim = json.loads(run(cli, "compliance", "rules", "simulate", "GIFT-RATIO", "--days", "365", "--json"))
    assert sim["flagged"] >= 1 and "would flag" in sim["summary"]["en"]
    run(cli, "compliance", "rules", "examples", "GIFT-RATIO", code=1)  # the exactly-3% example now flags
    run(cli, "compliance", "rules", "activate", "GIFT-RATIO", "--actor", "P-SL", code=2)
    shown = json.loads(run(cli, "compliance", "rules", "show", "GIFT-RATIO", "--json"))
    assert shown["rule"]["params"]["max_ratio"] == 0.02 and shown["history"][-1]["action"] == "edit"
    rule = shown["rule"] | {"id": "GIFT-RATIO-STRICT", "code": "gift_ratio_strict"}
    rule["examples"]["pass"] = [e for e in rule["examples"]["pass"] if "exactly" not in e["name"]]
    path = tmp_path / "rule.yaml"
    path.write_text(yaml.safe_dump(rule, allow_unicode=True), encoding="utf-8")
    run(cli, "compliance", "rules", "create", str(path), "--actor", "P-SL")
    run(cli, "compliance", "rules", "activate", "GIFT-RATIO-STRICT", "--actor", "P-SL")
    out = json.loads(
        run(
            cli,
            "compliance",
            "check",
            str(_contract(tmp_path, gifts=[{"name": "G-02", "value": 25000}])),
            "--json",
        )
    )
    assert [f["code"] for f in out["findings"]] == ["gift_ratio_strict"]
    run(cli, "compliance", "rules", "retire", "GIFT-RATIO-STRICT", "--actor", "P-SL")
    history = json.loads(run(cli, "compliance", "rules", "history", "GIFT-RATIO-STRICT", "--json"))
    assert [h["action"] for h in history] == ["create", "activate", "retire"]


def _audit_count(db: Path) -> int:
    engine = create_engine(f"sqlite:///{db}")
    with engine.connect() as conn:
        n = int(conn.execute(text("SELECT COUNT(*) FROM audit_log")).scalar_one())
    engine.dispose()
    return n


def _tamper(db: Path, sql: str) -> None:
    engine = create_engine(f"sqlite:///{db}")
    with engine.begin() as conn:
        conn.execute(text(sql))
    engine.dispose()


def test_audit_verify_detects_altered_and_deleted_entries(cli: CliRunner, db: Path) -> None:
    run(cli, "compliance", "scan")
    ok = json.loads(run(cli, "audit", "verify", "--json"))
    assert ok["ok"] and ok["entries"] > 10
    seq = ok["entries"] // 2
    _tamper(db, f"UPDATE audit_log SET payload = '{{\"forged\": true}}' WHERE seq = {seq}")
    bad = json.loads(run(cli, "audit", "verify", "--json", code=1))
    assert bad == {
        "ok": False,
        "entries": seq,
        "first_bad_seq": seq,
        "reason": "content altered: hash does not match",
    }
    assert "broken" in run(cli, "audit", "verify", code=1)


def test_audit_verify_detects_a_deleted_entry(cli: CliRunner, db: Path) -> None:
    run(cli, "compliance", "scan")
    _tamper(db, "DELETE FROM audit_log WHERE seq = 3")
    bad = json.loads(run(cli, "audit", "verify", "--json", code=1))
    assert bad["first_bad_seq"] == 4 and "deleted" in bad["reason"]


def test_audit_export_csv_and_json(cli: CliRunner, tmp_path: Path) -> None:
    run(cli, "compliance", "scan")
    rows = list(csv.DictReader(io.StringIO(run(cli, "audit", "export", "--since", "2000-01-01"))))
    assert rows and rows[0]["prev_hash"] == "0" * 64
    assert any(r["action"] == "compliance.finding" for r in rows)
    assert all(rows[i]["hash"] == rows[i + 1]["prev_hash"] for i in range(len(rows) - 1))
    out = tmp_path / "audit.json"
    run(cli, "audit", "export", "--since", "2000-01-01", "--format", "json", "--out", str(out))
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert doc["count"] == len(rows) and isinstance(doc["entries"][0]["payload"], dict)
    assert json.loads(run(cli, "audit", "export", "--since", "2999-01-01", "--format", "json"))["count"] == 0
    run(cli, "audit", "export", "--since", "yesterday", code=2)
    run(cli, "audit", "export", "--since", "2000-01-01", "--format", "xml", code=2)


def test_seed_loads_the_shipped_rules_once(cli: CliRunner) -> None:
    from tools.compliance.rulestore import shipped_rules

    first = json.loads(run(cli, "seed", "--json", "--skip-docs"))
    assert first["compliance_rules_added"] == len(shipped_rules())
    assert json.loads(run(cli, "seed", "--json", "--skip-docs"))["compliance_rules_added"] == 0
