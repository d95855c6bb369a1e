"""The compliance eval suite scores the shipped rules and notices a wrong label."""

from __future__ import annotations

import copy
from typing import Any

from evals.runner import load_cases
from evals.suites.compliance import SUITE


def test_dataset_meets_thresholds_and_covers_the_edges() -> None:
    cases = load_cases(SUITE.default_dataset)
    assert len(cases) >= 100
    ids = {c["id"] for c in cases}
    assert {
        "ratio-00",
        "ratio-01",
        "ratio-several-exact",
        "name-ok-04",
        "multi-all-four",
        "clean-0501",
    } <= ids
    report = SUITE.run(cases, None)  # type: ignore[arg-type]  # the suite needs no runtime
    assert report.ok and report.metrics["recall"] == 1.0 and report.metrics["precision"] >= 0.98, (
        report.failures
    )


def test_a_wrong_label_lowers_the_score() -> None:
    cases: list[dict[str, Any]] = copy.deepcopy(load_cases(SUITE.default_dataset)[:10])
    cases[0]["expect"]["findings"] = ["gift_ratio_exceeded"]  # an exactly-3% case labelled as flagged
    cases[1]["expect"]["findings"] = []
    report = SUITE.run(cases, None)  # type: ignore[arg-type]
    assert not report.ok and report.metrics["recall"] < 1.0 and report.metrics["precision"] < 1.0
    assert {f.id for f in report.failures} == {cases[0]["id"], cases[1]["id"]}
