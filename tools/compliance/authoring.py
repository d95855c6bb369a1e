"""Writing rules safely: create and edit drafts, try them, activate, retire; every change audited.

Editing a draft changes it in place; editing an active or retired rule starts a new draft version,
so what is live never changes under anyone's feet. Activation runs the rule's examples first and
refuses a version whose examples fail; the version it replaces is retired in the same transaction.
"""

from __future__ import annotations

import copy
import datetime as dt
import functools
from collections.abc import Callable
from typing import Any, Concatenate, ParamSpec, TypeVar

from pydantic import ValidationError

from knowledge.store.db import SessionFactory, transaction
from knowledge.store.models import ComplianceRule
from tools.compliance.detectors import DETECTORS
from tools.compliance.engine import RuleError, RuleSet
from tools.compliance.models import ExamplesReport, RuleChange, RuleSummary, SimulationReport
from tools.compliance.rulestore import RuleRepository, ensure_rules, record_change, to_doc
from tools.compliance.schema import RuleDoc, RuleStatus
from tools.compliance.tryout import run_examples, simulate


class RuleNotFoundError(LookupError):
    pass


class RuleAuthoringError(ValueError):
    """A rule that does not validate or compile, or a change that is not allowed."""


def summary(row: ComplianceRule) -> RuleSummary:
    doc = to_doc(row)
    return RuleSummary(
        id=row.id,
        version=row.version,
        status=row.status,
        code=doc.code,
        applies_to=row.applies_to,
        risk=doc.risk.value,
        check_mode=doc.check_mode.value,
        title=doc.title,
        effective_from=doc.effective_from,
        effective_to=doc.effective_to,
        created_by=row.created_by,
        created_at=row.created_at,
    )


def checked_doc(data: dict[str, Any]) -> RuleDoc:
    """Validates the document and compiles its ZEN conditions, so a broken rule is never stored."""
    try:
        doc = RuleDoc.model_validate(data)
        if doc.detector is not None and doc.detector not in DETECTORS:
            raise RuleAuthoringError(
                f"invalid rule: unknown detector {doc.detector!r}; known: {sorted(DETECTORS)}"
            )
        RuleSet([doc])
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc']) or 'rule'}: {e['msg']}" for e in exc.errors()
        )
        raise RuleAuthoringError(f"invalid rule: {problems}") from exc
    except RuleError as exc:
        raise RuleAuthoringError(str(exc)) from exc
    return doc


def deep_merge(base: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
    out = copy.deepcopy(base)
    for key, value in changes.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = deep_merge(out[key], value)
        else:
            out[key] = value
    return out


_T = TypeVar("_T")
_P = ParamSpec("_P")


def _changes(
    method: Callable[Concatenate[RuleAuthoring, _P], _T],
) -> Callable[Concatenate[RuleAuthoring, _P], _T]:
    """After a committed change, tell the owner (the service recompiles its active rules)."""

    @functools.wraps(method)
    def wrapper(self: RuleAuthoring, /, *args: _P.args, **kwargs: _P.kwargs) -> _T:
        result = method(self, *args, **kwargs)
        self.on_change()
        return result

    return wrapper


class RuleAuthoring:
    def __init__(self, session_factory: SessionFactory, today: dt.date) -> None:
        self._sf = session_factory
        self.today = today
        self.on_change: Callable[[], None] = lambda: None  # the service drops its compiled rules

    def _row(self, repo: RuleRepository, rule_id: str, version: int | None) -> ComplianceRule:
        row = repo.get(rule_id, version)
        if row is None:
            raise RuleNotFoundError(f"unknown rule {rule_id!r}" + (f" version {version}" if version else ""))
        return row

    def list_rules(self, status: str | None = None, all_versions: bool = False) -> list[RuleSummary]:
        with transaction(self._sf) as session:
            ensure_rules(session)
            return [summary(r) for r in RuleRepository(session).rows(status, latest_only=not all_versions)]

    def show(self, rule_id: str, version: int | None = None) -> RuleDoc:
        with transaction(self._sf) as session:
            ensure_rules(session)
            return to_doc(self._row(RuleRepository(session), rule_id, version))

    def history(self, rule_id: str) -> list[RuleChange]:
        from sqlalchemy import select

        from knowledge.store.models import AuditEntry

        with self._sf() as session:
            query = (
                select(AuditEntry)
                .where(AuditEntry.subject_type == "compliance_rule", AuditEntry.subject_id == rule_id)
                .order_by(AuditEntry.seq)
            )
            return [
                RuleChange(
                    ts=e.ts,
                    actor=e.actor,
                    action=e.action.rsplit(".", 1)[-1],
                    old_version=e.payload.get("old_version"),
                    new_version=e.payload.get("new_version"),
                    old_status=e.payload.get("old_status"),
                    new_status=e.payload.get("new_status"),
                )
                for e in session.execute(query).scalars()
            ]

    @_changes
    def create(self, data: dict[str, Any], actor: str) -> RuleSummary:
        doc = checked_doc({**data, "version": 1, "status": RuleStatus.DRAFT.value})
        with transaction(self._sf) as session:
            ensure_rules(session)
            repo = RuleRepository(session)
            if repo.get(doc.id) is not None:
                raise RuleAuthoringError(f"rule {doc.id} exists; edit it instead")
            row = repo.add(doc, actor)
            record_change(session, actor=actor, action="create", rule_id=doc.id, old=None, new=row)
            return summary(row)

    @_changes
    def edit(self, rule_id: str, changes: dict[str, Any], actor: str) -> RuleSummary:
        """Merges `changes` (nested keys) into the latest version; a full document works too."""
        if changes.get("id", rule_id) != rule_id:
            raise RuleAuthoringError("a rule's id cannot change; create a new rule instead")
        with transaction(self._sf) as session:
            ensure_rules(session)
            repo = RuleRepository(session)
            latest = self._row(repo, rule_id, None)
            merged = deep_merge(
                to_doc(latest).body(), {k: v for k, v in changes.items() if k not in ("version", "status")}
            )
            if latest.status == RuleStatus.DRAFT:
                doc = checked_doc({**merged, "version": latest.version, "status": "draft"})
                old = ComplianceRule(
                    id=latest.id,
                    version=latest.version,
                    status=latest.status,
                    applies_to=latest.applies_to,
                    body=latest.body,
                )
                latest.body, latest.applies_to = doc.body(), doc.applies_to.value
                session.flush()
                record_change(session, actor=actor, action="edit", rule_id=rule_id, old=old, new=latest)
                return summary(latest)
            doc = checked_doc({**merged, "version": latest.version + 1, "status": "draft"})
            row = repo.add(doc, actor)
            record_change(session, actor=actor, action="edit", rule_id=rule_id, old=latest, new=row)
            return summary(row)

    def examples(self, rule_id: str, version: int | None = None) -> ExamplesReport:
        with transaction(self._sf) as session:
            ensure_rules(session)
            return run_examples(session, to_doc(self._row(RuleRepository(session), rule_id, version)))

    def simulate(self, rule_id: str, days: int = 90, version: int | None = None) -> SimulationReport:
        with transaction(self._sf) as session:
            ensure_rules(session)
            repo = RuleRepository(session)
            row = self._row(repo, rule_id, version)
            active = repo.active(rule_id)
            baseline = to_doc(active) if active is not None and active.version != row.version else None
            try:
                return simulate(session, to_doc(row), baseline, self.today, days)
            except ValueError as exc:
                raise RuleAuthoringError(str(exc)) from exc

    @_changes
    def activate(self, rule_id: str, actor: str, version: int | None = None) -> RuleSummary:
        with transaction(self._sf) as session:
            ensure_rules(session)
            repo = RuleRepository(session)
            row = self._row(repo, rule_id, version)
            if row.status == RuleStatus.ACTIVE:
                return summary(row)
            report = run_examples(session, to_doc(row))
            if not report.ok:
                failed = [
                    f"{r.name} ({r.expected}): {r.detail or 'got ' + ('flag' if r.flagged else 'pass')}"
                    for r in report.results
                    if not r.ok
                ] or ["the rule has no examples"]
                raise RuleAuthoringError(
                    f"{rule_id}@{row.version} not activated; examples failed: {'; '.join(failed)}"
                )
            previous = repo.active(rule_id)
            if previous is not None:
                previous.status = RuleStatus.RETIRED.value
            old_status = row.status
            row.status = RuleStatus.ACTIVE.value
            session.flush()
            record_change(
                session,
                actor=actor,
                action="activate",
                rule_id=rule_id,
                old=previous,
                new=row,
                old_status=old_status,
                extra={"retired_version": previous.version if previous else None},
            )
            return summary(row)

    @_changes
    def retire(self, rule_id: str, actor: str) -> RuleSummary:
        with transaction(self._sf) as session:
            ensure_rules(session)
            repo = RuleRepository(session)
            row = repo.active(rule_id)
            if row is None:
                raise RuleAuthoringError(f"rule {rule_id} has no active version to retire")
            row.status = RuleStatus.RETIRED.value
            session.flush()
            record_change(
                session,
                actor=actor,
                action="retire",
                rule_id=rule_id,
                old=row,
                new=row,
                old_status=RuleStatus.ACTIVE.value,
            )
            return summary(row)
