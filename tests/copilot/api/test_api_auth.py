"""Every protected route: 401 without a good key, 403 for each role it does not allow.

The table below is the contract; a route added to the app without a row here fails
`test_table_covers_every_route`, so no route can ship without its negative tests.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from copilot.api import deps
from copilot.api.main import create_app
from copilot.api.security import create_key, revoke_key
from knowledge.store.db import make_engine, make_session_factory
from tests.copilot.api.apikit import ROLE_PERSON, FakeChat, auth, make_kb, make_runtime
from tools.common import Role

World = tuple[TestClient, dict[Role, str], dict[str, str]]

ALL = frozenset(Role)
PUBLIC = {("GET", "/healthz"), ("GET", "/readyz")}

# (method, path, roles allowed)
ROUTES: list[tuple[str, str, frozenset[Role]]] = [
    ("POST", "/v1/chat/completions", ALL),
    ("GET", "/v1/models", ALL),
    ("GET", "/v1/models/{model_id}", ALL),
    ("POST", "/v1/threads", ALL),
    ("GET", "/v1/threads", ALL),
    ("GET", "/v1/threads/{thread_id}", ALL),
    ("GET", "/v1/threads/{thread_id}/messages", ALL),
    ("POST", "/v1/threads/{thread_id}/runs", ALL),
    ("GET", "/v1/me", ALL),
    ("GET", "/v1/customers", ALL),
    ("GET", "/v1/products", ALL),
    ("GET", "/v1/stock", ALL),
    ("POST", "/v1/battle-packs", frozenset(deps.BATTLE_PACK_WRITERS)),
    ("GET", "/v1/battle-packs", ALL),
    ("GET", "/v1/battle-packs/{pack_id}", ALL),
    ("GET", "/v1/battle-packs/{pack_id}/markdown", ALL),
    ("GET", "/v1/battle-packs/{pack_id}/pdf", ALL),
    ("POST", "/v1/compliance/check", frozenset(deps.COMPLIANCE_CHECKERS)),
    ("GET", "/v1/compliance/rules", frozenset(deps.RULE_READERS)),
    ("POST", "/v1/compliance/rules", frozenset(deps.RULE_EDITORS)),
    ("GET", "/v1/compliance/rules/{rule_id}", frozenset(deps.RULE_READERS)),
    ("PUT", "/v1/compliance/rules/{rule_id}", frozenset(deps.RULE_EDITORS)),
    ("GET", "/v1/compliance/rules/{rule_id}/history", frozenset(deps.RULE_READERS)),
    ("POST", "/v1/compliance/rules/{rule_id}/examples", frozenset(deps.RULE_EDITORS)),
    ("POST", "/v1/compliance/rules/{rule_id}/simulate", frozenset(deps.RULE_EDITORS)),
    ("POST", "/v1/compliance/rules/{rule_id}/activate", frozenset(deps.RULE_EDITORS)),
    ("POST", "/v1/compliance/rules/{rule_id}/retire", frozenset(deps.RULE_EDITORS)),
    ("POST", "/v1/compliance/scan", frozenset(deps.RULE_EDITORS)),
    ("GET", "/v1/compliance/alerts", frozenset(deps.ALERT_READERS)),
    ("GET", "/v1/compliance/heatmap", frozenset(deps.ALERT_READERS)),
    ("GET", "/v1/metrics", frozenset(deps.METRICS_READERS)),
    ("GET", "/v1/metrics/breakdown", frozenset(deps.METRICS_READERS)),
    ("GET", "/v1/metrics/trend", frozenset(deps.METRICS_READERS)),
    ("GET", "/v1/knowledge/search", ALL),
    ("GET", "/v1/knowledge/documents", ALL),
    ("POST", "/v1/knowledge/documents", frozenset(deps.KB_UPLOADERS)),
    ("GET", "/v1/knowledge/jobs/{job_id}", frozenset(deps.KB_UPLOADERS)),
    ("GET", "/v1/knowledge/chunks/{chunk_id}", ALL),
    ("POST", "/v1/visits", frozenset(deps.VISIT_WRITERS)),
    ("GET", "/v1/visits/{visit_id}", frozenset(deps.VISIT_READERS)),
    ("POST", "/v1/visits/{visit_id}/feedback", frozenset(deps.VISIT_WRITERS)),
    ("GET", "/v1/workbench/items", ALL),
    ("GET", "/v1/workbench/items/{item_id}", ALL),
    ("POST", "/v1/workbench/items/{item_id}/ack", frozenset(deps.WORKBENCH_USERS)),
    ("POST", "/v1/workbench/items/{item_id}/close", frozenset(deps.WORKBENCH_USERS)),
    ("POST", "/v1/recommendations/judgements", frozenset(deps.JUDGES)),
    ("GET", "/v1/recommendations", ALL),
]
# The role groups themselves, pinned, so widening a group is a visible change.
EXPECTED_GROUPS = {
    "BATTLE_PACK_WRITERS": {"rep", "manager", "marketing", "admin", "integration"},
    "COMPLIANCE_CHECKERS": {"rep", "manager", "legal_compliance", "admin", "integration"},
    "RULE_READERS": {"legal_compliance", "manager", "admin"},
    "RULE_EDITORS": {"legal_compliance", "admin"},
    "ALERT_READERS": {"legal_compliance", "manager", "admin", "integration"},
    "METRICS_READERS": {"manager", "marketing", "admin", "integration"},
    "KB_UPLOADERS": {"marketing", "medical_affairs", "legal_compliance", "admin"},
    "VISIT_WRITERS": {"rep", "admin", "integration"},
    "VISIT_READERS": {"rep", "manager", "admin", "integration"},
    "WORKBENCH_USERS": {"rep", "manager", "marketing", "medical_affairs", "legal_compliance", "admin"},
    "JUDGES": {"rep", "manager", "admin", "integration"},
}
FORBIDDEN = [(m, p, r) for m, p, allowed in ROUTES for r in Role if r not in allowed]


def concrete(path: str) -> str:
    return re.sub(r"\{[a-z_]+\}", lambda m: "1" if m.group(0) == "{item_id}" else "x-1", path)


def test_table_covers_every_route() -> None:
    app = create_app()
    served = {(m.upper(), path) for path, ops in app.openapi()["paths"].items() for m in ops}
    assert served == {(m, p) for m, p, _ in ROUTES} | PUBLIC


@pytest.mark.parametrize("group", sorted(EXPECTED_GROUPS))
def test_role_groups(group: str) -> None:
    assert {r.value for r in getattr(deps, group)} == EXPECTED_GROUPS[group]


@pytest.fixture(scope="module")
def world(
    demo_db_template: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[TestClient, dict[Role, str], dict[str, str]]]:
    """One app, store and key set for the whole module: these tests only read."""
    tmp = tmp_path_factory.mktemp("auth")
    shutil.copy(demo_db_template, tmp / "demo.db")
    engine = make_engine(f"sqlite:///{tmp / 'demo.db'}")
    factory = make_session_factory(engine)
    runtime = make_runtime(factory, tmp, rate_limit_per_minute=100_000)
    make_kb(runtime)
    app = create_app(runtime)
    app.dependency_overrides[deps.get_chat] = FakeChat
    keys = {role: create_key(factory, role, ROLE_PERSON.get(role)).key for role in Role}
    revoked = create_key(factory, Role.ADMIN)
    revoke_key(factory, revoked.id)
    expired = create_key(factory, Role.ADMIN, expires_at=dt.datetime(2020, 1, 1, tzinfo=dt.UTC))
    bad = {"revoked": revoked.key, "expired": expired.key, "unknown": "cpk_0123456789ab_not-a-real-key"}
    with TestClient(app) as client:
        yield client, keys, bad
    engine.dispose()


@pytest.mark.parametrize(("method", "path"), [(m, p) for m, p, _ in ROUTES])
def test_401_without_a_valid_key(world: World, method: str, path: str) -> None:
    client, _, bad_keys = world
    url = concrete(path)
    resp = client.request(method, url)
    assert resp.status_code == 401, resp.text
    for name, key in bad_keys.items():
        resp = client.request(method, url, headers=auth(key))
        assert resp.status_code == 401, (name, resp.text)
        assert resp.json()["error"]["type"] == "authentication_error"


@pytest.mark.parametrize(
    ("method", "path", "role"), FORBIDDEN, ids=[f"{m} {p} {r.value}" for m, p, r in FORBIDDEN]
)
def test_403_for_a_role_not_allowed(world: World, method: str, path: str, role: Role) -> None:
    client, keys, _ = world
    resp = client.request(method, concrete(path), headers=auth(keys[role]), json={})
    assert resp.status_code == 403, resp.text
    assert resp.json()["error"]["type"] == "permission_error"


@pytest.mark.parametrize(("method", "path", "allowed"), ROUTES, ids=[f"{m} {p}" for m, p, _ in ROUTES])
def test_allowed_roles_pass_the_role_check(
    world: World, method: str, path: str, allowed: frozenset[Role]
) -> None:
    """An allowed role may still get 400/404/422 for a dummy request, but never 401 or 403 from the route's gate."""
    client, keys, _ = world
    for role in allowed:
        resp = client.request(method, concrete(path), headers=auth(keys[role]), json={})
        if resp.status_code == 403:  # the service's finer rule (e.g. another team's workbench), not the gate
            assert "may not use this route" not in resp.json()["error"]["message"], (role, resp.text)
        assert resp.status_code != 401, (role, resp.text)
