"""Pattern detection: N in a row escalates once, a different answer breaks the run, M in a window."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from knowledge.store.db import SessionFactory, transaction
from knowledge.store.models import FeedbackAnswer, Visit, WorkItem
from tests.tools.feedback_world import T0, TickClock
from tools.feedback.bank import default_bank
from tools.feedback.service import FeedbackService
from tools.workbench.push import push_item


def _contract_visit(feedback: FeedbackService, n: int, option: str, customer: str = "H-SD-001") -> None:
    day = dt.date(2026, 10, 1) + dt.timedelta(days=n)
    rec = feedback.record_visit(customer=customer, visit_date=day, note=f"第{n}次拜访,讨论合同条款")
    assert "Q-CONTRACT" in {q.id for q in rec.questions}
    feedback.answer(rec.visit_id, {"Q-CONTRACT": option})


def _escalations(factory: SessionFactory) -> list[WorkItem]:
    with factory() as s:
        return list(s.execute(select(WorkItem).where(WorkItem.kind == "escalation")).scalars())


def test_five_in_a_row_raise_one_escalation_to_legal(
    feedback: FeedbackService, fb_factory: SessionFactory
) -> None:
    for n in range(4):
        _contract_visit(feedback, n, "Q-CONTRACT-A")
    assert _escalations(fb_factory) == []
    _contract_visit(feedback, 4, "Q-CONTRACT-A")
    [item] = _escalations(fb_factory)
    with fb_factory() as s:
        answers = list(s.execute(select(FeedbackAnswer).order_by(FeedbackAnswer.id)).scalars())
    assert item.workbench == "legal_compliance" and item.owner_id == "P-SL" and item.province == "SD"
    assert item.dedupe_key == f"escalation:SD:contract_template_flexibility:{answers[0].id}"
    assert item.body["answer_ids"] == [a.id for a in answers]
    assert item.body["visit_ids"] == [a.visit_id for a in answers]
    assert item.sla_due is not None
    # the run goes on: no second item for it, neither online nor by a full scan
    for n in range(5, 12):
        _contract_visit(feedback, n, "Q-CONTRACT-A")
    assert feedback.scan_patterns() == []
    assert len(_escalations(fb_factory)) == 1


def test_a_different_answer_before_n_breaks_the_run(
    feedback: FeedbackService, fb_factory: SessionFactory
) -> None:
    options = ["Q-CONTRACT-A"] * 4 + ["Q-CONTRACT-C"] + ["Q-CONTRACT-A"] * 3
    for n, option in enumerate(options):
        _contract_visit(feedback, n, option)
    assert _escalations(fb_factory) == []
    assert feedback.scan_patterns() == []


def test_a_new_run_after_the_break_escalates_with_its_own_answers(
    fb_factory: SessionFactory, clock: TickClock
) -> None:
    bank = default_bank()
    no_window = bank.model_copy(update={"patterns": bank.patterns.model_copy(update={"window_count": 99})})
    feedback = FeedbackService(fb_factory, dt.date(2026, 11, 30), bank=no_window, clock=clock)
    options = ["Q-CONTRACT-A"] * 4 + ["Q-CONTRACT-C"] + ["Q-CONTRACT-A"] * 5
    for n, option in enumerate(options):
        _contract_visit(feedback, n, option)
    [item] = _escalations(fb_factory)
    with fb_factory() as s:
        ids = list(s.execute(select(FeedbackAnswer.id).order_by(FeedbackAnswer.id)).scalars())
    assert item.body["answer_ids"] == ids[5:] and item.body["rule"] == "run"


def test_other_regions_do_not_break_or_extend_a_regional_run(
    feedback: FeedbackService, fb_factory: SessionFactory
) -> None:
    for n in range(4):
        _contract_visit(feedback, n, "Q-CONTRACT-A")
        _contract_visit(feedback, 100 + n, "Q-CONTRACT-C", customer="H-GD-001")
    _contract_visit(feedback, 4, "Q-CONTRACT-A")
    [item] = _escalations(fb_factory)
    assert item.dedupe_key and item.dedupe_key.startswith("escalation:SD:")


def test_team_wide_run_across_regions_escalates_once(
    feedback: FeedbackService, fb_factory: SessionFactory
) -> None:
    customers = ["H-SD-001", "H-GD-001", "H-ZJ-001", "H-SD-001", "H-ZJ-002"]
    for n, cust in enumerate(customers):
        _contract_visit(feedback, n, "Q-CONTRACT-A", customer=cust)
    [item] = _escalations(fb_factory)
    assert item.dedupe_key and item.dedupe_key.startswith(
        "escalation:team-sales:contract_template_flexibility:"
    )
    assert item.province is None and item.body["scope"] == "team"


def test_m_times_in_a_window_escalates(fb_factory: SessionFactory) -> None:
    clock = TickClock(step=dt.timedelta(days=1))
    feedback = FeedbackService(fb_factory, dt.date(2026, 11, 30), clock=clock)
    # 8 requests for evidence in Guangdong within 30 days, never 5 in a row (a positive answer in between)
    options = ["A", "A", "A", "C", "A", "A", "A", "C", "A", "A"]
    for n, opt in enumerate(options):
        rec = feedback.record_visit(customer="H-GD-001", visit_date=dt.date(2026, 10, 1 + n), note="临床证据")
        feedback.answer(rec.visit_id, {"Q-CLINICAL": f"Q-CLINICAL-{opt}"})
    [item] = _escalations(fb_factory)
    assert item.body["rule"] == "window" and item.body["count"] == 8
    assert item.workbench == "medical_affairs" and item.owner_id == "P-ZM"


def test_old_answers_fall_out_of_the_window(fb_factory: SessionFactory) -> None:
    clock = TickClock(step=dt.timedelta(days=5))
    feedback = FeedbackService(fb_factory, dt.date(2026, 11, 30), clock=clock)
    for n, opt in enumerate(["A", "A", "A", "C"] * 3):  # 9 requests spread over 60 days
        rec = feedback.record_visit(customer="H-GD-001", visit_date=dt.date(2026, 9, 1 + n), note="临床证据")
        feedback.answer(rec.visit_id, {"Q-CLINICAL": f"Q-CLINICAL-{opt}"})
    assert _escalations(fb_factory) == []


def test_scan_over_seeded_history_does_not_raise_the_seeded_run_again(fb_factory: SessionFactory) -> None:
    """The seed writes the Shandong run and its escalation directly; the detector must agree."""
    with transaction(fb_factory) as s:
        ids = []
        for n in range(5):
            s.add(
                Visit(
                    id=f"V-SEED-{n}",
                    customer_id="H-SD-001",
                    rep_id="P-WQ",
                    visit_date=dt.date(2026, 9, 1 + n),
                )
            )
            s.flush()
            answer = FeedbackAnswer(
                visit_id=f"V-SEED-{n}",
                question_id="Q-CONTRACT",
                option_id="Q-CONTRACT-A",
                theme="contract_template_flexibility",
                team="legal_compliance",
                owner_id="P-SL",
                province="SD",
                rep_id="P-WQ",
                answered_at=T0 - dt.timedelta(days=60 - n),
                idempotency_key=f"seed-{n}",
            )
            s.add(answer)
            s.flush()
            ids.append(answer.id)
        push_item(
            s,
            workbench="legal_compliance",
            kind="escalation",
            title="seeded",
            owner_id="P-SL",
            province="SD",
            dedupe_key=f"escalation:SD:contract_template_flexibility:{ids[0]}",
        )
    feedback = FeedbackService(fb_factory, dt.date(2026, 11, 30), clock=TickClock())
    assert feedback.scan_patterns() == []
    assert len(_escalations(fb_factory)) == 1
