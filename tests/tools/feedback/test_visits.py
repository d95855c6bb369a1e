"""Recording visits and answering: screening, idempotent resubmission, routing with an SLA."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from knowledge.store import audit
from knowledge.store.db import SessionFactory
from knowledge.store.models import AuditEntry, FeedbackAnswer, Visit, WorkItem
from tools.common import Principal, Role
from tools.feedback.models import AnswerConflictError, InvalidAnswerError
from tools.feedback.service import FeedbackService

DAY = dt.date(2026, 11, 2)


def _counts(factory: SessionFactory) -> tuple[int, int, int, int]:
    with factory() as s:
        return tuple(  # type: ignore[return-value]
            s.scalar(select(func.count()).select_from(m))
            for m in (Visit, FeedbackAnswer, WorkItem, AuditEntry)
        )


def test_note_is_screened_before_storage(feedback: FeedbackService, fb_factory: SessionFactory) -> None:
    rec = feedback.record_visit(
        customer="H-SD-001",
        visit_date=DAY,
        people_met=["李主任"],
        note="主任手机 13912345678,邮箱 li@hosp.cn,对合同模板有意见",
    )
    assert "13912345678" not in rec.note and "li@hosp.cn" not in rec.note
    assert sorted(rec.redactions) == ["email", "mobile"]
    with fb_factory() as s:
        stored = s.get(Visit, rec.visit_id)
        assert stored is not None and "13912345678" not in stored.note
        assert stored.rep_id == "P-WQ"  # the customer's rep when none is named


def test_injected_screener_is_used(fb_factory: SessionFactory) -> None:
    class Upper:
        def check_text(self, text: str, context: object) -> object:
            assert isinstance(context, dict) and context["customer_id"] == "H-ZJ-001"
            return type("D", (), {"redacted_text": "[removed]", "findings": ["pii"]})()

    rec = FeedbackService(fb_factory, DAY, screener=Upper()).record_visit(customer="H-ZJ-001", note="secret")
    assert rec.note == "[removed]" and rec.redactions == ["pii"]


def test_visit_gets_three_context_questions_and_recording_twice_is_one_visit(
    feedback: FeedbackService, fb_factory: SessionFactory
) -> None:
    kwargs = dict(
        customer="济南历下人民医院", visit_date=DAY, product="HMT-IVUS-05", note="IVUS 断货,客户着急"
    )
    first = feedback.record_visit(**kwargs)  # type: ignore[arg-type]
    again = feedback.record_visit(**kwargs)  # type: ignore[arg-type]
    assert first.created and not again.created and first.visit_id == again.visit_id
    ids = [q.id for q in first.questions]
    assert len(ids) == 3 and ids[0] == "Q-DELIVERY"  # out of stock in Jinan + note says 断货
    assert "Q-VBP" in ids  # Shandong IVUS tender in 报量
    assert all(q.text.zh and q.text.en for q in first.questions)
    assert _counts(fb_factory)[0] == 4  # three mini-world visits + this one


def test_answers_route_to_team_workbenches_with_sla(
    feedback: FeedbackService, fb_factory: SessionFactory
) -> None:
    rec = feedback.record_visit(customer="H-SD-001", visit_date=DAY, note="客户对合同模板有疑问,需要法务支持")
    assert {"Q-CONTRACT", "Q-SUPPORT"} <= {q.id for q in rec.questions}
    third = next(q.id for q in rec.questions if q.id not in {"Q-CONTRACT", "Q-SUPPORT"})
    no_route = next(o.id for o in feedback.bank.question(third).options if o.theme == "no_signal")
    receipt = feedback.answer(
        rec.visit_id, {"Q-CONTRACT": "Q-CONTRACT-A", "Q-SUPPORT": "Q-SUPPORT-A", third: no_route}
    )
    routed = {a.question_id: a for a in receipt.answers}
    assert routed["Q-CONTRACT"].team == "legal_compliance" and routed["Q-CONTRACT"].owner_id == "P-SL"
    assert routed["Q-SUPPORT"].team == "medical_affairs" and routed["Q-SUPPORT"].owner_id == "P-ZM"
    assert routed[third].team is None and routed[third].work_item_id is None
    with fb_factory() as s:
        items = {i.id: i for i in s.execute(select(WorkItem)).scalars()}
        legal = items[routed["Q-CONTRACT"].work_item_id or -1]
        assert (legal.workbench, legal.kind, legal.owner_id, legal.province) == (
            "legal_compliance",
            "feedback_route",
            "P-SL",
            "SD",
        )
        assert legal.sla_due is not None and legal.body["visit_id"] == rec.visit_id
        assert (legal.sla_due - legal.created_at) == dt.timedelta(hours=72)
        assert len(items) == 2
        assert audit.verify(s).ok


def test_resubmitting_the_same_answers_creates_nothing(
    feedback: FeedbackService, fb_factory: SessionFactory
) -> None:
    rec = feedback.record_visit(customer="H-SD-001", visit_date=DAY, note="合同条款")
    answers = {q.id: q.options[0].id for q in rec.questions}
    first = feedback.answer(rec.visit_id, answers)
    before = _counts(fb_factory)
    second = feedback.answer(rec.visit_id, answers)  # retry / double tap
    third = feedback.answer(rec.visit_id, {rec.questions[0].id: rec.questions[0].options[0].id})
    assert _counts(fb_factory) == before
    assert first.created_anything and not second.created_anything and not third.created_anything
    assert [a.answer_id for a in first.answers] == [a.answer_id for a in second.answers]
    assert [a.work_item_id for a in first.answers] == [a.work_item_id for a in second.answers]


def test_changing_an_answer_is_a_conflict(feedback: FeedbackService) -> None:
    rec = feedback.record_visit(customer="H-SD-001", visit_date=DAY, note="合同")
    feedback.answer(rec.visit_id, {"Q-CONTRACT": "Q-CONTRACT-A"})
    with pytest.raises(AnswerConflictError):
        feedback.answer(rec.visit_id, {"Q-CONTRACT": "Q-CONTRACT-C"})


def test_unasked_question_or_foreign_option_is_refused(feedback: FeedbackService) -> None:
    rec = feedback.record_visit(customer="H-ZJ-001", visit_date=DAY)
    asked = {q.id for q in rec.questions}
    unasked = next(q.id for q in feedback.bank.questions if q.id not in asked)
    with pytest.raises(InvalidAnswerError, match="was not asked"):
        feedback.answer(rec.visit_id, {unasked: f"{unasked}-A"})
    first = rec.questions[0].id
    with pytest.raises(InvalidAnswerError, match="is not an option"):
        feedback.answer(rec.visit_id, {first: "Q-CONTRACT-A"})


def test_a_rep_records_only_for_their_own_customers(feedback: FeedbackService) -> None:
    wang = Principal(role=Role.REP, person_id="P-WQ")
    rec = feedback.record_visit(customer="H-SD-001", visit_date=DAY, principal=wang)
    assert rec.rep_id == "P-WQ"
    with pytest.raises(PermissionError):
        feedback.record_visit(customer="H-ZJ-001", visit_date=DAY, principal=wang)
    with pytest.raises(PermissionError):
        feedback.answer(
            rec.visit_id,
            {rec.questions[0].id: rec.questions[0].options[0].id},
            principal=Principal(role=Role.REP, person_id="P-ZW"),
        )


def test_the_compliance_guard_screens_notes(fb_factory: SessionFactory) -> None:
    from tools.compliance.service import ComplianceService

    guard = ComplianceService(fb_factory, DAY).guard
    service = FeedbackService(fb_factory, DAY, screener=guard)
    rec = service.record_visit(
        customer="H-SD-001", visit_date=DAY, note="李主任手机 139 1234 5678,关心合同模板"
    )
    assert "5678" not in rec.note and "合同模板" in rec.note
    assert rec.redactions == ["personal_data_phone"]
