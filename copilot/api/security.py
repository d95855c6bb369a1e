"""API keys: creation, hashing, lookup, revocation, and the demo keys `make run` prints.

A key is `cpk_<id>_<secret>`: the 12-character id is public (shown in lists, stored in clear as
the row's primary key so lookup is one indexed read) and only the SHA-256 of the whole key is
stored. Keys carry 256 bits of randomness, so a fast hash is as safe as a slow one here and keeps
authentication cheap on every request. The role always comes from the key's row; for a rep the
customers it may see are derived from `Customer.rep_id` of the key's person on each request, so a
re-assigned customer takes effect at once.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import logging
import secrets
from dataclasses import asdict, dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from knowledge.store import audit
from knowledge.store.db import SessionFactory, transaction
from knowledge.store.models import ApiKey, Customer, Person
from tools.common import Principal, Role

log = logging.getLogger(__name__)

KEY_PREFIX = "cpk_"
_ID_LEN = 12
DEMO_KEYS_FILE = "demo_keys.json"

# Who holds each role's demo key (shared/SCENARIO.md); admin and integration act for no person.
DEMO_PEOPLE: dict[Role, str | None] = {
    Role.REP: "Zhang Wei",
    Role.MANAGER: "Chen Jing",
    Role.MARKETING: "Liu Yang",
    Role.MEDICAL_AFFAIRS: "Zhao Min",
    Role.LEGAL_COMPLIANCE: "Sun Lei",
    Role.ADMIN: None,
    Role.INTEGRATION: None,
}


class AuthError(Exception):
    """The presented key cannot authenticate; `reason` is safe to show the caller."""

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(reason)


class KeyCreateError(ValueError):
    """A key cannot be created as asked (unknown person, rep without a person...)."""


@dataclass(frozen=True)
class KeyInfo:
    id: str
    role: str
    person_id: str | None
    label: str
    created_at: str
    expires_at: str | None
    revoked_at: str | None
    status: str

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


@dataclass(frozen=True)
class CreatedKey:
    id: str
    key: str
    role: str
    person_id: str | None
    expires_at: str | None


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def _utc(value: dt.datetime | None) -> dt.datetime | None:
    if value is None:
        return None
    return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


def _iso(value: dt.datetime | None) -> str | None:
    v = _utc(value)
    return v.isoformat() if v else None


def split_key(key: str) -> tuple[str, str] | None:
    """(id, secret) of a well-formed key, else None."""
    if not key.startswith(KEY_PREFIX):
        return None
    rest = key[len(KEY_PREFIX) :]
    if len(rest) < _ID_LEN + 2 or rest[_ID_LEN] != "_":
        return None
    return rest[:_ID_LEN], rest[_ID_LEN + 1 :]


def _new_key() -> tuple[str, str]:
    key_id = secrets.token_hex(_ID_LEN // 2)
    return key_id, f"{KEY_PREFIX}{key_id}_{secrets.token_urlsafe(32)}"


def _status(row: ApiKey, now: dt.datetime) -> str:
    if row.revoked_at is not None:
        return "revoked"
    expires = _utc(row.expires_at)
    if expires is not None and expires <= now:
        return "expired"
    return "active"


def _info(row: ApiKey, now: dt.datetime) -> KeyInfo:
    return KeyInfo(
        id=row.id,
        role=row.role,
        person_id=row.person_id,
        label=row.label,
        created_at=_iso(row.created_at) or "",
        expires_at=_iso(row.expires_at),
        revoked_at=_iso(row.revoked_at),
        status=_status(row, now),
    )


def _store_key(
    session: Session,
    key_id: str,
    key: str,
    role: Role,
    person_id: str | None,
    expires_at: dt.datetime | None,
    label: str,
    actor: str,
    rep_needs_person: bool = True,
) -> None:
    if person_id is not None and session.get(Person, person_id) is None:
        raise KeyCreateError(f"unknown person {person_id!r}")
    if role is Role.REP and person_id is None and rep_needs_person:
        raise KeyCreateError("a rep key needs --person (the rep whose customers it may see)")
    session.add(
        ApiKey(
            id=key_id,
            key_hash=hash_key(key),
            role=role.value,
            person_id=person_id,
            label=label,
            expires_at=_utc(expires_at),
        )
    )
    session.flush()
    audit.append(
        session,
        actor=actor,
        action="key.create",
        subject_type="api_key",
        subject_id=key_id,
        payload={"role": role.value, "person_id": person_id, "label": label},
    )


def create_key(
    factory: SessionFactory,
    role: Role | str,
    person_id: str | None = None,
    expires_at: dt.datetime | None = None,
    label: str = "",
    actor: str = "cli",
) -> CreatedKey:
    """Create a key; the plaintext is returned once and never stored."""
    role = Role(role)
    key_id, key = _new_key()
    with transaction(factory) as session:
        _store_key(session, key_id, key, role, person_id, expires_at, label, actor)
    return CreatedKey(key_id, key, role.value, person_id, _iso(expires_at))


def list_keys(factory: SessionFactory, now: dt.datetime | None = None) -> list[KeyInfo]:
    now = now or dt.datetime.now(dt.UTC)
    with factory() as session:
        rows = session.execute(select(ApiKey).order_by(ApiKey.created_at, ApiKey.id)).scalars()
        return [_info(r, now) for r in rows]


def revoke_key(factory: SessionFactory, key_id: str, actor: str = "cli") -> bool:
    """Revoke by id (or by the full key); False when no such key. Idempotent."""
    parts = split_key(key_id)
    if parts is not None:
        key_id = parts[0]
    with transaction(factory) as session:
        row = session.get(ApiKey, key_id)
        if row is None:
            return False
        if row.revoked_at is None:
            row.revoked_at = dt.datetime.now(dt.UTC)
            audit.append(session, actor=actor, action="key.revoke", subject_type="api_key", subject_id=key_id)
        return True


def customers_of(session: Session, person_id: str) -> list[str]:
    return list(
        session.execute(select(Customer.id).where(Customer.rep_id == person_id).order_by(Customer.id))
        .scalars()
        .all()
    )


def principal_for(session: Session, row: ApiKey) -> Principal:
    role = Role(row.role)
    customer_ids: list[str] | None = None
    if role is Role.REP:
        customer_ids = customers_of(session, row.person_id) if row.person_id else []
    return Principal(role=role, person_id=row.person_id, customer_ids=customer_ids, key_id=row.id)


_AUTH_COLUMNS = (
    ApiKey.id,
    ApiKey.key_hash,
    ApiKey.role,
    ApiKey.person_id,
    ApiKey.expires_at,
    ApiKey.revoked_at,
)


def authenticate(session: Session, key: str | None, now: dt.datetime | None = None) -> Principal:
    """The principal a key stands for; AuthError when missing, unknown, revoked or expired.

    Runs on every request, so it reads plain columns (no ORM identity map): one indexed lookup,
    plus the rep's customers."""
    if not key:
        raise AuthError("missing API key: send 'Authorization: Bearer <key>'")
    parts = split_key(key)
    row = session.execute(select(*_AUTH_COLUMNS).where(ApiKey.id == parts[0])).first() if parts else None
    if row is None or not hmac.compare_digest(row.key_hash, hash_key(key)):
        raise AuthError("invalid API key")
    now = now or dt.datetime.now(dt.UTC)
    if row.revoked_at is not None:
        raise AuthError(f"API key {row.id} is revoked")
    expires = _utc(row.expires_at)
    if expires is not None and expires <= now:
        raise AuthError(f"API key {row.id} is expired")
    role = Role(row.role)
    customer_ids: list[str] | None = None
    if role is Role.REP:
        customer_ids = customers_of(session, row.person_id) if row.person_id else []
    return Principal(role=role, person_id=row.person_id, customer_ids=customer_ids, key_id=row.id)


def _demo_person(session: Session, role: Role) -> str | None:
    name = DEMO_PEOPLE.get(role)
    if name is None:
        return None
    person = session.execute(select(Person.id).where(Person.name_en == name)).scalar_one_or_none()
    if person is None:  # a custom world: take the first person holding the role
        person = session.execute(
            select(Person.id).where(Person.role == role.value).order_by(Person.id).limit(1)
        ).scalar_one_or_none()
    return person


def _read_keys_file(path: Path) -> dict[str, str]:
    if not path.exists():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        log.warning("ignoring unreadable demo key file %s: %s", path, exc)
        return {}
    return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}


def ensure_demo_keys(factory: SessionFactory, keys_file: Path | None = None) -> dict[str, str]:
    """One working key per role, the same across restarts (kept in `<data_dir>/demo_keys.json`).

    A key from the file that the database no longer knows (fresh database) is registered again
    with the same plaintext, so the keys people copied from the console keep working.
    """
    if keys_file is None:
        from copilot.config import load_settings

        keys_file = load_settings().data_dir / DEMO_KEYS_FILE
    saved = _read_keys_file(keys_file)
    keys: dict[str, str] = {}
    now = dt.datetime.now(dt.UTC)
    with transaction(factory) as session:
        for role in Role:
            key = saved.get(role.value)
            parts = split_key(key) if key else None
            row = session.get(ApiKey, parts[0]) if parts else None
            usable = row is not None and key is not None and row.key_hash == hash_key(key)
            if usable and row is not None and _status(row, now) == "active":
                keys[role.value] = key  # type: ignore[assignment]
                continue
            if parts is None or row is not None:  # nothing saved, or saved but revoked/expired
                key_id, key = _new_key()
            else:
                key_id = parts[0]
            assert key is not None
            person = _demo_person(session, role)
            if role is Role.REP and person is None:
                log.warning("no rep in the store; the demo rep key sees no customer")
            _store_key(session, key_id, key, role, person, None, "demo", "demo", rep_needs_person=False)
            keys[role.value] = key
    if keys != saved:
        keys_file.parent.mkdir(parents=True, exist_ok=True)
        tmp = keys_file.with_suffix(".tmp")
        tmp.write_text(json.dumps(keys, indent=2) + "\n", encoding="utf-8")
        tmp.chmod(0o600)
        tmp.replace(keys_file)
    return keys
