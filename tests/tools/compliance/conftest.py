"""Fixtures for the compliance tests: SCENARIO reference data on both backends, a fast SQLite copy."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from knowledge.store.db import SessionFactory, make_engine, make_session_factory, transaction
from knowledge.store.schema import migrate
from tests.tools.compliance.compliance_world import contract_payload, seed_reference
from tools.compliance.rulestore import load_shipped_rules


@pytest.fixture
def ref_factory(session_factory: SessionFactory) -> SessionFactory:
    """Both backends, with SCENARIO reference data."""
    seed_reference(session_factory)
    return session_factory


@pytest.fixture(scope="session")
def ref_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Reference data and the shipped rules, built once and copied per test."""
    path = tmp_path_factory.mktemp("ref") / "ref.db"
    engine = make_engine(f"sqlite:///{path}")
    migrate(engine)
    factory = make_session_factory(engine)
    seed_reference(factory)
    with transaction(factory) as session:
        load_shipped_rules(session)
    engine.dispose()
    return path


@pytest.fixture
def ref_sqlite(ref_template: Path, tmp_path: Path) -> Iterator[SessionFactory]:
    """A private SQLite copy of the reference data with the shipped rules loaded."""
    path = tmp_path / "ref.db"
    shutil.copy(ref_template, path)
    engine = make_engine(f"sqlite:///{path}")
    yield make_session_factory(engine)
    engine.dispose()


@pytest.fixture
def make_payload() -> Callable[..., dict[str, Any]]:
    return contract_payload
