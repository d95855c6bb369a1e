"""Fixtures for the tool tests: the hand-made slice of the demo world on both backends.

`mini_world` is loaded once per test session and backend and shared by read-only tests (fast);
`mini_factory` is a private copy per test for tests that write.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import create_engine, text

from knowledge.store.db import SessionFactory, make_engine, make_session_factory
from knowledge.store.schema import migrate
from tests.tools.mini_world import seed_mini_world

PG_ADMIN_URL = os.environ.get("COPILOT_TEST_PG_URL", "postgresql+psycopg://root@127.0.0.1:5432/test")


@pytest.fixture
def mini_factory(session_factory: SessionFactory) -> SessionFactory:
    """A private slice on SQLite and on PostgreSQL (for tests that write)."""
    seed_mini_world(session_factory)
    return session_factory


@pytest.fixture(scope="session", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def mini_world(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[SessionFactory]:
    """The slice loaded once per backend; tests must not write to it."""
    admin = None
    name = f"ct_{uuid.uuid4().hex[:12]}"
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('mini') / 'mini.db'}"
    else:
        admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
        try:
            with admin.connect() as conn:
                conn.execute(text(f'CREATE DATABASE "{name}"'))
        except Exception as exc:  # PostgreSQL is a hard requirement of the suite
            pytest.fail(f"PostgreSQL at {PG_ADMIN_URL} is unreachable: {exc}")
        url = PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    engine = make_engine(url)
    migrate(engine)
    factory = make_session_factory(engine)
    seed_mini_world(factory)
    yield factory
    engine.dispose()
    if admin is not None:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
