"""Compliance suite: labelled contracts in, the exact set of finding codes out.

Each case's contract goes through validation, fact building and the shipped active contract and
gift rules (the same path as `copilot compliance check`, without the audit record), against the
reference data of the demo world (gift catalogue, customers' provinces) in a private SQLite copy,
so the score depends neither on the user's database nor on rules a company added.
Metrics over finding codes: recall (threshold 1.0), precision (threshold 0.98) and pass_rate
(share of cases whose code set is exactly right). Case form: evals/README.md, section "compliance".
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from copilot.runtime import Runtime
from evals.registry import DATASETS, CaseResult, Suite, SuiteReport, report_from_results
from knowledge.store.db import make_engine, make_session_factory
from knowledge.store.schema import migrate
from tools.compliance.engine import RuleSet
from tools.compliance.facts import ReferenceData, contract_facts
from tools.compliance.rulestore import shipped_rules
from tools.compliance.schema import CONTRACT_SCOPES, RuleStatus
from tools.compliance.validation import ContractValidationError, validate_contract

THRESHOLDS = {"recall": 1.0, "precision": 0.98}


def demo_reference() -> ReferenceData:
    """The demo world's catalogue, customers and products, loaded into a throw-away database."""
    from knowledge.seed.loader import load_demo

    with tempfile.TemporaryDirectory(prefix="eval-compliance-") as tmp:
        engine = make_engine(f"sqlite:///{Path(tmp) / 'demo.db'}")
        migrate(engine)
        factory = make_session_factory(engine)
        load_demo(factory)
        with factory() as session:
            ref = ReferenceData.load(session)
        engine.dispose()
    return ref


def run(cases: list[dict[str, Any]], runtime: Runtime) -> SuiteReport:
    ref = demo_reference()
    docs = [d for d in shipped_rules() if d.status is RuleStatus.ACTIVE and d.applies_to in CONTRACT_SCOPES]
    ruleset = RuleSet(docs)
    tp = fp = fn = 0
    results: list[CaseResult] = []
    for case in cases:
        expected = set(case.get("expect", {}).get("findings", []))
        try:
            contract = validate_contract(case["contract"], ref)
        except ContractValidationError as exc:
            fn += len(expected)
            results.append(CaseResult(case["id"], False, f"rejected as invalid: {exc}"))
            continue
        findings, _ = ruleset.evaluate_contract(contract_facts(contract, ref), contract.signed_on)
        got = {f.code for f in findings}
        tp += len(got & expected)
        fp += len(got - expected)
        fn += len(expected - got)
        reason = "" if got == expected else f"missed {sorted(expected - got)}, extra {sorted(got - expected)}"
        results.append(CaseResult(case["id"], got == expected, reason))
    metrics = {
        "recall": tp / (tp + fn) if tp + fn else 1.0,
        "precision": tp / (tp + fp) if tp + fp else 1.0,
    }
    return report_from_results("compliance", results, THRESHOLDS, metrics)


SUITE = Suite(
    name="compliance", default_dataset=DATASETS / "compliance.jsonl", thresholds=THRESHOLDS, run=run
)
