"""Rule versions in the `compliance_rules` table, and the shipped rule files that seed it.

The table is the source of truth at run time; `tools/compliance/rules/*.yaml|json` are the rules the
product ships. Every change is appended to the audit log (who, when, old and new version).
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from knowledge.store import audit
from knowledge.store.models import ComplianceRule
from tools.compliance.schema import AppliesTo, RuleDoc, RuleStatus

log = logging.getLogger(__name__)

SHIPPED_DIR = Path(__file__).with_name("rules")


_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def read_rule_file(path: Path) -> RuleDoc:
    """A rule document from YAML or JSON (pydantic raises a readable error for a bad one)."""
    text = path.read_text(encoding="utf-8")
    data = json.loads(text) if path.suffix == ".json" else yaml.load(text, Loader=_LOADER)
    return RuleDoc.model_validate(data)


def shipped_rules(directory: Path = SHIPPED_DIR) -> list[RuleDoc]:
    files = sorted(p for p in directory.iterdir() if p.suffix in (".yaml", ".yml", ".json"))
    return [read_rule_file(p) for p in files]


def to_doc(row: ComplianceRule) -> RuleDoc:
    """The row's id, version and status win over whatever the body says."""
    body = {**row.body, "id": row.id, "version": row.version, "status": row.status}
    return RuleDoc.model_validate(body)


def body_hash(doc: RuleDoc) -> str:
    canonical = json.dumps(doc.body(), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def record_change(
    session: Session,
    *,
    actor: str,
    action: str,
    rule_id: str,
    old: ComplianceRule | None,
    new: ComplianceRule | None,
    old_status: str | None = None,
    extra: dict[str, Any] | None = None,
) -> None:
    audit.append(
        session,
        actor=actor,
        action=f"compliance.rule.{action}",
        subject_type="compliance_rule",
        subject_id=rule_id,
        payload={
            "old_version": old.version if old else None,
            "new_version": new.version if new else None,
            "old_status": old_status if old_status is not None else (old.status if old else None),
            "new_status": new.status if new else None,
            "body_sha256": body_hash(to_doc(new)) if new else None,
            **(extra or {}),
        },
    )


class RuleRepository:
    """Reads and writes rule versions inside the caller's session (the caller commits)."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def versions(self, rule_id: str) -> list[ComplianceRule]:
        query = select(ComplianceRule).where(ComplianceRule.id == rule_id).order_by(ComplianceRule.version)
        return list(self.session.execute(query).scalars())

    def get(self, rule_id: str, version: int | None = None) -> ComplianceRule | None:
        if version is not None:
            return self.session.get(ComplianceRule, (rule_id, version))
        versions = self.versions(rule_id)
        return versions[-1] if versions else None

    def active(self, rule_id: str) -> ComplianceRule | None:
        return next((r for r in self.versions(rule_id) if r.status == RuleStatus.ACTIVE), None)

    def rows(self, status: str | None = None, latest_only: bool = True) -> list[ComplianceRule]:
        query = select(ComplianceRule).order_by(ComplianceRule.id, ComplianceRule.version)
        if status:
            query = query.where(ComplianceRule.status == status)
        rows = list(self.session.execute(query).scalars())
        if not latest_only:
            return rows
        latest: dict[str, ComplianceRule] = {}
        for row in rows:
            latest[row.id] = row
        return list(latest.values())

    def active_docs(self, scopes: Iterable[AppliesTo] | None = None) -> list[RuleDoc]:
        query = select(ComplianceRule).where(ComplianceRule.status == RuleStatus.ACTIVE)
        if scopes is not None:
            query = query.where(ComplianceRule.applies_to.in_([s.value for s in scopes]))
        return [to_doc(r) for r in self.session.execute(query.order_by(ComplianceRule.id)).scalars()]

    def fingerprint(self) -> tuple[tuple[str, int, str], ...]:
        """Changes whenever a version is added or changes status; cheap enough to ask per check."""
        rows = self.session.execute(
            select(ComplianceRule.id, ComplianceRule.version, ComplianceRule.status).order_by(
                ComplianceRule.id, ComplianceRule.version
            )
        )
        return tuple((r[0], r[1], r[2]) for r in rows)

    def count(self) -> int:
        return int(self.session.execute(select(func.count()).select_from(ComplianceRule)).scalar_one())

    def add(self, doc: RuleDoc, actor: str) -> ComplianceRule:
        row = ComplianceRule(
            id=doc.id,
            version=doc.version,
            status=doc.status.value,
            applies_to=doc.applies_to.value,
            body=doc.body(),
            created_by=actor,
        )
        self.session.add(row)
        self.session.flush()
        return row


def load_shipped_rules(session: Session, actor: str = "system", directory: Path = SHIPPED_DIR) -> int:
    """Add every shipped rule version the table lacks; a newer shipped active version retires the
    older active one. Idempotent: returns how many versions were added (0 when current)."""
    repo = RuleRepository(session)
    added = 0
    for doc in shipped_rules(directory):
        if repo.get(doc.id, doc.version) is not None:
            continue
        previous = repo.active(doc.id) if doc.status is RuleStatus.ACTIVE else None
        if previous is not None and previous.version > doc.version:
            log.info("shipped rule %s@%s is older than the active version; skipped", doc.id, doc.version)
            continue
        old_status = previous.status if previous else None
        if previous is not None:
            previous.status = RuleStatus.RETIRED.value
        row = repo.add(doc, actor)
        record_change(
            session, actor=actor, action="load", rule_id=doc.id, old=previous, new=row, old_status=old_status
        )
        added += 1
    if added:
        log.info("loaded %d shipped compliance rule version(s)", added)
    return added


def ensure_rules(session: Session) -> None:
    """A fresh database gets the shipped rules, so a check or scan works before any seeding."""
    if RuleRepository(session).count() == 0:
        load_shipped_rules(session)
