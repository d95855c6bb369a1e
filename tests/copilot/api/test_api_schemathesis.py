"""Property-based tests over the whole OpenAPI schema (schemathesis), in-process with offline fakes.

Every operation gets at least 100 generated requests (valid and invalid); the checks demand no
5xx, every status documented, the documented content type, bodies and headers that match the
schema, and invalid input refused. The app runs on a private copy of the demo world with the
scripted chat service and a hashing-embedder knowledge base, so no model is loaded.
"""

from __future__ import annotations

import shutil
import tempfile
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from copilot.api.deps import get_chat
from copilot.api.main import create_app
from copilot.api.security import create_key
from copilot.config import Settings
from copilot.runtime import Runtime
from knowledge.store.db import make_engine, make_session_factory
from tests.copilot.api.apikit import FakeChat, make_kb, make_runtime
from tools.common import Role

NO_SUCCESS_EXPECTED = {
    "GET /v1/knowledge/jobs/{job_id}",
    "GET /v1/knowledge/chunks/{chunk_id}",
    "POST /v1/knowledge/documents",  # generated files are neither .md nor .pdf nor ...
}
STATUSES: Counter[tuple[str, int]] = Counter()
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
    negative_data_rejection,
]


# The schema is read from the app at import; the app gets its runtime (a private demo store) in
# the module fixture below, before any request is made.
# The placeholder runtime is never used for data: it only keeps import-time code (reading the
# schema) from building a runtime out of the developer's settings.
_PLACEHOLDER = Path(tempfile.mkdtemp(prefix="schemathesis-"))
APP = create_app(
    Runtime(Settings(data_dir=_PLACEHOLDER, database_url=f"sqlite:///{_PLACEHOLDER / 'unused.db'}"))
)
schema = schemathesis.openapi.from_asgi("/openapi.json", APP)


@pytest.fixture(scope="module")
def admin_key(demo_db_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    tmp = tmp_path_factory.mktemp("schemathesis")
    shutil.copy(demo_db_template, tmp / "demo.db")
    engine = make_engine(f"sqlite:///{tmp / 'demo.db'}")
    factory = make_session_factory(engine)
    runtime = make_runtime(factory, tmp, rate_limit_per_minute=1_000_000)
    make_kb(runtime)
    APP.state.runtime = runtime
    APP.state.limiter = None
    APP.dependency_overrides[get_chat] = FakeChat
    yield create_key(factory, Role.ADMIN, label="schemathesis").key
    APP.dependency_overrides.clear()
    engine.dispose()
    shutil.rmtree(_PLACEHOLDER, ignore_errors=True)


@pytest.mark.slow
@schema.parametrize()
@settings(max_examples=100, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
def test_openapi_conformance(case: Any, admin_key: str) -> None:
    response = case.call_and_validate(headers={"Authorization": f"Bearer {admin_key}"}, checks=CHECKS)
    STATUSES[(case.operation.label, response.status_code)] += 1


@pytest.mark.slow
def test_zz_every_operation_was_exercised_with_success(admin_key: str) -> None:
    """Guards the property test against passing vacuously (e.g. every request refused with 401)."""
    print(sorted(STATUSES.items()))
    labels = {op.ok().label for op in schema.get_all_operations()}
    seen = {label for (label, _), n in STATUSES.items() if n}
    assert seen == labels
    ok = {label for (label, status), n in STATUSES.items() if 200 <= status < 300}
    # Ids nothing in the store can match by chance (jobs and chunks are created by uploads).
    assert labels - ok <= NO_SUCCESS_EXPECTED, sorted(labels - ok - NO_SUCCESS_EXPECTED)
    assert not [k for k in STATUSES if k[1] >= 500]
