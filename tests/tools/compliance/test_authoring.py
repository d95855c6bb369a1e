"""Authoring rules safely: drafts, examples, simulation, activation, retirement, change history."""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from knowledge.store.db import SessionFactory
from tests.tools.compliance.compliance_world import seed_history, store_contract
from tools.compliance.authoring import RuleAuthoringError
from tools.compliance.rulestore import shipped_rules
from tools.compliance.service import ComplianceService

TODAY = dt.date(2026, 11, 30)
DECL = ["compliance_declaration"]


def _new_rule() -> dict[str, Any]:
    """A company's own rule: no more than 5 gift entries on one contract."""
    doc = next(d for d in shipped_rules() if d.id == "GIFT-DECLARATION").body()
    doc = copy.deepcopy(doc)
    doc.update(
        id="GIFT-COUNT",
        code="too_many_gifts",
        risk="low",
        check_mode="manual_review",
        params={"max_gifts": 2},
        title={"zh": "赠品条目过多", "en": "Too many gift entries"},
        condition={"expression": "gift_count > params.max_gifts", "evidence": {"gift_count": "gift_count"}},
        message={"zh": "赠品 {{ gift_count }} 项", "en": "{{ gift_count }} gift entries"},
        examples={
            "flag": [
                {
                    "name": "three gifts",
                    "province": "ZJ",
                    "input": {
                        "contract_id": "E1",
                        "customer_id": "H-ZJ-001",
                        "signed_on": "2026-05-01",
                        "total_amount": 100000,
                        "lines": [{"product_id": "HMT-GW-04", "quantity": 1, "unit_price": 650}],
                        "gifts": [
                            {"name": "G-01", "value": 1},
                            {"name": "G-03", "value": 1},
                            {"name": "G-04", "value": 1},
                        ],
                    },
                }
            ],
            "pass": [
                {
                    "name": "one gift",
                    "province": "ZJ",
                    "input": {
                        "contract_id": "E2",
                        "customer_id": "H-ZJ-001",
                        "signed_on": "2026-05-01",
                        "total_amount": 100000,
                        "lines": [{"product_id": "HMT-GW-04", "quantity": 1, "unit_price": 650}],
                        "gifts": [{"name": "G-01", "value": 1}],
                    },
                }
            ],
        },
    )
    return doc


@pytest.fixture
def svc(ref_sqlite: SessionFactory, make_payload: Callable[..., dict[str, Any]]) -> ComplianceService:
    gifts3 = [("G-01", 100), ("G-03", 100), ("G-04", 50)]
    store_contract(
        ref_sqlite, make_payload(cid="C-OLD", signed_on="2026-05-01", gifts=gifts3, attachments=DECL)
    )
    store_contract(
        ref_sqlite, make_payload(cid="C-NEW1", signed_on="2026-10-01", gifts=gifts3, attachments=DECL)
    )
    store_contract(
        ref_sqlite, make_payload(cid="C-NEW2", signed_on="2026-11-20", gifts=gifts3[:2], attachments=DECL)
    )
    store_contract(
        ref_sqlite,
        make_payload(
            cid="C-GIFT3PCT", signed_on="2026-11-01", total=100_000, gifts=[("G-02", 2_500)], attachments=DECL
        ),
    )
    return ComplianceService(ref_sqlite, TODAY)


def test_draft_lifecycle_with_history(
    svc: ComplianceService, make_payload: Callable[..., dict[str, Any]]
) -> None:
    created = svc.rules.create(_new_rule(), actor="P-SL")
    assert (created.id, created.version, created.status) == ("GIFT-COUNT", 1, "draft")
    payload = make_payload(gifts=[("G-01", 1), ("G-03", 1)], attachments=DECL)
    assert svc.evaluate_contract(payload).passed  # a draft does not judge anything yet
    sim = svc.rules.simulate("GIFT-COUNT", days=90)
    assert (sim.checked, sim.flagged, sim.new) == (3, 1, 1) and sim.flagged_ids == ["C-NEW1"]
    assert sim.summary.en.startswith("would flag 1 contracts, 1 new")
    edited = svc.rules.edit("GIFT-COUNT", {"params": {"max_gifts": 1}}, actor="P-SL")
    assert (edited.version, edited.status) == (1, "draft")  # a draft is edited in place
    assert svc.rules.simulate("GIFT-COUNT", days=90).flagged_ids == ["C-NEW1", "C-NEW2"]
    assert svc.rules.examples("GIFT-COUNT").ok
    active = svc.rules.activate("GIFT-COUNT", actor="P-SL")
    assert active.status == "active"
    assert [f.code for f in svc.evaluate_contract(payload).findings] == ["too_many_gifts"]
    v2 = svc.rules.edit("GIFT-COUNT", {"params": {"max_gifts": 2}}, actor="P-CJ")
    assert (v2.version, v2.status) == (2, "draft")  # what is live does not change under anyone's feet
    assert [f.code for f in svc.evaluate_contract(payload).findings] == ["too_many_gifts"]
    svc.rules.activate("GIFT-COUNT", actor="P-SL")
    assert svc.evaluate_contract(payload).passed
    assert svc.rules.show("GIFT-COUNT", 1).status.value == "retired"
    svc.rules.retire("GIFT-COUNT", actor="P-SL")
    history = svc.rules.history("GIFT-COUNT")
    assert [(h.action, h.actor, h.old_version, h.new_version) for h in history] == [
        ("create", "P-SL", None, 1),
        ("edit", "P-SL", 1, 1),
        ("activate", "P-SL", None, 1),
        ("edit", "P-CJ", 1, 2),
        ("activate", "P-SL", 1, 2),
        ("retire", "P-SL", 2, 2),
    ]
    assert all(h.ts is not None for h in history)


def test_activation_refuses_failing_examples(svc: ComplianceService) -> None:
    svc.rules.create(_new_rule(), actor="P-SL")
    svc.rules.edit("GIFT-COUNT", {"params": {"max_gifts": 3}}, actor="P-SL")  # the 3-gift example now passes
    report = svc.rules.examples("GIFT-COUNT")
    assert not report.ok and [r.name for r in report.results if not r.ok] == ["three gifts"]
    with pytest.raises(RuleAuthoringError, match="examples failed: three gifts"):
        svc.rules.activate("GIFT-COUNT", actor="P-SL")
    assert svc.rules.show("GIFT-COUNT").status.value == "draft"


def test_bad_rules_are_rejected_with_reasons(svc: ComplianceService) -> None:
    broken = _new_rule() | {"condition": {"expression": "gift_count >"}}
    with pytest.raises(RuleAuthoringError, match="parserError"):
        svc.rules.create(broken, actor="P-SL")
    with pytest.raises(RuleAuthoringError, match="risk"):
        svc.rules.create(_new_rule() | {"risk": "extreme"}, actor="P-SL")
    with pytest.raises(RuleAuthoringError, match="exists"):
        svc.rules.create(_new_rule() | {"id": "GIFT-RATIO"}, actor="P-SL")
    assert [r.id for r in svc.rules.list_rules(status="draft")] == []


def test_editing_a_shipped_rule_and_simulating_new_findings(svc: ComplianceService) -> None:
    draft = svc.rules.edit("GIFT-RATIO", {"params": {"max_ratio": 0.02}}, actor="P-SL")
    assert (draft.version, draft.status) == (2, "draft")
    sim = svc.rules.simulate("GIFT-RATIO", days=60)
    assert sim.flagged_ids == ["C-GIFT3PCT"] and sim.new_ids == ["C-GIFT3PCT"]  # 2.5% passes v1, not v2
    assert {r.id: r.status for r in svc.rules.list_rules()}["GIFT-RATIO"] == "draft"
    assert {r.version for r in svc.rules.list_rules(status="active") if r.id == "GIFT-RATIO"} == {1}


def test_simulating_a_history_rule(svc: ComplianceService, ref_sqlite: SessionFactory) -> None:
    seed_history(ref_sqlite)
    svc.rules.edit("PREPAY-QUARTER-END", {"params": {"min_count": 2, "factor": 1.5}}, actor="P-SL")
    sim = svc.rules.simulate("PREPAY-QUARTER-END", days=120)
    assert "GD-2026-Q3" in sim.flagged_ids and sim.subject_type == "region_quarter"
    assert "GD-2026-Q3" not in sim.new_ids  # the active version flags it already
    with pytest.raises(RuleAuthoringError, match="answer rules"):
        svc.rules.simulate("ANS-PII-PHONE")
