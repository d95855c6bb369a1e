"""API keys: hashed storage, statuses, rep customers, demo keys that survive restarts."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from sqlalchemy import select

from copilot.api.security import (
    AuthError,
    KeyCreateError,
    authenticate,
    create_key,
    ensure_demo_keys,
    list_keys,
    revoke_key,
)
from knowledge.store import audit
from knowledge.store.db import SessionFactory, make_engine, make_session_factory
from knowledge.store.models import ApiKey
from knowledge.store.schema import migrate
from tools.common import Role


def test_keys_are_stored_hashed_and_authenticate(demo_factory: SessionFactory) -> None:
    created = create_key(demo_factory, Role.REP, "P-LN", label="crm")
    with demo_factory() as s:
        row = s.get(ApiKey, created.id)
        assert row is not None and created.key not in row.key_hash and len(row.key_hash) == 64
        principal = authenticate(s, created.key)
        assert audit.verify(s).ok
    assert principal.role is Role.REP and principal.key_id == created.id
    assert principal.customer_ids is not None and "H-GD-001" in principal.customer_ids
    assert "H-ZJ-001" not in principal.customer_ids


def test_missing_unknown_tampered_revoked_expired(demo_factory: SessionFactory) -> None:
    good = create_key(demo_factory, Role.ADMIN)
    past = create_key(demo_factory, Role.MANAGER, "P-CJ", expires_at=dt.datetime(2020, 1, 1, tzinfo=dt.UTC))
    future = create_key(
        demo_factory, Role.MANAGER, "P-CJ", expires_at=dt.datetime.now(dt.UTC) + dt.timedelta(days=1)
    )
    with demo_factory() as s:
        for bad, reason in (
            (None, "missing"),
            ("", "missing"),
            ("sk-openai-style", "invalid"),
            (good.key[:-1] + ("A" if good.key[-1] != "A" else "B"), "invalid"),
            (past.key, "expired"),
        ):
            with pytest.raises(AuthError, match=reason):
                authenticate(s, bad)
        assert authenticate(s, future.key).role is Role.MANAGER
    assert revoke_key(demo_factory, good.id)
    assert revoke_key(demo_factory, good.id)  # idempotent
    assert not revoke_key(demo_factory, "nope")
    with demo_factory() as s, pytest.raises(AuthError, match="revoked"):
        authenticate(s, good.key)
    statuses = {k.id: k.status for k in list_keys(demo_factory)}
    assert statuses == {good.id: "revoked", past.id: "expired", future.id: "active"}


def test_create_refuses_unknown_person_and_rep_without_person(demo_factory: SessionFactory) -> None:
    with pytest.raises(KeyCreateError, match="unknown person"):
        create_key(demo_factory, Role.MANAGER, "P-NOBODY")
    with pytest.raises(KeyCreateError, match="--person"):
        create_key(demo_factory, Role.REP)
    with pytest.raises(ValueError):
        create_key(demo_factory, "superuser")


def test_demo_keys_stable_across_restarts_and_fresh_databases(
    demo_factory: SessionFactory, tmp_path: Path
) -> None:
    path = tmp_path / "data" / "demo_keys.json"
    first = ensure_demo_keys(demo_factory, path)
    assert set(first) == {r.value for r in Role}
    assert json.loads(path.read_text()) == first
    assert path.stat().st_mode & 0o077 == 0
    assert ensure_demo_keys(demo_factory, path) == first
    with demo_factory() as s:
        assert authenticate(s, first["rep"]).person_id == "P-ZW"
        assert authenticate(s, first["legal_compliance"]).person_id == "P-SL"
        assert authenticate(s, first["admin"]).customer_ids is None
        assert len(s.execute(select(ApiKey)).all()) == len(Role)
    # a wiped database learns the same keys again
    engine = make_engine(f"sqlite:///{tmp_path / 'fresh.db'}")
    migrate(engine)
    fresh = make_session_factory(engine)
    assert ensure_demo_keys(fresh, path) == first
    with fresh() as s:
        assert authenticate(s, first["manager"]).role is Role.MANAGER
    engine.dispose()
    # a revoked demo key is replaced
    revoke_key(demo_factory, first["marketing"])
    again = ensure_demo_keys(demo_factory, path)
    assert again["marketing"] != first["marketing"] and again["rep"] == first["rep"]
