"""The retrieval suite: its scoring (which must be able to fail) and, slow, the real thing."""

from __future__ import annotations

import json

import pytest

from evals.registry import suites
from evals.suites.retrieval import SUITE, THRESHOLDS, metrics, score_case


def test_the_suite_is_registered_with_its_thresholds() -> None:
    assert suites()["retrieval"] is SUITE
    assert THRESHOLDS["recall_at_5"] == 0.90 and THRESHOLDS["mrr"] == 0.75 and THRESHOLDS["visibility"] == 1.0


def test_dataset_shape() -> None:
    cases = [
        json.loads(line) for line in SUITE.default_dataset.read_text(encoding="utf-8").splitlines() if line
    ]
    relevant = [c for c in cases if c["relevant"]]
    assert len(relevant) >= 80
    assert sum(c["lang"] == "zh" for c in relevant) * 2 >= len(relevant)
    assert any(c.get("forbidden") for c in cases)
    assert len({c["id"] for c in cases}) == len(cases)
    from knowledge.docs.factory import SEED_DOCS

    ids = {
        line.split(": ", 1)[1]
        for p in SEED_DOCS.rglob("*.md")
        for line in p.read_text().splitlines()
        if line.startswith("id: ")
    }
    assert all(set(c["relevant"]) | set(c.get("forbidden", [])) <= ids for c in cases)


def test_scoring_rewards_rank_and_punishes_leaks() -> None:
    first = score_case({"id": "a", "relevant": ["D1"]}, ["D1", "D2"])
    third = score_case({"id": "b", "relevant": ["D1", "D9"]}, ["D2", "D3", "D1", "D4", "D5", "D9"])
    miss = score_case({"id": "c", "relevant": ["D1"]}, ["D2", "D3", "D4", "D5", "D6", "D1"])
    leak = score_case({"id": "d", "relevant": [], "forbidden": ["M"]}, ["D1", "M"])
    assert first.passed and first.scores["rr"] == 1.0 and first.scores["recall_at_5"] == 1.0
    assert third.passed and third.scores["rr"] == pytest.approx(1 / 3) and third.scores["recall_at_5"] == 0.5
    assert not miss.passed and miss.scores["recall_at_5"] == 0.0 and miss.scores["rr"] == pytest.approx(1 / 6)
    assert not leak.passed and "leaked ['M']" in leak.reason
    cases = [{"id": "a", "lang": "zh"}, {"id": "b", "lang": "en"}, {"id": "c", "lang": "zh"}, {"id": "d"}]
    m = metrics([first, third, miss, leak], cases)
    assert m["recall_at_5"] == pytest.approx(0.5) and m["visibility"] == 0.75
    assert m["recall_at_5_zh"] == pytest.approx(0.5) and m["mrr_en"] == pytest.approx(1 / 3)


@pytest.mark.slow
def test_the_default_configuration_meets_the_thresholds() -> None:
    from copilot.config import load_settings
    from copilot.runtime import Runtime
    from evals.runner import run

    runtime = Runtime(load_settings())
    try:
        report = run(runtime, ["retrieval"])["retrieval"]
    finally:
        runtime.close()
    assert report.ok, (report.metrics, [(f.id, f.reason) for f in report.failures])
