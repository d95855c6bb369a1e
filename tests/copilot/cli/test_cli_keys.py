"""`copilot keys create | list | revoke | demo` against a private demo store."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from copilot.cli import common
from copilot.cli.main import app
from knowledge.store.db import SessionFactory


@pytest.fixture
def cli(demo_factory: SessionFactory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[CliRunner]:
    monkeypatch.setenv("COPILOT_DATABASE_URL", f"sqlite:///{tmp_path / 'demo.db'}")
    common.settings.cache_clear()
    common.runtime.cache_clear()
    yield CliRunner()
    common.runtime().close()
    common.settings.cache_clear()
    common.runtime.cache_clear()


def run(cli: CliRunner, *args: str) -> str:
    result = cli.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def test_create_list_revoke(cli: CliRunner) -> None:
    created = json.loads(
        run(cli, "keys", "create", "--role", "rep", "--person", "P-ZW", "--expires", "2099-01-01", "--json")
    )
    assert created["key"].startswith("cpk_") and created["role"] == "rep" and created["person_id"] == "P-ZW"
    assert created["expires_at"].startswith("2098-12-31T16:00")  # midnight in Asia/Shanghai
    listed = json.loads(run(cli, "keys", "list", "--json"))
    assert [(k["id"], k["status"]) for k in listed] == [(created["id"], "active")]
    assert created["key"] not in json.dumps(listed)
    run(cli, "keys", "revoke", created["id"])
    assert json.loads(run(cli, "keys", "list", "--json"))[0]["status"] == "revoked"


def test_refusals(cli: CliRunner) -> None:
    assert cli.invoke(app, ["keys", "create", "--role", "emperor"]).exit_code == 2
    assert cli.invoke(app, ["keys", "create", "--role", "rep"]).exit_code == 2
    assert cli.invoke(app, ["keys", "create", "--role", "admin", "--expires", "soon"]).exit_code == 2
    assert cli.invoke(app, ["keys", "revoke", "nope"]).exit_code == 1


def test_demo_keys_are_stable(cli: CliRunner) -> None:
    first = json.loads(run(cli, "keys", "demo", "--json"))
    assert json.loads(run(cli, "keys", "demo", "--json")) == first
    assert set(first) == {
        "rep",
        "manager",
        "marketing",
        "medical_affairs",
        "legal_compliance",
        "admin",
        "integration",
    }
