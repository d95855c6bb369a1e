"""Letting a model rephrase a section without letting it add facts.

In `openai` mode each agent may return a rewrite of its section's wording. A rewritten string is
accepted only if every figure in it (number or date) already appears in the text it replaces
(or, for the clinical summary, in the table); otherwise the template wording stays. So a model
can make a strategy read better, but cannot introduce a price, a percentage or a date.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from tools.battle_pack.grounding import figures
from tools.battle_pack.models import MarketSection, MedicalSection, SalesSection

log = logging.getLogger(__name__)

MAX_GROWTH = 3


def safe_rewrite(original: str, rewritten: Any, allowed_extra: Iterable[str] = ()) -> bool:
    """True when `rewritten` is a non-empty string whose figures all occur in the original."""
    if not isinstance(rewritten, str) or not rewritten.strip():
        return False
    if len(rewritten) > MAX_GROWTH * len(original) + 200:
        return False
    allowed = {f.value for text in (original, *allowed_extra) for f in figures(text)}
    return all(f.value in allowed for f in figures(rewritten))


def _take(original: str, new: Any, rejected: list[str], where: str, extra: Iterable[str] = ()) -> str:
    if new is None or new == original:
        return original
    if safe_rewrite(original, new, extra):
        return str(new)
    rejected.append(where)
    return original


def sales_payload(section: SalesSection) -> dict[str, Any]:
    """The wording a model may rephrase (figures included, so it can keep them)."""
    return {
        "strategies": [
            {
                "title": s.title,
                "applies_when": s.applies_when,
                "talking_points": s.talking_points,
                "objection": s.objection,
                "answer": s.answer,
            }
            for s in section.strategies
        ]
    }


def apply_sales(section: SalesSection, rewrite: dict[str, Any]) -> list[str]:
    """Apply a rewrite in place; returns the fields that were rejected."""
    rejected: list[str] = []
    for i, (strategy, new) in enumerate(
        zip(section.strategies, rewrite.get("strategies") or [], strict=False)
    ):
        if not isinstance(new, dict):
            continue
        where = f"strategies[{i}]"
        for name in ("title", "applies_when", "objection", "answer"):
            setattr(
                strategy, name, _take(getattr(strategy, name), new.get(name), rejected, f"{where}.{name}")
            )
        points = new.get("talking_points")
        if isinstance(points, list) and len(points) == len(strategy.talking_points):
            strategy.talking_points = [
                _take(old, p, rejected, f"{where}.talking_points[{j}]")
                for j, (old, p) in enumerate(zip(strategy.talking_points, points, strict=True))
            ]
    return rejected


def market_payload(section: MarketSection) -> dict[str, Any]:
    return {"situation": [line.text for line in section.situation]}


def apply_market(section: MarketSection, rewrite: dict[str, Any]) -> list[str]:
    rejected: list[str] = []
    texts = rewrite.get("situation") or []
    if isinstance(texts, list) and len(texts) == len(section.situation):
        for i, (line, new) in enumerate(zip(section.situation, texts, strict=True)):
            line.text = _take(line.text, new, rejected, f"situation[{i}]")
    return rejected


def medical_payload(section: MedicalSection) -> dict[str, Any]:
    table = section.clinical_comparison
    return {
        "summary": table.summary,
        "rows": [[r.attribute, r.ours.value, r.competitor.value, r.study] for r in table.rows],
    }


def apply_medical(section: MedicalSection, rewrite: dict[str, Any]) -> list[str]:
    """Only the summary may change; table cells are quoted verbatim from their sources."""
    rejected: list[str] = []
    table = section.clinical_comparison
    cells = [v for r in table.rows for v in (r.attribute, r.ours.value, r.competitor.value)]
    table.summary = _take(table.summary, rewrite.get("summary"), rejected, "summary", cells)
    return rejected
