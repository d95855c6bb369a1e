"""`copilot seed`, `copilot import` and `copilot db` through typer's CliRunner, in a temp data dir."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from copilot.cli import common, data


@pytest.fixture
def app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[typer.Typer]:
    monkeypatch.setenv("COPILOT_DATA_DIR", str(tmp_path / "data"))
    common.settings.cache_clear()
    common.runtime.cache_clear()
    cli = typer.Typer()

    @cli.callback()
    def _root() -> None:
        """test root"""

    data.register(cli)
    yield cli
    common.runtime().close()
    common.settings.cache_clear()
    common.runtime.cache_clear()


def test_seed_json_twice(app: typer.Typer, tmp_path: Path) -> None:
    runner = CliRunner()
    first = runner.invoke(app, ["seed", "--json", "--skip-docs"])
    assert first.exit_code == 0, first.output
    out = json.loads(first.stdout)
    assert out["world"]["inserted"] > 2000 and out["world"]["updated"] == 0
    assert str(tmp_path / "data" / "copilot.db") in out["database"]
    second = json.loads(runner.invoke(app, ["seed", "--json", "--skip-docs"]).stdout)
    assert second["world"]["inserted"] == 0 and second["world"]["updated"] == 0
    assert second["world"]["unchanged"] == out["world"]["inserted"]
    reset = json.loads(runner.invoke(app, ["seed", "--reset", "--json", "--skip-docs"]).stdout)
    assert reset["world"]["inserted"] == out["world"]["inserted"]


def test_import_and_db(app: typer.Typer, tmp_path: Path) -> None:
    runner = CliRunner()
    assert runner.invoke(app, ["seed", "--json", "--skip-docs"]).exit_code == 0
    current = json.loads(runner.invoke(app, ["db", "current", "--json"]).stdout)
    assert current["revisions"]
    good = tmp_path / "stock.csv"
    good.write_text("warehouse_id,product_id,on_hand,on_order\nWH-JN,HMT-IVUS-05,12,108\n", encoding="utf-8")
    result = runner.invoke(app, ["import", "stock", str(good), "--json"])
    assert result.exit_code == 0 and json.loads(result.stdout)["updated"] == 1
    bad = tmp_path / "bad.csv"
    bad.write_text("warehouse_id,product_id,on_hand\nWH-JN,X,1\nWH-QQ,HMT-GW-04,1\n", encoding="utf-8")
    result = runner.invoke(app, ["import", "stock", str(bad), "--json"])
    assert result.exit_code == 1 and len(json.loads(result.stdout)["errors"]) == 2
    blob = tmp_path / "blob.bin"
    blob.write_bytes(bytes(range(256)))
    result = runner.invoke(app, ["import", "stock", str(blob), "--json"])
    assert result.exit_code == 2 and "binary" in json.loads(result.stdout)["error"]
    assert runner.invoke(app, ["import", "pets", str(good)]).exit_code == 2
