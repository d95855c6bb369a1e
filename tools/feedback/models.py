"""Typed results of the feedback service (what the CLI, API and agents receive)."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, Field

from tools.common import ToolResult
from tools.feedback.bank import Question, Text


class OptionView(BaseModel):
    id: str
    text: Text


class QuestionView(BaseModel):
    """One multiple-choice question as the rep sees it (one tap per question)."""

    id: str
    text: Text
    options: list[OptionView]

    @classmethod
    def of(cls, question: Question) -> QuestionView:
        return cls(
            id=question.id,
            text=question.text,
            options=[OptionView(id=o.id, text=o.text) for o in question.options],
        )


class VisitRecord(ToolResult):
    visit_id: str
    customer_id: str
    rep_id: str
    visit_date: dt.date
    product_id: str | None
    people_met: list[str]
    note: str = Field(description="The note as stored (after personal-data screening).")
    redactions: list[str] = Field(default_factory=list, description="What the screener removed.")
    questions: list[QuestionView]
    created: bool = Field(description="False when the same visit had already been recorded.")


class AnswerView(BaseModel):
    answer_id: int
    question_id: str
    option_id: str
    theme: str
    team: str | None
    owner_id: str | None
    work_item_id: int | None
    created: bool


class EscalationView(BaseModel):
    work_item_id: int
    dedupe_key: str
    theme: str
    rule: str
    workbench: str
    owner_id: str | None
    province: str | None
    answer_ids: list[int]
    created: bool


class AnswerReceipt(ToolResult):
    visit_id: str
    answers: list[AnswerView]
    escalations: list[EscalationView] = Field(default_factory=list)

    @property
    def created_anything(self) -> bool:
        return any(a.created for a in self.answers) or any(e.created for e in self.escalations)


class AnswerConflictError(ValueError):
    """The question was already answered differently for this visit (answers are immutable)."""


class InvalidAnswerError(ValueError):
    """The question was not asked at this visit, or the option does not belong to it."""
