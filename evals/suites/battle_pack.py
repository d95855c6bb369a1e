"""Battle-pack suite: every pack complete, grounded, in stock, and saying what SCENARIO says.

Packs are built the way `copilot battle-pack` builds them (the fan-out flow, the runtime's model
mode) over a private SQLite copy of the demo world (saving and pushing write there, not to the
user's store) and the runtime's knowledge base with the demo documents. Each case is scored on:
- structure: 3 strategies (title, when, talking points, objection, answer, evidence), 2
  substitutes with products, a clinical table with clinical and economic rows whose every cell has
  sources, sources, the three workbenches pushed to, a compliance status;
- grounding: `tools.battle_pack.grounding.score` re-reads every cited record and chunk and finds
  no unsourced number in the JSON or the Markdown, and every shown calculation is right;
- stock: every product of every combination is at or above its safety stock in the warehouse
  serving the customer, checked against the store (not the pack);
- expectations: `contains`, `substitute_products_any`, `not_substitute_products`.
Case form: evals/README.md, section "battle_pack". Thresholds: every metric 1.0.
"""

from __future__ import annotations

import logging
import re
import tempfile
from pathlib import Path
from typing import Any

from copilot.runtime import Runtime
from evals.registry import DATASETS, CaseResult, Suite, SuiteReport, report_from_results
from knowledge.store.db import SessionFactory, make_engine, make_session_factory
from knowledge.store.models import Customer, Product, Province, Stock
from knowledge.store.schema import migrate

log = logging.getLogger(__name__)

THRESHOLDS = {"structure": 1.0, "grounded": 1.0, "in_stock": 1.0, "expectations": 1.0, "pass_rate": 1.0}
WORKBENCHES = ["sales", "marketing", "medical_affairs"]


def normalize(text: str) -> str:
    """As chat answers are matched: case-insensitive, no spaces, no thousands separators."""
    text = re.sub(r"(?<=\d),(?=\d{3})", "", text.casefold())
    return "".join(text.split())


def structure_problems(pack: dict[str, Any]) -> list[str]:
    problems: list[str] = []
    strategies = pack.get("strategies") or []
    if len(strategies) != 3:
        problems.append(f"{len(strategies)} strategies")
    for i, s in enumerate(strategies):
        missing = [
            k
            for k in ("title", "applies_when", "talking_points", "objection", "answer", "evidence")
            if not s.get(k)
        ]
        if missing:
            problems.append(f"strategy {i} lacks {missing}")
    subs = pack.get("substitutes") or []
    if len(subs) != 2 or not all(s.get("products") for s in subs):
        problems.append(f"{len(subs)} substitutes")
    cc = pack.get("clinical_comparison") or {}
    rows = cc.get("rows") or []
    if not cc.get("competitor_product") or {r.get("kind") for r in rows} != {"clinical", "economic"}:
        problems.append("clinical table needs a competitor and clinical + economic rows")
    if any(not (r["ours"].get("sources") and r["competitor"].get("sources")) for r in rows):
        problems.append("a clinical-table cell has no source")
    if not pack.get("sources"):
        problems.append("no sources")
    if sorted(pack.get("pushed_to") or []) != sorted(WORKBENCHES):
        problems.append(f"pushed to {pack.get('pushed_to')}")
    if (pack.get("compliance") or {}).get("status") in (None, "unchecked"):
        problems.append("compliance not checked")
    return problems


def stock_problems(factory: SessionFactory, pack: dict[str, Any]) -> list[str]:
    """Combinations checked against the store: on hand >= safety stock at the serving warehouse."""
    problems: list[str] = []
    with factory() as s:
        customer = s.get(Customer, pack["customer_id"])
        province = s.get(Province, customer.province) if customer else None
        if province is None:
            return [f"no serving warehouse for {pack['customer_id']}"]
        for sub in pack.get("substitutes") or []:
            for pid in sub["products"]:
                stock, product = s.get(Stock, (province.warehouse_id, pid)), s.get(Product, pid)
                on_hand = stock.on_hand if stock else 0
                if product is None or on_hand < product.safety_stock:
                    problems.append(f"{pid} {on_hand} below safety at {province.warehouse_id}")
    return problems


def expectation_problems(case: dict[str, Any], pack: dict[str, Any], markdown: str) -> list[str]:
    import json

    expect = case.get("expect") or {}
    haystack = normalize(markdown + "\n" + json.dumps(pack, ensure_ascii=False))
    problems = [f"missing {s!r}" for s in expect.get("contains", []) if normalize(str(s)) not in haystack]
    combos = [set(sub["products"]) for sub in pack.get("substitutes") or []]
    wanted = set(expect.get("substitute_products_any") or [])
    if wanted and not any(c & wanted for c in combos):
        problems.append(f"no combination holds any of {sorted(wanted)}")
    banned = set(expect.get("not_substitute_products") or [])
    if any(c & banned for c in combos):
        problems.append(f"a combination holds one of {sorted(banned)}")
    return problems


def _world(workdir: Path) -> SessionFactory:
    from knowledge.seed.loader import load_demo

    engine = make_engine(f"sqlite:///{workdir / 'demo.db'}")
    migrate(engine)
    factory = make_session_factory(engine)
    load_demo(factory)
    return factory


def evaluate(cases: list[dict[str, Any]], runtime: Runtime, workdir: Path) -> SuiteReport:
    from copilot.battle_pack_flow import build_pack
    from tools.battle_pack import BattlePackService
    from tools.battle_pack.grounding import score
    from tools.battle_pack.render_md import render
    from tools.battle_pack.source_text import StoreSourceText, kb_chunk_text
    from tools.common import Principal, Role
    from tools.compliance.service import ComplianceService
    from tools.services import build_services

    factory = _world(workdir)
    today = runtime.today()
    runtime.seed_documents()
    kb = runtime.kb
    services = build_services(factory, today, kb=kb)
    mode = runtime.settings.model_mode.value
    guard = ComplianceService(factory, today).guard
    services.battle_pack = BattlePackService.from_services(services, mode=mode, guard=guard)
    primary = None
    errors: tuple[type[BaseException], ...] = ()
    if mode == "openai":
        from copilot.llm.openai_mode import make_openai, provider_errors

        primary, errors = make_openai(runtime.settings), provider_errors()
    source_text = StoreSourceText(factory, kb_chunk_text(kb))
    principal = Principal(role=Role.ADMIN, key_id="eval")
    results: list[CaseResult] = []
    checked = 0
    for case in cases:
        try:
            pack_doc, _ = build_pack(
                services,
                case["customer_id"],
                case["product_id"],
                principal,
                case.get("lang", "zh"),
                mode,
                primary,
                errors,
            )
        except Exception as exc:  # a case that cannot be built fails with its reason, the suite goes on
            log.exception("battle pack case failed", extra={"case": case["id"]})
            results.append(
                CaseResult(
                    case["id"],
                    False,
                    f"build failed: {exc}",
                    {"structure": 0, "grounded": 0, "in_stock": 0, "expectations": 0},
                )
            )
            continue
        pack, markdown = pack_doc.model_dump(mode="json"), render(pack_doc)
        report = score(pack, markdown, source_text, today)
        checked += report.numbers_checked
        parts = {
            "structure": structure_problems(pack),
            "grounded": [] if report.grounded else [report.describe()],
            "in_stock": stock_problems(factory, pack),
            "expectations": expectation_problems(case, pack, markdown),
        }
        scores = {k: float(not v) for k, v in parts.items()}
        reason = "; ".join(f"{k}: {', '.join(v)}" for k, v in parts.items() if v)
        results.append(CaseResult(case["id"], not reason, reason, scores))
    n = len(results) or 1
    metrics = {
        k: sum(r.scores.get(k, 0.0) for r in results) / n
        for k in ("structure", "grounded", "in_stock", "expectations")
    }
    metrics["numbers_checked"] = float(checked)
    return report_from_results("battle_pack", results, THRESHOLDS, metrics)


def run(cases: list[dict[str, Any]], runtime: Runtime) -> SuiteReport:
    with tempfile.TemporaryDirectory(prefix="eval_bp_") as tmp:
        return evaluate(cases, runtime, Path(tmp))


SUITE = Suite(
    name="battle_pack", default_dataset=DATASETS / "battle_pack.jsonl", thresholds=THRESHOLDS, run=run
)
