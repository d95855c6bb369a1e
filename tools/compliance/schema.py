"""The rule document: what legal and compliance people write, as data (YAML/JSON), never code.

A rule's condition is a GoRules ZEN expression over the facts of what it applies to, or a ZEN
decision graph (e.g. a decision table of price caps) whose result a ZEN `when` expression judges.
Validation here catches a malformed rule when it is written, not when a contract hits it.
"""

from __future__ import annotations

import datetime as dt
import re
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

RULE_ID = re.compile(r"^[A-Z][A-Z0-9-]{2,63}$")
CODE = re.compile(r"^[a-z][a-z0-9_]{2,63}$")


class Risk(StrEnum):
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


class CheckMode(StrEnum):
    AUTO = "auto"
    MANUAL_REVIEW = "manual_review"
    DUAL_SIGN = "dual_sign"


class AppliesTo(StrEnum):
    CONTRACT = "contract"
    GIFT = "gift"
    REBATE = "rebate"
    PREPAYMENT = "prepayment"
    ANSWER = "answer"


class RuleStatus(StrEnum):
    DRAFT = "draft"
    ACTIVE = "active"
    RETIRED = "retired"


class AutoAction(StrEnum):
    """What an `auto` answer rule does at once (contract and history rules only flag)."""

    FLAG = "flag"
    REDACT = "redact"
    BLOCK = "block"


CONTRACT_SCOPES = frozenset({AppliesTo.CONTRACT, AppliesTo.GIFT})
HISTORY_SCOPES = frozenset({AppliesTo.REBATE, AppliesTo.PREPAYMENT})


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Bilingual(_Strict):
    zh: str = Field(min_length=1)
    en: str = Field(min_length=1)


class LegalBasis(_Strict):
    law: str = Field(min_length=1, description="The law or regulation, e.g. 反不正当竞争法 (AUCL).")
    article: str = Field(min_length=1, description="Article or clause, e.g. 第七条 / art. 7.")
    summary: str = Field(min_length=1, description="One paragraph: what the article requires.")


class Condition(_Strict):
    """Either `expression` alone, or `decision` (a ZEN JDM graph) plus `when` over its result."""

    expression: str | None = None
    decision: dict[str, Any] | None = None
    when: str | None = None
    evidence: dict[str, str] = Field(
        default_factory=dict, description="Name -> ZEN expression recorded as evidence when flagged."
    )

    @model_validator(mode="after")
    def _one_kind(self) -> Condition:
        if (self.expression is None) == (self.decision is None):
            raise ValueError("a condition needs exactly one of 'expression' or 'decision'")
        if self.decision is not None and not self.when:
            raise ValueError("a decision condition needs 'when', a ZEN expression over `decision`")
        if self.decision is not None and not isinstance(self.decision.get("nodes"), list):
            raise ValueError("'decision' must be a ZEN decision graph with 'nodes' and 'edges'")
        return self


def _check_regex(value: str) -> str:
    try:
        re.compile(value)
    except re.error as exc:
        raise ValueError(f"pattern {value!r} does not compile: {exc}") from exc
    return value


class RedactPattern(_Strict):
    """A pattern (Python `re` syntax, data) whose matches an answer rule removes from text;
    `@name` refers to the rule's own `patterns[name]`."""

    pattern: str
    replacement: str = "[已隐去 redacted]"

    @field_validator("pattern")
    @classmethod
    def _compiles(cls, value: str) -> str:
        return value if value.startswith("@") else _check_regex(value)


class Example(_Strict):
    """One case the rule must flag or must pass; `input` is a contract, detector facts or a text."""

    name: str
    input: dict[str, Any]
    province: str | None = Field(default=None, description="Overrides the customer's province.")


class Examples(_Strict):
    flag: list[Example] = Field(default_factory=list)
    pass_: list[Example] = Field(default_factory=list, alias="pass")

    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class RuleDoc(_Strict):
    id: str
    version: int = Field(default=1, ge=1)
    status: RuleStatus = RuleStatus.DRAFT
    code: str = Field(description="Finding code this rule emits, e.g. gift_ratio_exceeded.")
    title: Bilingual
    legal_basis: LegalBasis
    risk: Risk
    check_mode: CheckMode
    auto_action: AutoAction = AutoAction.FLAG
    applies_to: AppliesTo
    detector: str | None = Field(default=None, description="History detector (rebate/prepayment rules).")
    params: dict[str, Any] = Field(default_factory=dict)
    condition: Condition
    message: Bilingual = Field(description="Shown to the user; ZEN templates like {{ gift_ratio }}.")
    action: Bilingual = Field(description="The required action.")
    patterns: dict[str, str] = Field(
        default_factory=dict,
        description="Answer rules: name -> regex (Python syntax, case-insensitive), compiled once; the "
        "condition reads the matches as found.<name> (a list of the matched strings).",
    )
    redact: list[RedactPattern] = Field(default_factory=list)
    effective_from: dt.date
    effective_to: dt.date | None = None
    examples: Examples = Field(default_factory=Examples)

    @field_validator("id")
    @classmethod
    def _id_form(cls, value: str) -> str:
        if not RULE_ID.match(value):
            raise ValueError("rule id: upper-case letters, digits and '-', 3-64 characters")
        return value

    @field_validator("code")
    @classmethod
    def _code_form(cls, value: str) -> str:
        if not CODE.match(value):
            raise ValueError("code: lower-case snake_case, 3-64 characters")
        return value

    @model_validator(mode="after")
    def _consistent(self) -> RuleDoc:
        if self.effective_to is not None and self.effective_to < self.effective_from:
            raise ValueError("effective_to is before effective_from")
        if self.applies_to in HISTORY_SCOPES and not self.detector:
            raise ValueError(f"a {self.applies_to.value} rule needs a 'detector'")
        if self.applies_to is not AppliesTo.ANSWER and self.auto_action is not AutoAction.FLAG:
            raise ValueError("auto_action redact/block only applies to answer rules")
        if self.auto_action is AutoAction.REDACT and not self.redact:
            raise ValueError("auto_action redact needs 'redact' patterns")
        for name, regex in self.patterns.items():
            _check_regex(regex)
            if not name.isidentifier():
                raise ValueError(f"pattern name {name!r} must be an identifier")
        unknown = [
            p.pattern for p in self.redact if p.pattern.startswith("@") and p.pattern[1:] not in self.patterns
        ]
        if unknown:
            raise ValueError(f"redact refers to undefined patterns {unknown}")
        return self

    def redact_regexes(self) -> list[tuple[str, str]]:
        """(regex, replacement) pairs with `@name` references resolved."""
        return [
            (self.patterns[p.pattern[1:]] if p.pattern.startswith("@") else p.pattern, p.replacement)
            for p in self.redact
        ]

    def in_force(self, on: dt.date) -> bool:
        return self.effective_from <= on and (self.effective_to is None or on <= self.effective_to)

    def body(self) -> dict[str, Any]:
        """The JSON stored in `compliance_rules.body` (the whole document)."""
        return self.model_dump(mode="json", by_alias=True)
