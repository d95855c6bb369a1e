"""Explicit registry of eval suites. A suite scores a list of cases and says whether it passes.

Each suite lives in `evals/suites/<name>.py` and exposes `SUITE: Suite`; add its module to
`SUITE_MODULES` below. Tests can register fakes with `register`.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from copilot.runtime import Runtime

DATASETS = Path(__file__).with_name("datasets")

SUITE_MODULES = [
    "evals.suites.chat",
    "evals.suites.injection",
    "evals.suites.retrieval",
    "evals.suites.battle_pack",
    "evals.suites.compliance",
    "evals.suites.feedback",
]


@dataclass
class CaseResult:
    id: str
    passed: bool
    reason: str = ""
    scores: dict[str, float] = field(default_factory=dict)


@dataclass
class SuiteReport:
    suite: str
    cases: int
    passed: int
    metrics: dict[str, float]
    thresholds: dict[str, float]
    failures: list[CaseResult]

    @property
    def ok(self) -> bool:
        return all(self.metrics.get(k, 0.0) >= v for k, v in self.thresholds.items())

    def as_dict(self) -> dict[str, Any]:
        return {
            "cases": self.cases,
            "passed": self.passed,
            "ok": self.ok,
            "metrics": self.metrics,
            "thresholds": self.thresholds,
        }


@dataclass(frozen=True)
class Suite:
    """`run(cases, runtime)` scores every case; metrics are compared with `thresholds` (>=)."""

    name: str
    default_dataset: Path
    thresholds: dict[str, float]
    run: Callable[[list[dict[str, Any]], Runtime], SuiteReport]


_SUITES: dict[str, Suite] = {}


def register(suite: Suite) -> None:
    _SUITES[suite.name] = suite


def suites() -> dict[str, Suite]:
    """Every registered suite (imports the suite modules on first call)."""
    for name in SUITE_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
            continue
        suite = getattr(module, "SUITE", None)
        if suite is not None and suite.name not in _SUITES:
            register(suite)
    return dict(_SUITES)


def report_from_results(
    suite: str,
    results: list[CaseResult],
    thresholds: dict[str, float],
    metrics: dict[str, float] | None = None,
) -> SuiteReport:
    """The common case: metric `pass_rate` plus whatever the suite computed."""
    passed = sum(r.passed for r in results)
    all_metrics = {"pass_rate": passed / len(results) if results else 0.0, **(metrics or {})}
    return SuiteReport(
        suite=suite,
        cases=len(results),
        passed=passed,
        metrics=all_metrics,
        thresholds=thresholds,
        failures=[r for r in results if not r.passed],
    )
