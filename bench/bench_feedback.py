"""The README's feedback figures: manager metrics on the demo world, the feedback eval, latencies.

Loads the demo world into a scratch SQLite file, prints the manager's numbers for 2026-Q3 and
2026-11 (overall and by region), scans the seeded history for patterns (must raise nothing new),
times a visit + 3 answers through the service, and runs the `feedback` eval suite.

    .venv/bin/python bench/bench_feedback.py [--json]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from evals.runner import load_cases
from evals.suites.feedback import SUITE, build_worlds, run_case
from knowledge.store.db import make_engine, make_session_factory
from tools.analytics.metrics import Metrics, MetricsService
from tools.feedback.service import FeedbackService

TODAY = dt.date(2026, 11, 30)


def _row(key: str, m: Metrics) -> dict[str, Any]:
    return {
        "scope": key,
        "adoption_rate": m.adoption_rate,
        "adopted/judged": f"{m.recommendations['adopted']}/{m.recommendations['judged']}",
        "closure_rate": m.closure_rate,
        "closed/created": f"{m.tasks_closed}/{m.tasks_created}",
        "median_response_hours": m.median_response_hours,
        "feedback_density": m.feedback_density,
        "answers/visits": f"{m.answers}/{m.visits}",
        "strategy_iteration_frequency": m.strategy_iteration_frequency,
        "open_escalations": len(m.open_escalations),
    }


def _fmt(v: Any) -> str:
    if isinstance(v, float):
        return f"{v:.3f}"
    return "n/a" if v is None else str(v)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    out: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="bench-feedback-") as tmp:
        workdir = Path(tmp)
        started = time.perf_counter()
        worlds = build_worlds(workdir)
        out["world_build_s"] = round(time.perf_counter() - started, 2)
        engine = make_engine(f"sqlite:///{worlds['demo']}")
        factory = make_session_factory(engine)
        metrics = MetricsService(factory, TODAY)
        tables: dict[str, list[dict[str, Any]]] = {}
        for label in ("2026-Q3", "2026-11"):
            p = metrics.period(label)
            started = time.perf_counter()
            overall = metrics.metrics(p.start, p.end)
            out[f"metrics_ms_{label}"] = round((time.perf_counter() - started) * 1000, 1)
            rows = [_row("all", overall)]
            rows += [_row(r.key, r.metrics) for r in metrics.breakdown(p.start, p.end, "region")]
            tables[label] = rows
        out["metrics"] = tables
        feedback = FeedbackService(factory, TODAY)
        out["scan_new_escalations"] = sum(e.created for e in feedback.scan_patterns(actor="bench"))
        latencies = []
        for i in range(20):
            started = time.perf_counter()
            rec = feedback.record_visit(customer="H-GD-001", visit_date=TODAY, note=f"bench visit {i}")
            feedback.answer(rec.visit_id, {q.id: q.options[-1].id for q in rec.questions})
            latencies.append((time.perf_counter() - started) * 1000)
        out["visit_and_3_answers_ms_median"] = round(statistics.median(latencies), 1)
        engine.dispose()
        cases = load_cases(SUITE.default_dataset)
        started = time.perf_counter()
        results = [run_case(c, worlds, workdir, TODAY) for c in cases]
        out["eval"] = {
            "cases": len(results),
            "passed": sum(r.passed for r in results),
            "route_accuracy": sum(r.scores.get("route_ok", 0.0) for r in results) / len(results),
            "escalation_accuracy": sum(r.scores.get("escalation_ok", 0.0) for r in results) / len(results),
            "seconds": round(time.perf_counter() - started, 1),
        }
    if args.json:
        print(json.dumps(out, ensure_ascii=False, indent=2))
        return
    for label, rows in out["metrics"].items():
        print(f"\n{label}")
        cols = list(rows[0])
        print(" | ".join(cols))
        for r in rows:
            print(" | ".join(_fmt(r[c]) for c in cols))
    for key in ("scan_new_escalations", "visit_and_3_answers_ms_median", "world_build_s"):
        print(f"{key}: {out[key]}")
    print(f"eval: {out['eval']}")


if __name__ == "__main__":
    main()
