"""The detector and the metrics agree with the seeded demo history (knowledge/seed)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from knowledge.store.db import SessionFactory
from knowledge.store.models import FeedbackAnswer, WorkItem
from tools.analytics.metrics import MetricsService
from tools.feedback.service import FeedbackService

TODAY = dt.date(2026, 11, 30)


def test_seeded_shandong_run_is_escalated_once(demo_factory: SessionFactory) -> None:
    with demo_factory() as s:
        [item] = s.execute(select(WorkItem).where(WorkItem.kind == "escalation")).scalars()
        ids = item.body["answer_ids"]
        answers = [s.get(FeedbackAnswer, i) for i in ids]
        sd_contract = list(
            s.execute(
                select(FeedbackAnswer)
                .where(FeedbackAnswer.province == "SD", FeedbackAnswer.question_id == "Q-CONTRACT")
                .order_by(FeedbackAnswer.answered_at, FeedbackAnswer.id)
            ).scalars()
        )
    assert (item.workbench, item.owner_id) == ("legal_compliance", "P-SL")
    assert item.dedupe_key == f"escalation:SD:contract_template_flexibility:{ids[0]}"
    assert all(a is not None and a.option_id == "Q-CONTRACT-A" for a in answers)
    assert [a.id for a in sd_contract[-5:]] == ids  # the last 5 Shandong answers, in a row
    assert sd_contract[-6].option_id != "Q-CONTRACT-A"
    assert FeedbackService(demo_factory, TODAY).scan_patterns() == []


def test_a_sixth_answer_continues_the_run_without_a_second_item(demo_factory: SessionFactory) -> None:
    feedback = FeedbackService(demo_factory, TODAY)
    rec = feedback.record_visit(customer="H-SD-002", visit_date=TODAY, note="合同模板还是不够灵活")
    receipt = feedback.answer(rec.visit_id, {"Q-CONTRACT": "Q-CONTRACT-A"})
    assert receipt.answers[0].team == "legal_compliance" and receipt.escalations == []
    with demo_factory() as s:
        assert len(list(s.execute(select(WorkItem).where(WorkItem.kind == "escalation")).scalars())) == 1


def test_november_metrics_show_the_open_escalation(demo_factory: SessionFactory) -> None:
    m = MetricsService(demo_factory, TODAY).metrics(dt.date(2026, 11, 1), TODAY, region="SD")
    assert [e.owner_id for e in m.open_escalations] == ["P-SL"]
    assert m.visits > 0 and m.feedback_density == 3.0
    assert m.tasks_created >= m.tasks_closed and m.closure_rate is not None
