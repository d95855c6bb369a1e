"""Negotiation playbooks as data (YAML), matched against a pack's facts.

A company adds its own situation by dropping a YAML file in a playbook directory: `when` says
which facts must hold (equality, any-of list, or an operator mapping), `strategies` hold bilingual
templates whose `{placeholders}` name facts. Templates may not contain literal digits: a figure
in a strategy must be a fact with a source, so the grounding guarantee survives custom playbooks.
Selection is round-robin over matching playbooks by priority, so a pack facing three situations
(award pending, stock short, competitor cheaper) gets one strategy for each.
"""

from __future__ import annotations

import logging
import re
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, Field, field_validator

from tools.battle_pack.facts import FactBook, MissingFactError
from tools.battle_pack.models import Strategy

log = logging.getLogger(__name__)

BUILTIN_DIR = Path(__file__).with_name("playbooks")
_DIGIT = re.compile(r"\d")


class Text(BaseModel):
    zh: str
    en: str

    @field_validator("zh", "en")
    @classmethod
    def _no_literal_figures(cls, value: str) -> str:
        bare = re.sub(r"\{[^}]*\}", "", value)
        if _DIGIT.search(bare):
            raise ValueError(f"literal figure in template {value!r}: use a {{fact}} placeholder")
        return value

    def get(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.en


def _text(value: Any) -> Any:
    return {"zh": value, "en": value} if isinstance(value, str) else value


class StrategyTemplate(BaseModel):
    id: str
    when: dict[str, Any] = Field(default_factory=dict)
    title: Text
    applies_when: Text
    talking_points: list[Text] = Field(min_length=1)
    objection: Text
    answer: Text
    evidence: list[str] = Field(default_factory=list, description="Facts cited even if not in the text.")

    @field_validator("title", "applies_when", "objection", "answer", mode="before")
    @classmethod
    def _bilingual(cls, value: Any) -> Any:
        return _text(value)

    @field_validator("talking_points", mode="before")
    @classmethod
    def _bilingual_list(cls, value: Any) -> Any:
        return [_text(v) for v in value] if isinstance(value, list) else value


class Playbook(BaseModel):
    id: str
    name: Text
    priority: int = 50
    when: dict[str, Any] = Field(default_factory=dict)
    kb_query: str | None = Field(default=None, description="Finds the written playbook to cite.")
    strategies: list[StrategyTemplate] = Field(min_length=1)

    @field_validator("name", mode="before")
    @classmethod
    def _bilingual(cls, value: Any) -> Any:
        return _text(value)


class PlaybookError(ValueError):
    """A playbook file is malformed; names the file so the author can fix it."""


def _holds(expected: Any, actual: Any) -> bool:
    if isinstance(expected, dict):
        checks = {
            "eq": lambda v: actual == v,
            "ne": lambda v: actual != v,
            "in": lambda v: actual in v,
            "not_in": lambda v: actual not in v,
            "gt": lambda v: actual is not None and actual > v,
            "lt": lambda v: actual is not None and actual < v,
            "exists": lambda v: (actual is not None) == bool(v),
        }
        unknown = set(expected) - set(checks)
        if unknown:
            raise PlaybookError(f"unknown condition operator(s) {sorted(unknown)}")
        return all(checks[op](v) for op, v in expected.items())
    if isinstance(expected, list):
        return actual in expected
    return bool(actual == expected)


def matches(when: dict[str, Any], conditions: dict[str, Any]) -> bool:
    return all(_holds(expected, conditions.get(key)) for key, expected in when.items())


def load_dir(directory: Path) -> list[Playbook]:
    books: list[Playbook] = []
    for path in sorted(directory.glob("*.y*ml")):
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
            books.append(Playbook.model_validate(data))
        except (yaml.YAMLError, ValueError) as exc:
            raise PlaybookError(f"{path}: {exc}") from exc
    return books


@lru_cache(maxsize=16)
def load(extra_dirs: tuple[Path, ...] = ()) -> tuple[Playbook, ...]:
    """Built-in playbooks plus a company's own; a later file with the same id replaces the earlier."""
    by_id: dict[str, Playbook] = {}
    for directory in (BUILTIN_DIR, *extra_dirs):
        for book in load_dir(directory):
            by_id[book.id] = book
    return tuple(sorted(by_id.values(), key=lambda b: (b.priority, b.id)))


def render(book: Playbook, tpl: StrategyTemplate, facts: FactBook) -> Strategy:
    """Fill one strategy's templates; raises MissingFactError when a named fact is absent."""
    lang = facts.lang
    used: list[str] = []

    def fill(text: Text) -> str:
        out, keys = facts.render(text.get(lang))
        used.extend(keys)
        return out

    title = fill(tpl.title)
    applies = fill(tpl.applies_when)
    points = [fill(p) for p in tpl.talking_points]
    objection, answer = fill(tpl.objection), fill(tpl.answer)
    for key in tpl.evidence:
        if not facts.has(key):
            raise MissingFactError(key)
    return Strategy(
        id=f"{book.id}.{tpl.id}",
        playbook=book.id,
        title=title,
        applies_when=applies,
        talking_points=points,
        objection=objection,
        answer=answer,
        evidence=facts.evidence([*used, *tpl.evidence]),
    )


def select(books: tuple[Playbook, ...], facts: FactBook, count: int = 3) -> list[Strategy]:
    """`count` strategies: one per matching playbook in priority order, then second ones, ..."""
    conditions = facts.conditions()
    queues: list[list[Strategy]] = []
    for book in books:
        if not matches(book.when, conditions):
            continue
        ready: list[Strategy] = []
        for tpl in book.strategies:
            if not matches(tpl.when, conditions):
                continue
            try:
                ready.append(render(book, tpl, facts))
            except MissingFactError as exc:
                log.debug("strategy skipped", extra={"strategy": f"{book.id}.{tpl.id}", "missing": str(exc)})
        if ready:
            queues.append(ready)
    chosen: list[Strategy] = []
    depth = 0
    while len(chosen) < count and any(len(q) > depth for q in queues):
        for queue in queues:
            if depth < len(queue) and len(chosen) < count:
                chosen.append(queue[depth])
        depth += 1
    return chosen
