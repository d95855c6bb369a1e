"""The battle pack as data: what the composer produces, the store keeps and the renderers print.

Every statement that carries a figure also carries the keys of the sources it came from
(`Source.key`, e.g. `stock:WH-HZ/HMT-DCB-02` or `kb:<chunk id>`), so a reader, the grounding
scorer and the compliance guard can all trace it. Derived figures live in `calculations`, shown
in full ("1,200 = 6,800 - 5,600") so they are checkable rather than trusted.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

from tools.common import Source

Lang = Literal["zh", "en"]


class Calculation(BaseModel):
    """A derived figure and the arithmetic that produced it from sourced figures."""

    id: str
    label: str
    expression: str = Field(description="Operands as shown, e.g. '6,800 - 5,600'; '%' results divide.")
    result: str = Field(description="As shown, e.g. '1,200' or '21.4%'.")
    sources: list[str] = Field(default_factory=list)

    @property
    def shown(self) -> str:
        return f"{self.result} = {self.expression}"


class SituationLine(BaseModel):
    """One line of the situation: a labelled statement with its sources."""

    key: str
    label: str
    text: str
    sources: list[str] = Field(default_factory=list)


class Evidence(BaseModel):
    text: str
    sources: list[str] = Field(default_factory=list)


class Strategy(BaseModel):
    id: str
    playbook: str
    title: str
    applies_when: str
    talking_points: list[str]
    objection: str
    answer: str
    evidence: list[Evidence]


class SubstituteLine(BaseModel):
    product_id: str
    name: str
    on_hand: int
    safety_stock: int
    list_price: str
    cap: str | None = None
    unit_price: str


class Substitute(BaseModel):
    offer_id: str
    rank: int
    products: list[str]
    label: str
    why: str
    lines: list[SubstituteLine]
    bundle_price: str
    calculation: str | None = Field(default=None, description="Id of the bundle-price calculation.")
    sources: list[str] = Field(default_factory=list)


class SkippedSubstitute(BaseModel):
    """An alternative offer left out because a product is below safety stock where served."""

    offer_id: str
    rank: int
    products: list[str]
    label: str
    reason: str
    sources: list[str] = Field(default_factory=list)


class Cell(BaseModel):
    value: str
    sources: list[str] = Field(default_factory=list)


class ClinicalRow(BaseModel):
    attribute: str
    kind: Literal["clinical", "economic"]
    ours: Cell
    competitor: Cell
    study: str = Field(default="", description="The study or record the row cites.")


class ClinicalComparison(BaseModel):
    product_id: str
    product_name: str
    competitor_product: str
    competitor_name: str
    rows: list[ClinicalRow]
    summary: str = ""


class Compliance(BaseModel):
    status: Literal["pass", "warn", "hold", "block", "unchecked"]
    findings: list[dict[str, Any]] = Field(default_factory=list)
    checked_by: str = ""


class PackMeta(BaseModel):
    """Bookkeeping that is not a claim (excluded from grounding)."""

    id: str
    pack_date: str
    version: int = 1
    lang: Lang = "zh"
    mode: str = "offline"
    refined_sections: list[str] = Field(default_factory=list)
    work_items: dict[str, int] = Field(default_factory=dict)
    recommendation_ids: list[str] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)


class BattlePackDoc(BaseModel):
    """The whole pack; `model_dump(mode='json')` is the CLI's `--json` and the stored content."""

    customer_id: str
    customer_name: str
    product_id: str
    product_name: str
    situation: list[SituationLine]
    strategies: list[Strategy]
    substitutes: list[Substitute]
    skipped_substitutes: list[SkippedSubstitute] = Field(default_factory=list)
    clinical_comparison: ClinicalComparison
    calculations: list[Calculation] = Field(default_factory=list)
    sources: list[Source] = Field(default_factory=list)
    pushed_to: list[str] = Field(default_factory=list)
    compliance: Compliance = Field(default_factory=lambda: Compliance(status="unchecked"))
    meta: PackMeta

    def source_map(self) -> dict[str, Source]:
        return {s.key: s for s in self.sources}


class SalesSection(BaseModel):
    strategies: list[Strategy]
    substitutes: list[Substitute]
    skipped_substitutes: list[SkippedSubstitute] = Field(default_factory=list)
    calculations: list[Calculation] = Field(default_factory=list)
    sources: list[Source] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)


class MarketSection(BaseModel):
    situation: list[SituationLine]
    calculations: list[Calculation] = Field(default_factory=list)
    sources: list[Source] = Field(default_factory=list)


class MedicalSection(BaseModel):
    clinical_comparison: ClinicalComparison
    calculations: list[Calculation] = Field(default_factory=list)
    sources: list[Source] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)
