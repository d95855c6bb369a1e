"""`scan`: contract rules over every stored contract, history rules over orders, rebates and
prepayments, and one legal_compliance alert per new finding (deduplicated by key)."""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections import Counter
from collections.abc import Iterable

from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from knowledge.store import audit
from knowledge.store.models import ComplianceFinding, Contract, Person
from tools.common import Workbench
from tools.compliance.detectors import DETECTORS, Subject
from tools.compliance.engine import CompiledRule, RuleSet
from tools.compliance.facts import ReferenceData, contract_facts, contract_from_record
from tools.compliance.models import Finding, ScanReport
from tools.compliance.schema import HISTORY_SCOPES
from tools.workbench.push import push_item

log = logging.getLogger(__name__)

SLA_HOURS = {"high": 24, "medium": 72, "low": 168}


def contract_findings(
    session: Session, ruleset: RuleSet, since: dt.date | None = None
) -> tuple[int, list[Finding], list[str]]:
    """Evaluates stored contracts (signed on/after `since`); returns (checked, findings, skipped)."""
    ref = ReferenceData.load(session)
    query = (
        select(Contract)
        .options(
            selectinload(Contract.lines), selectinload(Contract.gifts), selectinload(Contract.attachments)
        )
        .order_by(Contract.id)
        .execution_options(yield_per=500)  # streamed: memory stays flat however many contracts
    )
    if since is not None:
        query = query.where(Contract.signed_on >= since)
    checked, findings, skipped = 0, [], []
    for record in session.execute(query).scalars():
        try:
            contract = contract_from_record(record)
        except ValidationError:
            skipped.append(record.id)
            continue
        checked += 1
        found, _ = ruleset.evaluate_contract(contract_facts(contract, ref), contract.signed_on)
        findings.extend(found)
    return checked, findings, skipped


def history_subjects(
    session: Session,
    rule: CompiledRule,
    today: dt.date,
    since: dt.date | None = None,
    cache: dict[str, list[Subject]] | None = None,
) -> list[Subject]:
    """The detector's subjects for this rule's parameters (shared by rules with equal ones)."""
    detector = rule.doc.detector or ""
    if detector not in DETECTORS:
        raise KeyError(f"{rule.key}: unknown detector {detector!r}; known: {sorted(DETECTORS)}")
    key = f"{detector}:{json.dumps(rule.doc.params, sort_keys=True)}:{since}"
    if cache is not None and key in cache:
        return cache[key]
    subjects = DETECTORS[detector].run(session, rule.doc.params, today, since)
    if cache is not None:
        cache[key] = subjects
    return subjects


def judge(session: Session, rule: CompiledRule, subject: Subject) -> Finding | None:
    if not rule.doc.in_force(subject.occurred_on):
        return None
    flagged, ctx = rule.test(subject.facts)
    if not flagged:
        return None
    finding = rule.finding(
        ctx,
        subject_type=subject.subject_type,
        subject_id=subject.subject_id,
        province=subject.province,
        occurred_on=subject.occurred_on,
    )
    finding.evidence.update(DETECTORS[rule.doc.detector or ""].details(session, subject))
    return finding


def history_findings(session: Session, ruleset: RuleSet, today: dt.date) -> tuple[list[str], list[Finding]]:
    cache: dict[str, list[Subject]] = {}
    keys, findings = [], []
    for rule in ruleset.select(HISTORY_SCOPES, None):
        keys.append(rule.key)
        for subject in history_subjects(session, rule, today, cache=cache):
            found = judge(session, rule, subject)
            if found is not None:
                findings.append(found)
    return keys, findings


def _legal_owner(session: Session) -> str | None:
    query = select(Person.id).where(Person.role == "legal_compliance").order_by(Person.id).limit(1)
    return session.execute(query).scalar_one_or_none()


def raise_findings(session: Session, findings: Iterable[Finding], actor: str) -> tuple[int, int]:
    """Stores each finding not seen before and pushes its alert; returns (new findings, alerts)."""
    unique = {f.dedupe_key: f for f in findings}
    known = (
        set(
            session.execute(
                select(ComplianceFinding.dedupe_key).where(ComplianceFinding.dedupe_key.in_(list(unique)))
            ).scalars()
        )
        if unique
        else set()
    )
    owner = _legal_owner(session)
    new = alerts = 0
    for key, f in unique.items():
        if key in known:
            continue
        row = ComplianceFinding(
            code=f.code,
            rule_id=f.rule_id,
            rule_version=f.rule_version,
            subject_type=f.subject_type,
            subject_id=f.subject_id,
            province=f.province,
            occurred_on=f.occurred_on,
            risk=f.risk.value,
            evidence=f.evidence,
            dedupe_key=key,
        )
        try:
            with session.begin_nested():
                session.add(row)
                session.flush()
        except IntegrityError:  # another scan raised it a moment ago
            continue
        new += 1
        payload = {
            "finding_id": row.id,
            "code": f.code,
            "rule": f"{f.rule_id}@{f.rule_version}",
            "risk": f.risk.value,
            "evidence": f.evidence,
        }
        audit.append(
            session,
            actor=actor,
            action="compliance.finding",
            subject_type=f.subject_type,
            subject_id=f.subject_id,
            payload=payload,
        )
        item, created = push_item(
            session,
            workbench=Workbench.LEGAL_COMPLIANCE,
            kind="compliance_alert",
            title=f"[{f.risk.value}] {f.title.zh} {f.title.en}: {f.subject_id}"[:250],
            body={"finding_id": row.id, **f.model_dump(mode="json")},
            owner_id=owner,
            province=f.province,
            source_type="compliance_finding",
            source_id=str(row.id),
            dedupe_key=key,
            sla_hours=SLA_HOURS[f.risk.value],
            actor=actor,
        )
        if created:
            alerts += 1
            audit.append(
                session,
                actor=actor,
                action="compliance.alert",
                subject_type="work_item",
                subject_id=str(item.id),
                payload={"finding_id": row.id, "dedupe_key": key},
            )
    return new, alerts


def run_scan(session: Session, ruleset: RuleSet, today: dt.date, actor: str) -> ScanReport:
    checked, findings, skipped = contract_findings(session, ruleset)
    history_keys, found = history_findings(session, ruleset, today)
    findings += found
    new, alerts = raise_findings(session, findings, actor)
    by_code = dict(Counter(f.code for f in findings))
    audit.append(
        session,
        actor=actor,
        action="compliance.scan",
        subject_type="scan",
        subject_id=today.isoformat(),
        payload={
            "contracts": checked,
            "findings": len(findings),
            "new": new,
            "alerts": alerts,
            "by_code": by_code,
            "skipped": skipped,
        },
    )
    log.info("compliance scan: %d contracts, %d findings, %d new", checked, len(findings), new)
    return ScanReport(
        contracts_checked=checked,
        history_rules_run=history_keys,
        findings=findings,
        new_findings=new,
        alerts_raised=alerts,
        by_code=by_code,
        skipped=skipped,
    )
