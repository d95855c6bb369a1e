"""The post-visit question bank: typed view of `questions.yaml` and the choice of 3 questions.

The bank is data so that marketing or sales ops can change questions without a release; this
module only validates it (ids unique, one route per theme) and ranks questions for a visit.
Selection is deterministic: the same visit context always gets the same 3 questions.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, model_validator

from tools.common import Workbench

BANK_PATH = Path(__file__).with_name("questions.yaml")
QUESTIONS_PER_VISIT = 3


class _Strict(BaseModel):
    """A typo in the bank (an unknown key, a YAML comma splitting a string) must fail loudly."""

    model_config = ConfigDict(extra="forbid")


class Text(_Strict):
    zh: str
    en: str

    def get(self, lang: str) -> str:
        return self.en if lang == "en" else self.zh


class Route(_Strict):
    """Who must act on an answer: a team's workbench, an owner reference and a deadline."""

    team: Workbench
    owner: str | None = Field(default=None, description="people.id, a name, or '$rep'.")
    sla_hours: float = Field(default=72, gt=0)


class Option(_Strict):
    id: str
    text: Text
    theme: str
    route: Route | None = None


class Condition(_Strict):
    """One boost condition; every field that is set must hold (they are ANDed)."""

    product: list[str] | None = None
    product_any: bool | None = None
    battle_pack_open: bool | None = None
    vbp_stage: list[str] | None = None
    stock_short: bool | None = None
    note_keywords: list[str] | None = None
    theme_recent: bool | None = None


class Boost(_Strict):
    when: Condition
    weight: int


class Question(_Strict):
    id: str
    text: Text
    base: int = 0
    boosts: list[Boost] = Field(default_factory=list)
    options: list[Option]

    def option(self, option_id: str) -> Option:
        for opt in self.options:
            if opt.id == option_id:
                return opt
        raise KeyError(option_id)

    @property
    def routed_themes(self) -> set[str]:
        return {o.theme for o in self.options if o.route is not None}


Scope = Literal["region", "team"]


class PatternConfig(_Strict):
    run_length: int = Field(default=5, ge=2)
    window_count: int = Field(default=8, ge=2)
    window_days: int = Field(default=30, ge=1)
    scopes: list[Scope] = Field(default_factory=lambda: list[Scope](["region", "team"]))
    escalation_sla_hours: float = Field(default=48, gt=0)


class VisitContext(_Strict):
    """What the copilot knows about a visit when it chooses the questions."""

    product_id: str | None = None
    battle_pack_open: bool = False
    vbp_stage: str = "none"
    stock_short: bool = False
    note: str = ""
    recent_themes: set[str] = Field(default_factory=set)


class QuestionBank(_Strict):
    version: int
    recent_days: int = 60
    patterns: PatternConfig = Field(default_factory=PatternConfig)
    questions: list[Question]

    @model_validator(mode="after")
    def _check(self) -> QuestionBank:
        ids = [q.id for q in self.questions] + [o.id for q in self.questions for o in q.options]
        dupes = {i for i in ids if ids.count(i) > 1}
        if dupes:
            raise ValueError(f"duplicate question/option ids: {sorted(dupes)}")
        routes: dict[str, tuple[str, str | None]] = {}
        for q in self.questions:
            for o in q.options:
                if o.route is None:
                    continue
                target = (o.route.team.value, o.route.owner)
                if routes.setdefault(o.theme, target) != target:
                    raise ValueError(f"theme {o.theme!r} is routed to two different targets")
        if len(self.questions) < QUESTIONS_PER_VISIT:
            raise ValueError(f"the bank needs at least {QUESTIONS_PER_VISIT} questions")
        return self

    def question(self, question_id: str) -> Question:
        for q in self.questions:
            if q.id == question_id:
                return q
        raise KeyError(question_id)

    def route_for_theme(self, theme: str) -> Route | None:
        for q in self.questions:
            for o in q.options:
                if o.theme == theme and o.route is not None:
                    return o.route
        return None

    def theme_label(self, theme: str) -> Text:
        """The wording of the option that carries a theme (for titles of routes and escalations)."""
        for q in self.questions:
            for o in q.options:
                if o.theme == theme:
                    return o.text
        return Text(zh=theme, en=theme)

    def score(self, question: Question, ctx: VisitContext) -> int:
        return question.base + sum(b.weight for b in question.boosts if _holds(b.when, question, ctx))

    def select(self, ctx: VisitContext, k: int = QUESTIONS_PER_VISIT) -> list[Question]:
        """The k best-scoring questions; ties keep the bank's order."""
        ranked = sorted(enumerate(self.questions), key=lambda iq: (-self.score(iq[1], ctx), iq[0]))
        return [q for _, q in ranked[:k]]


def _holds(cond: Condition, question: Question, ctx: VisitContext) -> bool:
    checks: list[bool] = []
    if cond.product is not None:
        checks.append(ctx.product_id in cond.product)
    if cond.product_any is not None:
        checks.append((ctx.product_id is not None) == cond.product_any)
    if cond.battle_pack_open is not None:
        checks.append(ctx.battle_pack_open == cond.battle_pack_open)
    if cond.vbp_stage is not None:
        checks.append(ctx.vbp_stage in cond.vbp_stage)
    if cond.stock_short is not None:
        checks.append(ctx.stock_short == cond.stock_short)
    if cond.note_keywords is not None:
        note = ctx.note.lower()
        checks.append(any(word.lower() in note for word in cond.note_keywords))
    if cond.theme_recent is not None:
        checks.append(bool(question.routed_themes & ctx.recent_themes) == cond.theme_recent)
    return bool(checks) and all(checks)


def load_bank(path: Path | None = None) -> QuestionBank:
    """Parse and validate a bank file (the shipped one by default)."""
    data = yaml.safe_load((path or BANK_PATH).read_text(encoding="utf-8"))
    return QuestionBank.model_validate(data)


@lru_cache(maxsize=1)
def default_bank() -> QuestionBank:
    return load_bank()
