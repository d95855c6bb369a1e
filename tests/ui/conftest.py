"""One seeded demo world per test session, copied by every UI stack (seeding embeds documents)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.ui.servers import seed_template


@pytest.fixture(scope="session")
def seeded_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return seed_template(tmp_path_factory.mktemp("ui-template") / "data")
