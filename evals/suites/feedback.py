"""Feedback suite: post-visit answers in, work-item routes and escalations out.

Each case runs on a private copy of the demo world: `world: "clean"` (the demo world with no visit
feedback history) or `world: "demo"` (with the seeded history, incl. the Shandong contract run and
its escalation). Steps record visits and submit answers through the real `FeedbackService`; the
case then compares the work items created during the case with the expected ones, as multisets:
routes by (workbench, owner, theme, sla_hours), escalations by (workbench, owner, theme, scope,
rule, count). Every case ends with a full pattern scan that must raise nothing new (an escalation
is raised exactly once). Case form: evals/README.md, section "feedback".
Metrics: route_accuracy, escalation_accuracy (share of cases whose routes / escalations are
exactly right) and pass_rate; every threshold is 1.0.
"""

from __future__ import annotations

import datetime as dt
import shutil
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any

from sqlalchemy import delete, func, select

from copilot.runtime import Runtime
from evals.registry import DATASETS, CaseResult, Suite, SuiteReport, report_from_results
from knowledge.store.db import SessionFactory, make_engine, make_session_factory, transaction
from knowledge.store.models import FeedbackAnswer, Visit, WorkItem
from knowledge.store.schema import migrate
from tools.feedback.service import FeedbackService

THRESHOLDS = {"route_accuracy": 1.0, "escalation_accuracy": 1.0, "pass_rate": 1.0}
START = dt.datetime(2026, 11, 30, 2, 0, tzinfo=dt.UTC)  # 10:00 in Shanghai on the demo date


class _Clock:
    def __init__(self) -> None:
        self.current = START

    def __call__(self) -> dt.datetime:
        self.current += dt.timedelta(minutes=1)
        return self.current


def build_worlds(workdir: Path) -> dict[str, Path]:
    """SQLite files of the demo world, with and without its feedback history."""
    from knowledge.seed.loader import load_demo

    demo = workdir / "demo.db"
    engine = make_engine(f"sqlite:///{demo}")
    migrate(engine)
    load_demo(make_session_factory(engine))
    engine.dispose()
    clean = workdir / "clean.db"
    shutil.copy(demo, clean)
    engine = make_engine(f"sqlite:///{clean}")
    with transaction(make_session_factory(engine)) as s:
        for model in (WorkItem, FeedbackAnswer, Visit):
            s.execute(delete(model))
    engine.dispose()
    return {"demo": demo, "clean": clean}


def _route_key(r: dict[str, Any]) -> tuple[Any, ...]:
    return (r["workbench"], r.get("owner"), r["theme"], float(r["sla_hours"]))


def _esc_key(e: dict[str, Any]) -> tuple[Any, ...]:
    return (e["workbench"], e.get("owner"), e["theme"], e["scope"], e["rule"], int(e["count"]))


def _created_items(factory: SessionFactory, after_id: int) -> tuple[Counter[Any], Counter[Any]]:
    routes: Counter[Any] = Counter()
    escalations: Counter[Any] = Counter()
    with factory() as s:
        for item in s.execute(select(WorkItem).where(WorkItem.id > after_id)).scalars():
            body = item.body or {}
            if item.kind == "feedback_route":
                hours = (item.sla_due - item.created_at).total_seconds() / 3600 if item.sla_due else 0.0
                routes[(item.workbench, item.owner_id, body.get("theme"), hours)] += 1
            elif item.kind == "escalation":
                scope = (
                    body.get("scope_value")
                    if body.get("scope") == "region"
                    else f"team-{body.get('scope_value')}"
                )
                escalations[
                    (
                        item.workbench,
                        item.owner_id,
                        body.get("theme"),
                        scope,
                        body.get("rule"),
                        body.get("count"),
                    )
                ] += 1
    return routes, escalations


def _run_steps(service: FeedbackService, clock: _Clock, steps: list[dict[str, Any]]) -> None:
    for step in steps:
        if step.get("at"):
            clock.current = dt.datetime.fromisoformat(step["at"])
        for i in range(int(step.get("times", 1))):
            v = step["visit"]
            day = dt.date.fromisoformat(v["date"]) + dt.timedelta(days=i)
            note = v.get("note", "") + (f" #{i + 1}" if int(step.get("times", 1)) > 1 else "")
            rec = service.record_visit(
                customer=v["customer"],
                rep=v.get("rep"),
                visit_date=day,
                people_met=v.get("met", []),
                note=note,
                product=v.get("product"),
            )
            for _ in range(2 if step.get("resubmit") else 1):
                service.answer(rec.visit_id, step["answers"])


def run_case(case: dict[str, Any], worlds: dict[str, Path], workdir: Path, today: dt.date) -> CaseResult:
    path = workdir / f"case-{case['id']}.db"
    shutil.copy(worlds[case.get("world", "clean")], path)
    engine = make_engine(f"sqlite:///{path}")
    factory = make_session_factory(engine)
    clock = _Clock()
    service = FeedbackService(factory, today, clock=clock)
    scores = {"route_ok": 0.0, "escalation_ok": 0.0}
    try:
        with factory() as s:
            after = s.scalar(select(func.coalesce(func.max(WorkItem.id), 0))) or 0
        expect = case.get("expect", {})
        try:
            _run_steps(service, clock, case.get("steps", []))
            error = None
        except (ValueError, LookupError, PermissionError) as exc:
            error = str(exc)
        if expect.get("error"):
            if error is None or expect["error"] not in error:
                return CaseResult(
                    str(case["id"]), False, f"expected error {expect['error']!r}, got {error!r}", scores
                )
        elif error is not None:
            return CaseResult(str(case["id"]), False, f"unexpected error: {error}", scores)
        rescan = service.scan_patterns(actor="eval")
        routes, escalations = _created_items(factory, after)
        want_routes = Counter(_route_key(r) for r in expect.get("routes", []))
        want_esc = Counter(_esc_key(e) for e in expect.get("escalations", []))
        reasons = []
        if routes == want_routes:
            scores["route_ok"] = 1.0
        else:
            reasons.append(
                f"routes: missing {dict(want_routes - routes)}, unexpected {dict(routes - want_routes)}"
            )
        if escalations == want_esc and not any(e.created for e in rescan):
            scores["escalation_ok"] = 1.0
        else:
            reasons.append(
                f"escalations: missing {dict(want_esc - escalations)}, unexpected {dict(escalations - want_esc)}"
                + (f", raised again by a scan: {[e.dedupe_key for e in rescan]}" if rescan else "")
            )
        return CaseResult(str(case["id"]), not reasons, "; ".join(reasons), scores)
    finally:
        engine.dispose()
        path.unlink(missing_ok=True)


def run(cases: list[dict[str, Any]], runtime: Runtime) -> SuiteReport:
    today = runtime.today()
    with tempfile.TemporaryDirectory(prefix="eval-feedback-") as tmp:
        workdir = Path(tmp)
        worlds = build_worlds(workdir)
        results = [run_case(c, worlds, workdir, today) for c in cases]
    n = len(results) or 1
    metrics = {
        "route_accuracy": sum(r.scores.get("route_ok", 0.0) for r in results) / n,
        "escalation_accuracy": sum(r.scores.get("escalation_ok", 0.0) for r in results) / n,
    }
    return report_from_results("feedback", results, THRESHOLDS, metrics)


SUITE = Suite(name="feedback", default_dataset=DATASETS / "feedback.jsonl", thresholds=THRESHOLDS, run=run)
