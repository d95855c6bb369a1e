"""The shipped contract and gift rules on hand-made contracts (edge cases of SCENARIO.md)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from knowledge.store.db import SessionFactory
from tools.compliance.rulestore import shipped_rules
from tools.compliance.service import ComplianceService
from tools.compliance.tryout import run_examples

TODAY = dt.date(2026, 11, 30)
DECL = ["compliance_declaration"]

CASES: list[tuple[str, dict[str, Any], set[str]]] = [
    ("exactly 3% passes", dict(total=1_000_000, gifts=[("G-02", 30_000)], attachments=DECL), set()),
    (
        "3.01% flags",
        dict(total=1_000_000, gifts=[("G-02", 30_100)], attachments=DECL),
        {"gift_ratio_exceeded"},
    ),
    (
        "several gifts add up",
        dict(total=100_000, gifts=[("G-01", 1_500), ("G-03", 1_200), ("G-04", 400)], attachments=DECL),
        {"gift_ratio_exceeded"},
    ),
    (
        "odd amount exactly 3%",
        dict(total=1_234_567.89, gifts=[("G-01", 37_037.0367)], attachments=DECL),
        set(),
    ),
    (
        "names written differently",
        dict(
            gifts=[
                (" Academic  Conference KIT", 200),
                ("医学 教材", 300),
                ("g-04", 50),
                ("ＣＬＩＮＩＣＡＬ training model", 100),
                ("品牌笔记本 branded notebook", 50),
            ],
            attachments=DECL,
        ),
        set(),
    ),
    (
        "uncatalogued gift",
        dict(gifts=[("高端按摩椅 luxury massage chair", 8_000)], attachments=DECL),
        {"gift_not_in_catalogue"},
    ),
    (
        "gift without declaration",
        dict(gifts=[("G-03", 300)], attachments=["quality_agreement"]),
        {"gift_declaration_missing"},
    ),
    ("zero-value gift still needs a declaration", dict(gifts=[("G-04", 0)]), {"gift_declaration_missing"}),
    ("no gifts, no declaration needed", dict(), set()),
    ("stent at cap", dict(customer="H-SD-001", lines=[("HMT-DES-01", 100, 798)]), set()),
    (
        "BC-03 above GD cap in GD",
        dict(customer="H-GD-002", lines=[("HMT-BC-03", 10, 1_151)]),
        {"price_above_vbp_cap"},
    ),
    ("BC-03 list price outside GD", dict(customer="H-ZJ-002", lines=[("HMT-BC-03", 10, 1_200)]), set()),
    ("DCB cap not in force in 2026", dict(lines=[("HMT-DCB-02", 10, 6_800)], signed_on="2026-12-31"), set()),
    (
        "DCB cap in force from 2027",
        dict(lines=[("HMT-DCB-02", 10, 6_800)], signed_on="2027-01-01"),
        {"price_above_vbp_cap"},
    ),
    (
        "DCB in GD has no cap",
        dict(customer="H-GD-001", lines=[("HMT-DCB-02", 10, 6_800)], signed_on="2027-03-01"),
        set(),
    ),
    (
        "everything at once",
        dict(
            customer="H-GD-001",
            total=100_000,
            lines=[("HMT-BC-03", 50, 1_200), ("HMT-DES-01", 10, 800)],
            gifts=[("iPad", 4_000)],
        ),
        {"gift_ratio_exceeded", "gift_not_in_catalogue", "gift_declaration_missing", "price_above_vbp_cap"},
    ),
]


@pytest.mark.parametrize(("name", "spec", "expected"), CASES, ids=lambda v: v if isinstance(v, str) else "")
def test_contract_cases(
    ref_sqlite: SessionFactory,
    make_payload: Callable[..., dict[str, Any]],
    name: str,
    spec: dict[str, Any],
    expected: set[str],
) -> None:
    report = ComplianceService(ref_sqlite, TODAY).evaluate_contract(make_payload(**spec))
    assert {f.code for f in report.findings} == expected, name
    assert report.passed is (not expected)


def test_stent_cap_applies_in_every_province(
    ref_sqlite: SessionFactory, make_payload: Callable[..., dict[str, Any]]
) -> None:
    svc = ComplianceService(ref_sqlite, TODAY)
    for customer in ("H-ZJ-001", "H-GD-001", "H-SD-002"):
        report = svc.evaluate_contract(make_payload(customer=customer, lines=[("HMT-DES-01", 100, 798.01)]))
        assert [f.code for f in report.findings] == ["price_above_vbp_cap"]
        over = report.findings[0].evidence["over_cap"]
        assert over == [
            {
                "product_id": "HMT-DES-01",
                "unit_price": 798.01,
                "cap": 798,
                "programme": "national coronary stent VBP",
            }
        ]


def test_finding_carries_rule_basis_and_evidence(
    ref_sqlite: SessionFactory, make_payload: Callable[..., dict[str, Any]]
) -> None:
    payload = make_payload(
        cid="C-2026-0311",
        customer="H-GD-001",
        signed_on="2026-03-11",
        total=1_000_000,
        gifts=[("临床培训模型", 30_000), ("学术会议资料包", 10_000)],
        attachments=DECL,
    )
    report = ComplianceService(ref_sqlite, TODAY).evaluate_contract(payload)
    (f,) = report.findings
    assert (f.code, f.rule_id, f.rule_version, f.risk.value) == (
        "gift_ratio_exceeded",
        "GIFT-RATIO",
        1,
        "high",
    )
    assert f.legal_basis.article.startswith("第七条") and "Anti-Unfair" in f.legal_basis.law
    assert f.evidence["gift_total"] == 40_000 and f.evidence["gift_ratio_pct"] == 4
    assert "4%" in f.message.en and "3%" in f.message.zh
    assert f.action.zh and f.action.en and f.check_mode.value == "dual_sign"
    assert report.province == "GD" and "GIFT-RATIO@1" in report.rules_evaluated


def test_every_shipped_rule_passes_its_examples(ref_sqlite: SessionFactory) -> None:
    with ref_sqlite() as session:
        for doc in shipped_rules():
            report = run_examples(session, doc)
            assert report.ok, (doc.id, [r for r in report.results if not r.ok])
            assert doc.examples.flag and doc.examples.pass_, doc.id


def test_shipped_active_contract_codes_are_exactly_the_four() -> None:
    codes = {
        d.code
        for d in shipped_rules()
        if d.applies_to.value in ("contract", "gift") and d.status.value == "active"
    }
    assert codes == {
        "gift_ratio_exceeded",
        "gift_not_in_catalogue",
        "gift_declaration_missing",
        "price_above_vbp_cap",
    }
