"""Loads JSONL datasets, hands each suite its cases, and builds the scorecard."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from copilot.runtime import Runtime
from evals.registry import SuiteReport, suites


class DatasetError(ValueError):
    """A dataset file is missing or holds a line that is not a JSON case."""


def load_cases(path: Path) -> list[dict[str, Any]]:
    if not path.is_file():
        raise DatasetError(f"dataset not found: {path}")
    cases: list[dict[str, Any]] = []
    for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            case = json.loads(line)
        except json.JSONDecodeError as exc:
            raise DatasetError(f"{path}:{lineno}: not JSON ({exc.msg})") from exc
        if not isinstance(case, dict) or "id" not in case:
            raise DatasetError(f"{path}:{lineno}: a case must be an object with an 'id'")
        case.setdefault("suite", path.stem)
        cases.append(case)
    return cases


def run(
    runtime: Runtime, suite_names: list[str] | None = None, datasets: list[Path] | None = None
) -> dict[str, SuiteReport]:
    """Run the given datasets (default: each selected suite's own dataset), grouped by suite."""
    registry = suites()
    unknown = [s for s in suite_names or [] if s not in registry]
    if unknown:
        raise DatasetError(f"unknown suite(s) {unknown}; known: {sorted(registry)}")
    if datasets:
        cases = [c for p in datasets for c in load_cases(p)]
    else:
        names = suite_names or sorted(registry)
        cases = [c for n in names for c in load_cases(registry[n].default_dataset)]
    by_suite: dict[str, list[dict[str, Any]]] = {}
    for case in cases:
        if suite_names and case["suite"] not in suite_names:
            continue
        if case["suite"] not in registry:
            raise DatasetError(f"case {case['id']!r} names unknown suite {case['suite']!r}")
        by_suite.setdefault(case["suite"], []).append(case)
    return {name: registry[name].run(group, runtime) for name, group in by_suite.items()}


def summary(reports: dict[str, SuiteReport]) -> dict[str, Any]:
    """The `--json` shape: totals, per-suite scorecards and every failure with its reason."""
    return {
        "cases": sum(r.cases for r in reports.values()),
        "passed": sum(r.passed for r in reports.values()),
        "ok": all(r.ok for r in reports.values()),
        "by_suite": {name: r.as_dict() for name, r in reports.items()},
        "failures": [
            {"id": f.id, "suite": name, "reason": f.reason} for name, r in reports.items() for f in r.failures
        ],
    }
