"""ComplianceService on SQLite and PostgreSQL: checks, validation, scan, alerts, heat map."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import func, select

from knowledge.store import audit
from knowledge.store.db import SessionFactory
from knowledge.store.models import AuditEntry, ComplianceFinding, ComplianceRule, WorkItem
from tests.tools.compliance.compliance_world import seed_history, store_contract
from tools.compliance.service import ComplianceService
from tools.compliance.validation import ContractValidationError

TODAY = dt.date(2026, 11, 30)
DECL = ["compliance_declaration"]


def _count(factory: SessionFactory, model: Any) -> int:
    with factory() as s:
        return int(s.execute(select(func.count()).select_from(model)).scalar_one())


def test_check_records_the_check_and_each_finding(
    ref_factory: SessionFactory, make_payload: Callable[..., dict[str, Any]]
) -> None:
    svc = ComplianceService(ref_factory, TODAY)
    assert _count(ref_factory, ComplianceRule) == 0
    report = svc.check_contract(make_payload(gifts=[("iPad", 100)]), actor="P-ZW")
    assert {f.code for f in report.findings} == {"gift_not_in_catalogue", "gift_declaration_missing"}
    assert _count(ref_factory, ComplianceRule) >= 12  # a fresh database got the shipped rules
    with ref_factory() as s:
        actions = [e.action for e in s.execute(select(AuditEntry).order_by(AuditEntry.seq)).scalars()]
        assert actions.count("compliance.check") == 1 and actions.count("compliance.finding") == 2
        assert audit.verify(s).ok
    clean = svc.check_contract(
        make_payload(cid="C-OK", gifts=[("G-01", 200)], attachments=DECL), actor="P-ZW"
    )
    assert clean.passed and clean.findings == []


def test_malformed_contract_lists_every_problem_and_stores_nothing(ref_factory: SessionFactory) -> None:
    svc = ComplianceService(ref_factory, TODAY)
    bad = {
        "contract_id": "C-BAD",
        "customer_id": "H-NOPE",
        "signed_on": "2026-02-30",
        "total_amount": 0,
        "currency": "USD",
        "lines": [{"product_id": "HMT-XXX", "quantity": -1, "unit_price": 10}],
        "gifts": [{"name": "", "value": "lots"}],
        "attachments": [{}],
    }
    with pytest.raises(ContractValidationError) as err:
        svc.check_contract(bad, actor="P-ZW")
    fields = {p.field for p in err.value.problems}
    assert {
        "signed_on",
        "total_amount",
        "currency",
        "customer_id",
        "lines[0].product_id",
        "lines[0].quantity",
        "gifts[0].name",
        "gifts[0].value",
        "attachments[0].kind",
    } <= fields
    with pytest.raises(ContractValidationError):
        svc.check_contract(["not", "an", "object"], actor="P-ZW")
    with pytest.raises(ContractValidationError) as missing:
        svc.check_contract({"contract_id": "C-1"}, actor="P-ZW")
    assert {"customer_id", "signed_on", "total_amount", "lines"} <= {p.field for p in missing.value.problems}
    assert _count(ref_factory, AuditEntry) == 0 and _count(ref_factory, ComplianceFinding) == 0


def _plant_contracts(factory: SessionFactory, make_payload: Callable[..., dict[str, Any]]) -> None:
    store_contract(
        factory,
        make_payload(
            cid="C-2026-0311",
            customer="H-GD-001",
            signed_on="2026-03-11",
            gifts=[("临床培训模型", 30_000), ("G-01", 10_000)],
            attachments=DECL,
        ),
    )
    store_contract(
        factory,
        make_payload(
            cid="C-2026-0412",
            customer="H-SD-002",
            signed_on="2026-04-12",
            total=600_000,
            gifts=[("高端按摩椅 luxury massage chair", 9_800)],
            attachments=DECL,
        ),
    )
    store_contract(
        factory,
        make_payload(
            cid="C-2026-0415",
            customer="H-ZJ-002",
            signed_on="2026-04-15",
            total=400_000,
            gifts=[("医学教材", 6_000)],
            attachments=["quality_agreement"],
        ),
    )
    store_contract(
        factory,
        make_payload(
            cid="C-2026-0501",
            customer="H-ZJ-001",
            signed_on="2026-05-01",
            total=800_000,
            gifts=[("Clinical Training Model", 9_000), ("G-03", 3_000)],
            attachments=DECL,
        ),
    )


PLANTED = {
    ("gift_ratio_exceeded", "C-2026-0311"),
    ("gift_not_in_catalogue", "C-2026-0412"),
    ("gift_declaration_missing", "C-2026-0415"),
    ("rebate_cross_year", "RB-2026-ZJ001"),
    ("rebate_related_party", "RB-2026-ZJ001"),
    ("prepayment_quarter_end_cluster", "GD-2026-Q3"),
}


def test_scan_finds_planted_facts_and_alerts_once(
    ref_factory: SessionFactory, make_payload: Callable[..., dict[str, Any]]
) -> None:
    _plant_contracts(ref_factory, make_payload)
    seed_history(ref_factory)
    svc = ComplianceService(ref_factory, TODAY)
    report = svc.scan(actor="P-SL")
    assert {(f.code, f.subject_id) for f in report.findings} == PLANTED
    assert report.contracts_checked == 4 and report.new_findings == 6 and report.alerts_raised == 6
    cross = next(f for f in report.findings if f.code == "rebate_cross_year")
    assert (
        cross.evidence["cross_year_orders"] == ["O-2025-1229"]
        and cross.evidence["without_cross_year"] < 5_000_000
    )
    related = next(f for f in report.findings if f.code == "rebate_related_party")
    assert related.evidence["related_customers"] == ["H-ZJ-003"]
    cluster = next(f for f in report.findings if f.code == "prepayment_quarter_end_cluster")
    assert cluster.evidence["tail_count"] == 9 and len(cluster.evidence["prepayment_ids"]) == 9
    with ref_factory() as s:
        items = list(s.execute(select(WorkItem).where(WorkItem.kind == "compliance_alert")).scalars())
        assert len(items) == 6 and {i.workbench for i in items} == {"legal_compliance"}
        assert {i.owner_id for i in items} == {"P-SUNLEI"}
    again = svc.scan(actor="P-SL")
    assert again.new_findings == 0 and again.alerts_raised == 0 and len(again.findings) == 6
    assert _count(ref_factory, ComplianceFinding) == 6
    alerts = svc.alerts()
    assert {(a.code, a.subject_id) for a in alerts} == PLANTED
    hm = svc.heatmap()
    assert sum(c.count for c in hm.cells) == 6
    cell = next(c for c in hm.cells if c.code == "prepayment_quarter_end_cluster")
    assert (cell.province, cell.week, cell.rule_id) == ("GD", "2026-W40", "PREPAY-QUARTER-END")
    assert {"GD", "SD", "ZJ"} == set(hm.provinces)
    with ref_factory() as s:
        assert audit.verify(s).ok


def test_authoring_and_guard_holds_on_both_backends(ref_factory: SessionFactory) -> None:
    svc = ComplianceService(ref_factory, TODAY)
    draft = svc.rules.edit(
        "GIFT-RATIO", {"params": {"max_ratio": 0.05}, "examples": {"flag": [], "pass": []}}, "P-SL"
    )
    assert (draft.version, draft.status) == (2, "draft")
    with pytest.raises(Exception, match="no examples"):
        svc.rules.activate("GIFT-RATIO", "P-SL")
    with pytest.raises(Exception, match="unknown detector"):
        svc.rules.edit("PREPAY-QUARTER-END", {"detector": "crystal_ball"}, "P-SL")
    assert [h.action for h in svc.rules.history("GIFT-RATIO")] == ["load", "edit"]
    decision = svc.guard.check_text("我们可以额外给 2% 返利", {"actor": "P-ZW"})
    assert decision.action == "hold" and decision.hold_id is not None and len(decision.item_ids) == 2
    svc.approve_hold(decision.hold_id, "P-SL", "legal_compliance")
    assert svc.approve_hold(decision.hold_id, "P-CJ", "manager").released
    with ref_factory() as s:
        assert audit.verify(s).ok
