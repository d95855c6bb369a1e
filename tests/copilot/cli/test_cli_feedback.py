"""`copilot visit / workbench / metrics / recommendations` end to end on a seeded store."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from copilot.cli.common import runtime, settings
from copilot.cli.main import app


@pytest.fixture
def cli(demo_db_template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    import shutil

    db = tmp_path / "cli.db"
    shutil.copy(demo_db_template, db)
    monkeypatch.setenv("COPILOT_DATABASE_URL", f"sqlite:///{db}")
    settings.cache_clear()
    runtime.cache_clear()
    yield CliRunner()
    runtime().close()
    settings.cache_clear()
    runtime.cache_clear()


def _json(cli: CliRunner, *args: str) -> object:
    res = cli.invoke(app, [*args, "--json"])
    assert res.exit_code == 0, res.output
    return json.loads(res.output)


def test_visit_record_answer_workbench_and_metrics(cli: CliRunner) -> None:
    rec = _json(cli, "visit", "record", "-c", "H-SD-001", "--date", "2026-11-30", "--note", "合同模板太死板")
    assert isinstance(rec, dict) and "Q-CONTRACT" in [q["id"] for q in rec["questions"]]
    first = _json(cli, "visit", "answer", rec["visit_id"], "Q-CONTRACT-A")
    again = _json(cli, "visit", "answer", rec["visit_id"], "Q-CONTRACT=Q-CONTRACT-A")
    assert isinstance(first, dict) and isinstance(again, dict)
    assert first["answers"][0]["created"] and not again["answers"][0]["created"]
    item_id = first["answers"][0]["work_item_id"]
    inbox = _json(cli, "workbench", "list", "--role", "legal_compliance", "--status", "open")
    assert isinstance(inbox, dict) and item_id in [i["id"] for i in inbox["items"]]
    assert _json(cli, "workbench", "ack", str(item_id), "--actor", "P-SL")["status"] == "acknowledged"  # type: ignore[index]
    closed = _json(cli, "workbench", "close", str(item_id), "--note", "已答复客户", "--actor", "P-SL")
    assert isinstance(closed, dict) and closed["status"] == "closed"
    m = _json(cli, "metrics", "--period", "2026-11", "--region", "山东")
    assert isinstance(m, dict) and m["period"]["label"] == "2026-11" and m["filters"] == {"region": "SD"}
    assert len(m["open_escalations"]) == 1  # the seeded Shandong contract-template escalation
    rows = _json(cli, "metrics", "--period", "2026-Q3", "--by", "region")
    assert isinstance(rows, list) and {r["key"] for r in rows} >= {"GD", "SD", "ZJ"}


def test_errors_are_reported_not_raised(cli: CliRunner) -> None:
    res = cli.invoke(app, ["visit", "answer", "V-nope", "Q-CONTRACT-A"])
    assert res.exit_code == 2 and "unknown visit" in res.output
    res = cli.invoke(app, ["metrics", "--period", "someday"])
    assert res.exit_code == 2 and "unknown period" in res.output
    res = cli.invoke(app, ["workbench", "list", "--role", "nobody"])
    assert res.exit_code == 2


def test_recommendations_judge_and_review(cli: CliRunner) -> None:
    listed = _json(cli, "recommendations", "list", "--judgement", "none")
    assert isinstance(listed, dict)
    if not listed["items"]:
        pytest.skip("the demo history has no unjudged suggestion")
    rec_id = listed["items"][0]["id"]
    res = cli.invoke(app, ["recommendations", "judge", rec_id, "invalid"])
    assert res.exit_code == 2 and "needs a reason" in res.output
    judged = _json(cli, "recommendations", "judge", rec_id, "invalid", "--reason", "库存已变")
    assert isinstance(judged, dict) and judged["judgement"] == "invalid"
    review = _json(cli, "recommendations", "review")
    assert isinstance(review, dict) and rec_id in [r["id"] for r in review["items"]]
