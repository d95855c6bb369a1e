"""Retrieval suite: does the knowledge base put the right document in the top 5, for every role?

Cases carry `query`, `role`, `relevant` (document ids that answer it) and optionally `forbidden`
(documents the role must never see). Metrics: recall@5 and MRR over the relevance cases (a document
counts once, at the rank of its best chunk), hit@5, and `visibility`, the share of cases where no
forbidden document came back. The suite seeds the demo documents first (idempotent, so a second
run embeds nothing) and scores the runtime's knowledge base as configured.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from copilot.runtime import Runtime
from evals.registry import DATASETS, CaseResult, Suite, SuiteReport, report_from_results

if TYPE_CHECKING:
    from knowledge.docs.kb import KnowledgeBase, Mode

THRESHOLDS = {"recall_at_5": 0.90, "mrr": 0.75, "visibility": 1.0}
K = 5
DEPTH = 10  # ranks looked at for MRR and for forbidden documents


def ranked_docs(kb: KnowledgeBase, query: str, role: str, mode: Mode | None = None) -> list[str]:
    """Distinct document ids in rank order of their best chunk."""
    hits = kb.search(query, role, k=DEPTH * 2, mode=mode)
    return list(dict.fromkeys(h.doc_id for h in hits))[:DEPTH]


def score_case(case: dict[str, Any], docs: Sequence[str]) -> CaseResult:
    relevant = list(case.get("relevant") or [])
    forbidden = set(case.get("forbidden") or [])
    leaked = sorted(forbidden.intersection(docs))
    scores: dict[str, float] = {"visible_ok": 0.0 if leaked else 1.0}
    reasons = [f"leaked {leaked}"] if leaked else []
    if relevant:
        top = docs[:K]
        found = [d for d in relevant if d in top]
        scores["recall_at_5"] = len(found) / min(len(relevant), K)
        scores["hit_at_5"] = 1.0 if found else 0.0
        first = next((i for i, d in enumerate(docs, start=1) if d in relevant), None)
        scores["rr"] = 1.0 / first if first else 0.0
        if not found:
            reasons.append(f"no relevant doc in top {K}: wanted {relevant}, got {list(top)}")
    passed = not reasons
    return CaseResult(id=str(case["id"]), passed=passed, reason="; ".join(reasons), scores=scores)


def metrics(results: Sequence[CaseResult], cases: Sequence[dict[str, Any]]) -> dict[str, float]:
    rel = [r for r in results if "recall_at_5" in r.scores]
    out = {
        "recall_at_5": _mean(r.scores["recall_at_5"] for r in rel),
        "mrr": _mean(r.scores["rr"] for r in rel),
        "hit_at_5": _mean(r.scores["hit_at_5"] for r in rel),
        "visibility": _mean(r.scores["visible_ok"] for r in results),
    }
    lang = {str(c["id"]): str(c.get("lang", "")) for c in cases}
    for code in ("zh", "en"):
        sub = [r for r in rel if lang.get(r.id) == code]
        if sub:
            out[f"recall_at_5_{code}"] = _mean(r.scores["recall_at_5"] for r in sub)
            out[f"mrr_{code}"] = _mean(r.scores["rr"] for r in sub)
    return out


def _mean(values: Any) -> float:
    items = list(values)
    return sum(items) / len(items) if items else 0.0


def evaluate(kb: KnowledgeBase, cases: list[dict[str, Any]], mode: Mode | None = None) -> SuiteReport:
    """Score `cases` against `kb` (used by the suite and by bench/bench_retrieval_eval.py)."""
    results = [
        score_case(c, ranked_docs(kb, str(c["query"]), str(c.get("role", "rep")), mode)) for c in cases
    ]
    return report_from_results("retrieval", results, THRESHOLDS, metrics(results, cases))


def run(cases: list[dict[str, Any]], runtime: Runtime) -> SuiteReport:
    runtime.seed_documents()
    return evaluate(runtime.kb, cases)


SUITE = Suite(
    name="retrieval",
    default_dataset=DATASETS / "retrieval.jsonl",
    thresholds=THRESHOLDS,
    run=run,
)
