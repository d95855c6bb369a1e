"""Shared fixtures: databases (SQLite and PostgreSQL), the demo world, settings isolation.

PostgreSQL at 127.0.0.1:5432 is required: a test that asks for it fails, never skips, when it is
unreachable. Each test session works in its own throw-away database, so parallel runs don't collide.
"""

from __future__ import annotations

import datetime as dt
import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from knowledge.store.db import SessionFactory, make_engine, make_session_factory
from knowledge.store.schema import migrate

PG_ADMIN_URL = os.environ.get("COPILOT_TEST_PG_URL", "postgresql+psycopg://root@127.0.0.1:5432/test")
DEMO_TODAY = dt.date(2026, 11, 30)


@pytest.fixture(autouse=True)
def _isolated_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No test reads the developer's .env or data directory."""
    for key in list(os.environ):
        if key.startswith("COPILOT_") and key != "COPILOT_TEST_PG_URL":
            monkeypatch.delenv(key, raising=False)
    monkeypatch.setenv("COPILOT_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("COPILOT_TODAY", DEMO_TODAY.isoformat())
    monkeypatch.chdir(tmp_path)


def _create_pg_database() -> tuple[str, str]:
    name = f"ct_{uuid.uuid4().hex[:12]}"
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as exc:  # report clearly: PostgreSQL is a hard requirement of the suite
        pytest.fail(f"PostgreSQL at {PG_ADMIN_URL} is unreachable: {exc}")
    finally:
        admin.dispose()
    return name, PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"


def _drop_pg_database(name: str) -> None:
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A fresh, empty PostgreSQL database for one test."""
    name, url = _create_pg_database()
    yield url
    _drop_pg_database(name)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """Runs the test once on SQLite and once on PostgreSQL."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'store.db'}"
        return
    name, url = _create_pg_database()
    yield url
    _drop_pg_database(name)


@pytest.fixture
def session_factory(db_url: str) -> Iterator[SessionFactory]:
    """An empty, migrated store on each backend."""
    engine = make_engine(db_url)
    migrate(engine)
    yield make_session_factory(engine)
    engine.dispose()


@pytest.fixture
def sqlite_factory(tmp_path: Path) -> Iterator[SessionFactory]:
    """An empty, migrated SQLite store (for tests that don't need both backends)."""
    engine = make_engine(f"sqlite:///{tmp_path / 'empty.db'}")
    migrate(engine)
    yield make_session_factory(engine)
    engine.dispose()


@pytest.fixture(scope="session")
def demo_db_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo world loaded once per session into a SQLite file that tests copy."""
    from knowledge.seed.loader import load_demo

    path = tmp_path_factory.mktemp("demo") / "demo.db"
    engine = make_engine(f"sqlite:///{path}")
    migrate(engine)
    load_demo(make_session_factory(engine))
    engine.dispose()
    return path


@pytest.fixture
def demo_factory(demo_db_template: Path, tmp_path: Path) -> Iterator[SessionFactory]:
    """A private copy of the demo world (SQLite); tests may write to it freely."""
    import shutil

    path = tmp_path / "demo.db"
    shutil.copy(demo_db_template, path)
    engine = make_engine(f"sqlite:///{path}")
    yield make_session_factory(engine)
    engine.dispose()
