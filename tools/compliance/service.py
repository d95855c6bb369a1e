"""ComplianceService: the one object the CLI, the API and the agents use for compliance.

It owns the compiled active rules (recompiled only when the rule table changes), checks contracts,
scans history, builds the heat map and alert list, and hands out the guard. Rule authoring lives
in `authoring.RuleAuthoring`, reachable as `service.rules`.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from knowledge.store import audit
from knowledge.store.db import SessionFactory, transaction
from knowledge.store.models import Contract
from tools.common import NotFoundError
from tools.compliance.authoring import RuleAuthoring
from tools.compliance.engine import RuleSet
from tools.compliance.facts import ReferenceData, contract_facts, contract_from_record
from tools.compliance.guard import Guard
from tools.compliance.guard_holds import approve_hold, hold_status
from tools.compliance.heatmap import build_heatmap, list_alerts
from tools.compliance.models import Alert, ComplianceReport, Finding, Heatmap, HoldStatus, ScanReport
from tools.compliance.rulestore import RuleRepository, ensure_rules
from tools.compliance.scan import contract_findings, history_findings, run_scan
from tools.compliance.validation import validate_contract

log = logging.getLogger(__name__)

REFERENCE_TTL_S = 30.0  # how long a catalogue or product change may take to reach checks
RULES_TTL_S = 2.0  # how long a rule change made by another worker may take to reach checks


class ComplianceService:
    def __init__(self, session_factory: SessionFactory, today: dt.date) -> None:
        self._sf = session_factory
        self.today = today
        self.rules = RuleAuthoring(session_factory, today)
        self.guard = Guard(session_factory, self.active_rules, today)
        self._lock = threading.Lock()
        self._cached: tuple[tuple[tuple[str, int, str], ...], RuleSet] | None = None
        self._seeded = False
        self._reference: tuple[float, ReferenceData] | None = None
        self._checked_at = float("-inf")
        self.rules.on_change = self._rules_changed

    def _ensure(self) -> None:
        if self._seeded:
            return
        try:
            with transaction(self._sf) as session:
                ensure_rules(session)
        except IntegrityError:  # another worker loaded them at the same moment
            log.info("shipped rules were loaded concurrently")
        self._seeded = True

    def active_rules(self, session: Session | None = None) -> RuleSet:
        """The compiled active rules; recompiled when a version is added or changes status. The
        table is re-read at most every RULES_TTL_S (changes made through `self.rules` at once)."""
        self._ensure()
        now = time.monotonic()
        with self._lock:
            if self._cached is not None and now - self._checked_at < RULES_TTL_S:
                return self._cached[1]
        if session is None:
            with self._sf() as own:
                return self.active_rules(own)
        repo = RuleRepository(session)
        fingerprint = repo.fingerprint()
        with self._lock:
            if self._cached is None or self._cached[0] != fingerprint:
                self._cached = (fingerprint, RuleSet(repo.active_docs()))
            self._checked_at = now
            return self._cached[1]

    def _rules_changed(self) -> None:
        with self._lock:
            self._checked_at = float("-inf")

    def reference(self, session: Session, customer_id: Any) -> ReferenceData:
        """Catalogue and products cached for REFERENCE_TTL_S (they change rarely); the customer is
        read on every check, so a new hospital can be checked at once."""
        now = time.monotonic()
        with self._lock:
            cached = self._reference
        if cached is None or now - cached[0] > REFERENCE_TTL_S:
            cached = (now, ReferenceData.load(session, []))
            with self._lock:
                self._reference = cached
        ref = ReferenceData(catalogue=cached[1].catalogue, products=cached[1].products)
        if isinstance(customer_id, str):
            ref.customers = ReferenceData.load_customers(session, [customer_id])
        return ref

    def _evaluate(self, session: Session, payload: Any) -> ComplianceReport:
        ref = self.reference(session, payload.get("customer_id") if isinstance(payload, dict) else None)
        contract = validate_contract(payload, ref)
        facts = contract_facts(contract, ref)
        findings, keys = self.active_rules(session).evaluate_contract(facts, contract.signed_on)
        return ComplianceReport(
            contract_id=contract.contract_id,
            customer_id=contract.customer_id,
            province=facts["province"],
            signed_on=contract.signed_on,
            passed=not findings,
            findings=findings,
            rules_evaluated=keys,
        )

    def evaluate_contract(self, payload: Any) -> ComplianceReport:
        """The report without recording anything (evals, previews). Raises ContractValidationError."""
        with self._sf() as session:
            return self._evaluate(session, payload)

    def check_contract(self, payload: Any, actor: str) -> ComplianceReport:
        """The report, with the check and each finding appended to the audit log; a malformed
        contract raises ContractValidationError before anything is written."""
        with transaction(self._sf) as session:
            report = self._evaluate(session, payload)
            entries: list[dict[str, Any]] = [
                {
                    "actor": actor,
                    "action": "compliance.check",
                    "subject_type": "contract",
                    "subject_id": report.contract_id,
                    "payload": {
                        "passed": report.passed,
                        "codes": [f.code for f in report.findings],
                        "rules": report.rules_evaluated,
                    },
                }
            ]
            entries += [
                {
                    "actor": actor,
                    "action": "compliance.finding",
                    "subject_type": "contract",
                    "subject_id": report.contract_id,
                    "payload": {
                        "code": f.code,
                        "rule": f"{f.rule_id}@{f.rule_version}",
                        "risk": f.risk.value,
                        "check_mode": f.check_mode.value,
                        "evidence": f.evidence,
                    },
                }
                for f in report.findings
            ]
            audit.append_many(session, entries)
            return report

    def stored_contract(self, contract_id: str) -> dict[str, Any]:
        """A stored contract (lines, gifts, attachments) as a check payload, so chat can check
        "C-2026-0311" by id; NotFoundError when no contract has that id."""
        options = [
            selectinload(Contract.lines),
            selectinload(Contract.gifts),
            selectinload(Contract.attachments),
        ]
        with self._sf() as session:
            record = session.get(Contract, contract_id.strip().upper(), options=options)
            if record is None:
                raise NotFoundError("contract", contract_id)
            return contract_from_record(record).model_dump(mode="json")

    def current_findings(self) -> list[Finding]:
        """What the active rules flag over stored contracts and history today, recording nothing:
        answers a question without depending on whether `scan` (which raises alerts) has run."""
        with self._sf() as session:
            ruleset = self.active_rules(session)
            _, found, _ = contract_findings(session, ruleset)
            _, history = history_findings(session, ruleset, self.today)
        return found + history

    def scan(self, actor: str) -> ScanReport:
        with transaction(self._sf) as session:
            return run_scan(session, self.active_rules(session), self.today, actor)

    def heatmap(self, since: dt.date | None = None, until: dt.date | None = None, weeks: int = 52) -> Heatmap:
        until = until or self.today
        since = since or until - dt.timedelta(weeks=weeks)
        with self._sf() as session:
            return build_heatmap(session, since, until)

    def alerts(self, status: str | None = None, limit: int = 200) -> list[Alert]:
        with self._sf() as session:
            return list_alerts(session, status, limit)

    def hold_status(self, hold_id: str) -> HoldStatus:
        with self._sf() as session:
            return hold_status(session, hold_id)

    def approve_hold(self, hold_id: str, approver: str, role: str) -> HoldStatus:
        with transaction(self._sf) as session:
            return approve_hold(session, hold_id, approver, role)
