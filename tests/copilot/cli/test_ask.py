"""`copilot ask --json` end to end on a copy of the demo world (offline model)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from knowledge.store.db import SessionFactory

pytestmark = pytest.mark.slow


def test_ask_json_prints_the_turn(
    demo_factory: SessionFactory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from copilot.cli import common
    from copilot.cli.main import app

    monkeypatch.setenv("COPILOT_DATABASE_URL", f"sqlite:///{tmp_path / 'demo.db'}")
    common.settings.cache_clear()
    common.runtime.cache_clear()
    try:
        result = CliRunner().invoke(app, ["ask", "杭州仓 DCB 还有多少库存？", "--json"])
        assert result.exit_code == 0, result.output
        data = json.loads(result.stdout[result.stdout.index("{") :])
        assert data["agents"] == ["sales"] and data["tools"] == ["inventory_stock"]
        assert "35" in data["answer"] and data["sources"] and data["thread_id"]
        follow = CliRunner().invoke(app, ["ask", "那广州仓呢？", "--thread", data["thread_id"], "--json"])
        assert follow.exit_code == 0, follow.output
        assert "420" in json.loads(follow.stdout[follow.stdout.index("{") :])["answer"]
        bad = CliRunner().invoke(app, ["ask", "hi", "--role", "boss"])
        assert bad.exit_code == 2
    finally:
        common.runtime().close()
        common.settings.cache_clear()
        common.runtime.cache_clear()
