"""The engine over the shipped demo world: every planted fact found, nothing else, 0501 clean."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from knowledge.store.db import SessionFactory
from knowledge.store.models import Contract, VbpAward, VbpProgramme
from tools.compliance.facts import contract_from_record
from tools.compliance.rulestore import shipped_rules
from tools.compliance.service import ComplianceService

TODAY = dt.date(2026, 11, 30)
PLANTED = {
    ("gift_ratio_exceeded", "C-2026-0311"),
    ("gift_not_in_catalogue", "C-2026-0412"),
    ("gift_declaration_missing", "C-2026-0415"),
    ("rebate_cross_year", "RB-2026-H-ZJ-001"),
    ("rebate_related_party", "RB-2026-H-ZJ-001"),
    ("prepayment_quarter_end_cluster", "GD-2026-Q3"),
}


def test_scan_finds_every_planted_fact_and_nothing_else(demo_factory: SessionFactory) -> None:
    svc = ComplianceService(demo_factory, TODAY)
    report = svc.scan(actor="P-SL")
    assert {(f.code, f.subject_id) for f in report.findings} == PLANTED
    assert report.contracts_checked > 100 and report.skipped == []
    assert report.alerts_raised == len(PLANTED)
    by_code = {f.code: f for f in report.findings}
    assert by_code["gift_ratio_exceeded"].evidence["gift_ratio_pct"] == 4
    assert by_code["rebate_cross_year"].evidence["cross_year_orders"] == ["O-2025-1229"]
    assert by_code["rebate_related_party"].evidence["related_customers"] == ["H-ZJ-003"]
    assert by_code["prepayment_quarter_end_cluster"].province == "GD"
    assert svc.scan(actor="P-SL").alerts_raised == 0


def test_clean_contract_0501_passes_every_rule(demo_factory: SessionFactory) -> None:
    with demo_factory() as s:
        query = (
            select(Contract)
            .where(Contract.id == "C-2026-0501")
            .options(
                selectinload(Contract.lines), selectinload(Contract.gifts), selectinload(Contract.attachments)
            )
        )
        payload = contract_from_record(s.execute(query).scalar_one()).model_dump(mode="json")
    report = ComplianceService(demo_factory, TODAY).check_contract(payload, actor="P-ZW")
    assert report.passed and report.findings == [] and len(report.rules_evaluated) == 4


def test_cap_table_agrees_with_the_store_vbp_awards(demo_factory: SessionFactory) -> None:
    """The compliance team's cap table and the market-access data must not drift apart."""
    doc = next(d for d in shipped_rules() if d.id == "PRICE-VBP-CAP")
    assert doc.condition.decision is not None
    rows = doc.condition.decision["nodes"][1]["content"]["rules"]
    table = {r["product"].strip('"'): (r["o_cap"], r["signed"]) for r in rows if r["product"]}
    with demo_factory() as s:
        awards = s.execute(
            select(VbpAward, VbpProgramme).join(VbpProgramme).where(VbpAward.price_cap.is_not(None))
        ).all()
    assert awards
    for award, programme in awards:
        assert award.product_id is not None and award.cap_effective_from is not None
        cap, signed = table[award.product_id]
        assert float(cap) == float(award.price_cap), award.id
        assert award.cap_effective_from.isoformat() in signed, award.id
        row = next(r for r in rows if r["product"].strip('"') == award.product_id)
        if programme.provinces != ["*"]:
            assert {p.strip('"') for p in row["province"].split(",")} == set(programme.provinces)
