"""Fixtures for the tool tests: the hand-made slice of the demo world on both backends."""

from __future__ import annotations

import pytest
from mini_world import seed_mini_world

from knowledge.store.db import SessionFactory


@pytest.fixture
def mini_factory(session_factory: SessionFactory) -> SessionFactory:
    """The hand-made slice on SQLite and on PostgreSQL."""
    seed_mini_world(session_factory)
    return session_factory
