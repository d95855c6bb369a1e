"""Typed inputs and reports of the compliance engine (the API serves these models as they are)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from tools.compliance.schema import Bilingual, CheckMode, LegalBasis, Risk


class ContractLineIn(BaseModel):
    model_config = ConfigDict(extra="ignore")

    product_id: str = Field(min_length=1)
    quantity: int = Field(gt=0)
    unit_price: Decimal = Field(ge=0)


class GiftIn(BaseModel):
    """A gift entry; `value` is the entry's total CNY value."""

    model_config = ConfigDict(extra="ignore")

    name: str = Field(min_length=1)
    value: Decimal = Field(ge=0)


class AttachmentIn(BaseModel):
    model_config = ConfigDict(extra="ignore")

    kind: str = Field(min_length=1)


class ContractIn(BaseModel):
    """A contract as submitted for a check (or as stored)."""

    model_config = ConfigDict(extra="ignore")

    contract_id: str = Field(min_length=1, max_length=32)
    customer_id: str = Field(min_length=1)
    signed_on: dt.date
    total_amount: Decimal = Field(gt=0)
    currency: str = "CNY"
    lines: list[ContractLineIn] = Field(min_length=1)
    gifts: list[GiftIn] = Field(default_factory=list)
    attachments: list[AttachmentIn] = Field(default_factory=list)


class Problem(BaseModel):
    field: str
    message: str


class Finding(BaseModel):
    """One rule that flagged one subject, with the evidence it saw and what must be done."""

    code: str
    rule_id: str
    rule_version: int
    title: Bilingual
    legal_basis: LegalBasis
    risk: Risk
    check_mode: CheckMode
    evidence: dict[str, Any]
    message: Bilingual
    action: Bilingual
    subject_type: str
    subject_id: str
    province: str | None = None
    occurred_on: dt.date | None = None

    @property
    def dedupe_key(self) -> str:
        """Stable across rule versions, so a rule edit does not re-raise a known finding."""
        return f"compliance:{self.code}:{self.subject_type}:{self.subject_id}"[:160]


class ComplianceReport(BaseModel):
    contract_id: str
    customer_id: str
    province: str | None
    signed_on: dt.date
    passed: bool
    findings: list[Finding]
    rules_evaluated: list[str] = Field(description="'RULE-ID@version' of every rule in force.")


class ScanReport(BaseModel):
    contracts_checked: int
    history_rules_run: list[str]
    findings: list[Finding]
    new_findings: int
    alerts_raised: int
    by_code: dict[str, int]
    skipped: list[str] = Field(default_factory=list, description="Stored contracts that failed validation.")


class HeatmapCell(BaseModel):
    province: str
    week: str = Field(description="ISO week, e.g. 2026-W39.")
    week_start: dt.date
    rule_id: str
    code: str
    count: int


class Heatmap(BaseModel):
    since: dt.date
    until: dt.date
    provinces: list[str]
    weeks: list[str]
    rules: list[str]
    cells: list[HeatmapCell]


class Alert(BaseModel):
    item_id: int
    status: str
    title: str
    code: str
    rule_id: str
    risk: str
    subject_type: str
    subject_id: str
    province: str | None
    occurred_on: dt.date | None
    created_at: dt.datetime


class GuardDecision(BaseModel):
    """What the guard did with an answer or artifact; `redacted_text` is safe to show or store."""

    action: Literal["allow", "redact", "block", "hold"]
    redacted_text: str
    findings: list[Finding] = Field(default_factory=list)
    notice: Bilingual | None = None
    hold_id: str | None = None
    item_ids: list[int] = Field(default_factory=list)
    redacted_artifact: dict[str, Any] | None = None

    @property
    def allowed(self) -> bool:
        return self.action in ("allow", "redact")


class HoldStatus(BaseModel):
    hold_id: str
    check_mode: CheckMode
    approvals: dict[str, str] = Field(description="Approving role -> who approved.")
    needed: list[str]
    released: bool


class RuleSummary(BaseModel):
    id: str
    version: int
    status: str
    code: str
    applies_to: str
    risk: str
    check_mode: str
    title: Bilingual
    effective_from: dt.date
    effective_to: dt.date | None
    created_by: str
    created_at: dt.datetime


class RuleChange(BaseModel):
    ts: dt.datetime
    actor: str
    action: str
    old_version: int | None
    new_version: int | None
    old_status: str | None
    new_status: str | None


class ExampleResult(BaseModel):
    name: str
    expected: Literal["flag", "pass"]
    flagged: bool
    ok: bool
    detail: str = ""


class ExamplesReport(BaseModel):
    rule_id: str
    version: int
    ok: bool
    results: list[ExampleResult]


class SimulationReport(BaseModel):
    rule_id: str
    version: int
    days: int
    since: dt.date
    until: dt.date
    subject_type: str
    checked: int
    flagged: int
    new: int
    flagged_ids: list[str]
    new_ids: list[str]
    summary: Bilingual
