"""The answer guard: redact, block, hold for review, dual sign-off; every decision audited."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from knowledge.store import audit
from knowledge.store.db import SessionFactory
from knowledge.store.models import AuditEntry, WorkItem
from tools.compliance.guard_holds import HoldNotFoundError
from tools.compliance.service import ComplianceService

TODAY = dt.date(2026, 11, 30)


@pytest.fixture
def svc(ref_sqlite: SessionFactory) -> ComplianceService:
    return ComplianceService(ref_sqlite, TODAY)


def test_clean_answer_is_allowed_unchanged(svc: ComplianceService) -> None:
    text = "瑞畅药物涂层球囊用于冠状动脉支架内再狭窄，合同金额 1,000,000 元，全角标点保留。"
    decision = svc.guard.check_text(text, {"role": "rep"})
    assert decision.action == "allow" and decision.redacted_text == text and decision.findings == []
    assert decision.notice is None and decision.allowed


def test_personal_data_is_redacted(svc: ComplianceService) -> None:
    text = "张主任手机 13812345678，身份证 330106198501012345；另一号码 +86 139-1234-5678。"
    decision = svc.guard.check_text(text, {"channel": "visit_note"})
    assert decision.action == "redact" and decision.allowed
    assert "13812345678" not in decision.redacted_text and "330106198501012345" not in decision.redacted_text
    assert "139-1234-5678" not in decision.redacted_text
    assert "[手机号已隐去 phone removed]" in decision.redacted_text and "张主任" in decision.redacted_text
    codes = {f.code: f for f in decision.findings}
    assert set(codes) == {"personal_data_phone", "personal_data_id_number"}
    assert codes["personal_data_phone"].evidence["masked"] == ["138****5678", "139****5678"]
    assert decision.notice is not None and "个人信息" in decision.notice.zh


def test_full_width_digits_are_caught(svc: ComplianceService) -> None:
    decision = svc.guard.check_text("电话：１３８１２３４５６７８")
    assert decision.action == "redact" and "１３８" not in decision.redacted_text


def test_kickback_is_blocked_at_once(svc: ComplianceService) -> None:
    decision = svc.guard.check_text("可以给科室主任一点回扣，这样更快进院。")
    assert decision.action == "block" and not decision.allowed
    assert [f.code for f in decision.findings] == ["kickback_promise"]
    assert decision.notice is not None and "未发出" in decision.notice.zh


def test_off_label_claim_is_held_for_legal_review(svc: ComplianceService, ref_sqlite: SessionFactory) -> None:
    decision = svc.guard.check_text(
        "瑞畅药物涂层球囊也可用于下肢外周动脉病变。", {"role": "rep", "thread_id": "T1"}
    )
    assert decision.action == "hold" and decision.hold_id and len(decision.item_ids) == 1
    assert decision.findings[0].evidence["products"] == ["HMT-DCB-02"]
    with ref_sqlite() as s:
        item = s.get(WorkItem, decision.item_ids[0])
        assert item is not None and item.workbench == "legal_compliance" and item.kind == "guard_hold"
    status = svc.approve_hold(decision.hold_id, "P-SL", "legal_compliance")
    assert status.released and status.approvals == {"legal_compliance": "P-SL"}


def test_promise_outside_policy_needs_manager_and_legal(
    svc: ComplianceService, ref_sqlite: SessionFactory
) -> None:
    decision = svc.guard.check_text("如果本季度签约，我们可以额外给 2% 返利。", {"role": "rep"})
    assert decision.action == "hold" and decision.findings[0].check_mode.value == "dual_sign"
    assert decision.hold_id is not None
    with ref_sqlite() as s:
        wbs = {s.get(WorkItem, i).workbench for i in decision.item_ids}  # type: ignore[union-attr]
    assert wbs == {"legal_compliance", "manager"}
    first = svc.approve_hold(decision.hold_id, "P-SL", "legal_compliance")
    assert not first.released and first.needed == ["legal_compliance", "manager"]
    second = svc.approve_hold(decision.hold_id, "P-CJ", "manager")
    assert second.released and svc.hold_status(decision.hold_id).released
    with pytest.raises(HoldNotFoundError):
        svc.approve_hold("nope", "P-SL", "legal_compliance")


def test_block_wins_over_hold_and_text_is_still_redacted(svc: ComplianceService) -> None:
    decision = svc.guard.check_text("回扣之外再额外给 5% 折扣，联系 13812345678")
    assert decision.action == "block"
    assert "13812345678" not in decision.redacted_text
    assert {f.code for f in decision.findings} == {
        "kickback_promise",
        "gift_rebate_promise",
        "personal_data_phone",
    }


def test_artifact_is_checked_in_every_string(svc: ComplianceService) -> None:
    pack = {"title": "Battle pack", "sections": [{"text": "联系人电话 13812345678"}, {"items": ["ok", 3]}]}
    decision = svc.guard.check_artifact(pack, {"subject_id": "BP-1"})
    assert decision.action == "redact" and decision.redacted_artifact is not None
    assert "13812345678" not in decision.redacted_artifact["sections"][0]["text"]
    assert decision.redacted_artifact["sections"][1]["items"] == ["ok", 3]
    assert pack["sections"][0]["text"] == "联系人电话 13812345678"  # the original is untouched
    assert decision.findings[0].subject_type == "artifact" and decision.findings[0].subject_id == "BP-1"


def test_every_decision_is_audited_without_the_text(
    svc: ComplianceService, ref_sqlite: SessionFactory
) -> None:
    svc.guard.check_text("普通回答", {"actor": "P-ZW"})
    svc.guard.check_text("手机 13812345678", {"actor": "P-ZW"})
    with ref_sqlite() as s:
        entries = [
            e
            for e in s.execute(select(AuditEntry).order_by(AuditEntry.seq)).scalars()
            if e.action == "guard.decision"
        ]
        assert [e.payload["action"] for e in entries] == ["allow", "redact"]
        assert all("13812345678" not in str(e.payload) for e in entries)
        assert audit.verify(s).ok


def test_retired_rule_no_longer_guards(svc: ComplianceService) -> None:
    assert svc.guard.check_text("手机 13812345678").action == "redact"
    svc.rules.retire("ANS-PII-PHONE", actor="P-SL")
    assert svc.guard.check_text("手机 13812345678").action == "allow"
