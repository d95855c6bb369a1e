"""Trying a rule before it goes live: its own examples, and a simulation over recent history.

Both evaluate the rule version exactly as `check` and `scan` would, but store nothing, so a draft
can be run as often as its author likes.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from knowledge.store.models import ComplianceFinding, Contract
from tools.compliance.engine import CompiledRule, RuleError, RuleSet
from tools.compliance.facts import ReferenceData, contract_facts, contract_from_record
from tools.compliance.guard import answer_facts
from tools.compliance.models import ExampleResult, ExamplesReport, SimulationReport
from tools.compliance.scan import history_subjects
from tools.compliance.schema import (
    CONTRACT_SCOPES,
    HISTORY_SCOPES,
    AppliesTo,
    AutoAction,
    Bilingual,
    Example,
    RuleDoc,
)
from tools.compliance.validation import ContractValidationError, validate_contract

_NOUNS = {
    "contract": ("份合同", "contracts"),
    "rebate_programme": ("个返利计划", "rebate programmes"),
    "region_quarter": ("个区域季度", "region-quarters"),
}


def _plain(value: dict[str, Any]) -> dict[str, Any]:
    """YAML gives dates as date objects; rules see JSON, as they do at run time."""
    return dict(json.loads(json.dumps(value, default=str)))


def example_facts(doc: RuleDoc, example: Example, ref: ReferenceData) -> dict[str, Any]:
    data = _plain(example.input)
    if doc.applies_to in CONTRACT_SCOPES:
        return contract_facts(validate_contract(data), ref, province=example.province)
    if doc.applies_to is AppliesTo.ANSWER:
        text = str(data.pop("text", ""))
        return answer_facts(text, {"channel": "answer", **data})
    return data


def run_examples(session: Session, doc: RuleDoc) -> ExamplesReport:
    rule = RuleSet([doc]).rules[0]
    ref = ReferenceData.load(session)
    results = []
    cases = [("flag", e) for e in doc.examples.flag] + [("pass", e) for e in doc.examples.pass_]
    for expected, example in cases:
        try:
            facts = example_facts(doc, example, ref)
            flagged, scope = rule.test(facts)
            if flagged:  # evidence and messages must evaluate too, not only the condition
                rule.finding(scope, subject_type="example", subject_id=example.name)
        except (ContractValidationError, RuleError) as exc:
            results.append(
                ExampleResult(name=example.name, expected=expected, flagged=False, ok=False, detail=str(exc))
            )
            continue
        ok, detail = flagged == (expected == "flag"), ""
        redacts = doc.auto_action is AutoAction.REDACT
        if (
            ok
            and flagged
            and redacts
            and not any(re.search(rx, facts["text"]) for rx, _ in doc.redact_regexes())
        ):
            ok, detail = False, "the condition flags it but no redact pattern matches"
        results.append(
            ExampleResult(name=example.name, expected=expected, flagged=flagged, ok=ok, detail=detail)
        )
    return ExamplesReport(
        rule_id=doc.id, version=doc.version, ok=bool(results) and all(r.ok for r in results), results=results
    )


def _contract_flags(
    session: Session, rules: list[CompiledRule], since: dt.date, today: dt.date
) -> list[set[str]]:
    ref = ReferenceData.load(session)
    query = (
        select(Contract)
        .options(
            selectinload(Contract.lines), selectinload(Contract.gifts), selectinload(Contract.attachments)
        )
        .where(Contract.signed_on.between(since, today))
    )
    flagged: list[set[str]] = [set() for _ in rules]
    checked: set[str] = set()
    for record in session.execute(query).scalars():
        try:
            contract = contract_from_record(record)
        except ValueError:
            continue
        checked.add(record.id)
        facts = contract_facts(contract, ref)
        for i, rule in enumerate(rules):
            if rule.doc.in_force(contract.signed_on) and rule.test(facts)[0]:
                flagged[i].add(record.id)
    return [checked, *flagged]


def _history_flags(
    session: Session, rules: list[CompiledRule], since: dt.date, today: dt.date
) -> list[set[str]]:
    out: list[set[str]] = []
    checked: set[str] = set()
    for rule in rules:
        subjects = history_subjects(session, rule, today, since)
        checked |= {s.subject_id for s in subjects}
        out.append(
            {s.subject_id for s in subjects if rule.doc.in_force(s.occurred_on) and rule.test(s.facts)[0]}
        )
    return [checked, *out]


def simulate(
    session: Session, doc: RuleDoc, active: RuleDoc | None, today: dt.date, days: int
) -> SimulationReport:
    """Subjects the version would flag over the last `days` days; 'new' ones are flagged neither by
    the active version nor by an existing finding."""
    if doc.applies_to not in CONTRACT_SCOPES | HISTORY_SCOPES:
        raise ValueError("answer rules are tried with their examples; there is no stored answer history")
    since = today - dt.timedelta(days=days)
    docs = [doc] + ([active] if active is not None else [])
    rules = RuleSet(docs).rules
    runner = _contract_flags if doc.applies_to in CONTRACT_SCOPES else _history_flags
    checked, flagged, *rest = runner(session, rules, since, today)
    baseline = rest[0] if rest else set()
    known = set(
        session.execute(
            select(ComplianceFinding.subject_id).where(ComplianceFinding.code == doc.code)
        ).scalars()
    )
    new = sorted(flagged - baseline - known)
    subject_type = (
        "contract"
        if doc.applies_to in CONTRACT_SCOPES
        else ("rebate_programme" if doc.applies_to is AppliesTo.REBATE else "region_quarter")
    )
    zh_noun, en_noun = _NOUNS[subject_type]
    return SimulationReport(
        rule_id=doc.id,
        version=doc.version,
        days=days,
        since=since,
        until=today,
        subject_type=subject_type,
        checked=len(checked),
        flagged=len(flagged),
        new=len(new),
        flagged_ids=sorted(flagged),
        new_ids=new,
        summary=Bilingual(
            zh=f"过去 {days} 天内将标记 {len(flagged)} {zh_noun}，其中 {len(new)} 个为新增",
            en=f"would flag {len(flagged)} {en_noun}, {len(new)} new (last {days} days)",
        ),
    )
