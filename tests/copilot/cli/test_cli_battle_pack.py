"""`copilot battle-pack` on a seeded store: JSON, Markdown, PDF, clear errors, push once a day."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from copilot.cli.common import runtime, settings
from copilot.cli.main import app


@pytest.fixture
def cli(demo_db_template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[CliRunner]:
    db = tmp_path / "cli.db"
    shutil.copy(demo_db_template, db)
    monkeypatch.setenv("COPILOT_DATABASE_URL", f"sqlite:///{db}")
    settings.cache_clear()
    runtime.cache_clear()
    runtime().__dict__["kb"] = None  # no knowledge base here: the pack says so instead of failing
    yield CliRunner()
    runtime().close()
    settings.cache_clear()
    runtime.cache_clear()


def test_json_has_the_contract_fields_and_pushes_once(cli: CliRunner) -> None:
    args = ["battle-pack", "--customer", "H-ZJ-001", "--product", "HMT-DES-01", "--json"]
    res = cli.invoke(app, args)
    assert res.exit_code == 0, res.output
    pack = json.loads(res.output)
    assert pack["customer_id"] == "H-ZJ-001" and pack["product_id"] == "HMT-DES-01"
    assert len(pack["strategies"]) == 3 and all(s["title"] for s in pack["strategies"])
    assert [s["products"] for s in pack["substitutes"]] == [
        ["HMT-DES-01", "HMT-GW-04"],
        ["HMT-BC-03", "HMT-DES-01"],
    ]
    assert (
        pack["clinical_comparison"]["competitor_product"] == "CMP-KW-S"
        and pack["clinical_comparison"]["rows"]
    )
    assert pack["sources"] and pack["pushed_to"] == ["sales", "marketing", "medical_affairs"]
    assert pack["compliance"]["status"] == "pass"
    again = json.loads(cli.invoke(app, args).output)
    assert again["meta"]["version"] == 2 and again["meta"]["work_items"] == pack["meta"]["work_items"]


def test_markdown_and_pdf(cli: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "bp.pdf"
    res = cli.invoke(
        app, ["battle-pack", "--customer", "青岛海湾医院", "--product", "瑞影", "--md", "--pdf", str(out)]
    )
    assert res.exit_code == 0, res.output
    assert res.output.startswith("# 作战包：青岛海湾医院 × 瑞影血管内超声导管")
    assert out.read_bytes().startswith(b"%PDF")


def test_unknown_names_fail_with_the_closest_matches(cli: CliRunner) -> None:
    res = cli.invoke(app, ["battle-pack", "--customer", "青岛湾医院", "--product", "HMT-IVUS-05"])
    assert res.exit_code == 2
    assert "unknown customer '青岛湾医院'" in res.output and "H-SD-002" in res.output
    res = cli.invoke(app, ["battle-pack", "--customer", "H-SD-002", "--product", "HMT-IVUS-50"])
    assert res.exit_code == 2 and "unknown product" in res.output and "HMT-IVUS-05" in res.output
