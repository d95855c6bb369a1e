"""Chat suite: does a turn reach the right agent(s), and does the answer carry the right facts?

A case: `{"id", "suite": "chat", "input": "..." | ["turn 1", "turn 2", ...], "role": "rep",
"expect": {"agents_any", "agents_all", "tools_any", "contains", "contains_any", "not_contains"}}`.
A list input is one thread; only the last turn's answer is scored. `contains` entries must all
appear in the answer, compared case-insensitively with spaces and thousands separators removed
(so "5600" matches "5,600 元"). Metrics: `routing` (agent expectations met) over cases that state
agents, `facts` (contains / contains_any / not_contains met) over cases that state facts, and
`tools` (informative). The demo world and its documents are loaded first when the store is empty.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from copilot.runtime import Runtime
from evals.registry import DATASETS, CaseResult, Suite, SuiteReport, report_from_results

log = logging.getLogger(__name__)

THRESHOLDS = {"routing": 0.95, "facts": 0.90}
_SEP = re.compile(r"(?<=\d)[,，](?=\d{3})")


def norm(text: str) -> str:
    """Case-folded, no whitespace, no thousands separators."""
    return "".join(_SEP.sub("", text).split()).casefold()


def ensure_demo(runtime: Runtime) -> None:
    """Load the demo world and its documents when the store has no customers yet."""
    from sqlalchemy import func, select

    from knowledge.store.models import Customer

    with runtime.session_factory() as s:
        count = s.execute(select(func.count()).select_from(Customer)).scalar_one()
    if count == 0:
        from knowledge.seed.loader import load_demo

        log.info("chat suite: loading the demo world")
        load_demo(runtime.session_factory)
    runtime.seed_documents()


def score(
    expect: dict[str, Any], answer: str, agents: list[str], tools: list[str]
) -> tuple[dict[str, float], list[str]]:
    """Per-dimension scores (1/0) and the reasons for any miss."""
    scores: dict[str, float] = {}
    reasons: list[str] = []
    if "agents_any" in expect or "agents_all" in expect:
        ok = True
        if expect.get("agents_any") and not set(expect["agents_any"]) & set(agents):
            ok = False
        if expect.get("agents_all") and not set(expect["agents_all"]) <= set(agents):
            ok = False
        scores["routing"] = float(ok)
        if not ok:
            reasons.append(
                f"agents {agents}, wanted any {expect.get('agents_any')} all {expect.get('agents_all')}"
            )
    if expect.get("tools_any"):
        ok = bool(set(expect["tools_any"]) & set(tools))
        scores["tools"] = float(ok)
        if not ok:
            reasons.append(f"tools {tools}, wanted any {expect['tools_any']}")
    if any(k in expect for k in ("contains", "contains_any", "not_contains")):
        text = norm(answer)
        missing = [c for c in expect.get("contains", []) if norm(str(c)) not in text]
        any_ok = not expect.get("contains_any") or any(norm(str(c)) in text for c in expect["contains_any"])
        present = [c for c in expect.get("not_contains", []) if norm(str(c)) in text]
        scores["facts"] = float(not missing and any_ok and not present)
        if missing:
            reasons.append(f"missing {missing}")
        if not any_ok:
            reasons.append(f"none of {expect['contains_any']}")
        if present:
            reasons.append(f"must not contain {present}")
    return scores, reasons


def run_case(case: dict[str, Any], runtime: Runtime, chat: Any = None) -> CaseResult:
    from tools.common import Principal, Role

    chat = chat or runtime.chat
    principal = Principal(role=Role(case.get("role", "rep")))
    turns = case["input"] if isinstance(case["input"], list) else [case["input"]]
    thread: str | None = None
    result = None
    for turn in turns:
        result = chat.ask(str(turn), principal, thread)
        thread = result.thread_id
    assert result is not None
    scores, reasons = score(case.get("expect", {}), result.answer, result.agents, result.tools)
    passed = not reasons
    if not passed:
        reasons.append(f"answer: {result.answer[:160]!r}")
    return CaseResult(id=str(case["id"]), passed=passed, reason="; ".join(reasons), scores=scores)


def mean(results: list[CaseResult], key: str) -> float:
    values = [r.scores[key] for r in results if key in r.scores]
    return sum(values) / len(values) if values else 1.0


def run(cases: list[dict[str, Any]], runtime: Runtime) -> SuiteReport:
    """Runs on the runtime's store, KB and models, with an in-memory checkpointer: eval threads do
    not pile up in the user's checkpoint database."""
    from langgraph.checkpoint.memory import InMemorySaver

    from copilot.chat_factory import build_chat_service

    ensure_demo(runtime)
    chat = build_chat_service(runtime, checkpointer=InMemorySaver())
    results = [run_case(c, runtime, chat) for c in cases]
    metrics = {k: mean(results, k) for k in ("routing", "facts", "tools")}
    return report_from_results("chat", results, THRESHOLDS, metrics)


SUITE = Suite(name="chat", default_dataset=DATASETS / "chat.jsonl", thresholds=THRESHOLDS, run=run)
