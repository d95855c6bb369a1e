"""Manager metrics on a small hand-made history whose right values are worked out by hand below."""

from __future__ import annotations

import datetime as dt

import pytest

from knowledge.store.db import SessionFactory, transaction
from knowledge.store.models import BattlePack, FeedbackAnswer, Recommendation, Visit, WorkItem
from tests.tools.feedback_world import add_team_people
from tools.analytics.metrics import MetricsService

NOV = (dt.date(2026, 11, 1), dt.date(2026, 11, 30))


def _t(day: int, hour: int = 0, month: int = 11) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, tzinfo=dt.UTC)


def _history(factory: SessionFactory) -> None:
    add_team_people(factory)
    with transaction(factory) as s:
        # suggestions: November SD = R1 adopted, R2 rejected, R5 unjudged; GD = R3 invalid, R4 + R7 adopted
        for rid, prov, rep, judgement, created in [
            ("R1", "SD", "P-WQ", "adopted", _t(3)),
            ("R2", "SD", "P-WQ", "rejected", _t(4)),
            ("R3", "GD", "P-LN", "invalid", _t(5)),
            ("R4", "GD", "P-LN", "adopted", _t(6)),
            ("R5", "SD", "P-WQ", None, _t(7)),
            ("R6", "SD", "P-WQ", "adopted", _t(20, month=10)),  # October: outside
            ("R7", "GD", "P-LN", "adopted", _t(8)),
        ]:
            s.add(
                Recommendation(
                    id=rid,
                    kind="strategy",
                    source_type="battle_pack",
                    source_id="BP-x",
                    text="t",
                    province=prov,
                    rep_id=rep,
                    created_at=created,
                    judgement=judgement,
                )
            )
        # collaborative tasks (hours to acknowledge in comments)
        items = [
            ("feedback_route", "legal_compliance", "SD", {"rep_id": "P-WQ"}, _t(2, 10), 4, True),
            ("feedback_route", "marketing", "GD", {"rep_id": "P-LN"}, _t(3), 24, False),
            ("feedback_route", "medical_affairs", "SD", {"rep_id": "P-WQ"}, _t(5), None, False),
            (
                "escalation",
                "legal_compliance",
                "SD",
                {"rep_ids": ["P-WQ"], "answer_ids": [1, 2]},
                _t(6),
                10,
                False,
            ),
            # 17:00 UTC on Oct 31 is 01:00 on Nov 1 in Shanghai: a November task
            ("feedback_route", "legal_compliance", "SD", {"rep_id": "P-WQ"}, _t(31, 17, month=10), 2, True),
            (
                "feedback_route",
                "manager",
                "SD",
                {"rep_id": "P-WQ"},
                _t(31, 15, month=10),
                1,
                True,
            ),  # Oct 31 23:00
            ("battle_pack", "sales", "SD", {}, _t(9), 1, True),  # not a collaborative task
            ("escalation", "manager", "GD", {"rep_ids": ["P-LN"]}, _t(1, month=10), 5, True),  # closed
        ]
        for n, (kind, wb, prov, body, created, ack_h, closed) in enumerate(items):
            ack = created + dt.timedelta(hours=ack_h) if ack_h is not None else None
            s.add(
                WorkItem(
                    workbench=wb,
                    kind=kind,
                    title=f"item {n}",
                    body=body,
                    province=prov,
                    dedupe_key=f"k{n}",
                    status="closed" if closed else "acknowledged" if ack else "open",
                    created_at=created,
                    acknowledged_at=ack,
                    closed_at=ack + dt.timedelta(hours=1) if closed and ack else None,
                )
            )
        # visits in November: V-1 (mini world, P-ZW, no answers) + these three with 3 + 2 + 3 answers
        for vid, cust, rep, day, n_answers in [
            ("V-A", "H-SD-001", "P-WQ", dt.date(2026, 11, 2), 3),
            ("V-B", "H-SD-001", "P-WQ", dt.date(2026, 11, 10), 2),
            ("V-C", "H-GD-001", "P-LN", dt.date(2026, 11, 12), 3),
        ]:
            s.add(Visit(id=vid, customer_id=cust, rep_id=rep, visit_date=day))
            s.flush()
            prov = cust.split("-")[1]
            for i in range(n_answers):
                s.add(
                    FeedbackAnswer(
                        visit_id=vid,
                        question_id=f"Q{i}",
                        option_id=f"Q{i}-A",
                        theme="no_signal",
                        province=prov,
                        rep_id=rep,
                        idempotency_key=f"{vid}:{i}",
                    )
                )
        # battle packs: November ZJ DCB twice (3 versions, then 1), SD IVUS once; October GD outside
        for pid, cust, prod, day, version in [
            ("BP1", "H-ZJ-001", "HMT-DCB-02", dt.date(2026, 11, 5), 3),
            ("BP2", "H-ZJ-001", "HMT-DCB-02", dt.date(2026, 11, 20), 1),
            ("BP3", "H-SD-001", "HMT-IVUS-05", dt.date(2026, 11, 8), 1),
            ("BP4", "H-GD-001", "HMT-BC-03", dt.date(2026, 10, 1), 2),
        ]:
            s.add(
                BattlePack(
                    id=pid, customer_id=cust, product_id=prod, pack_date=day, content={}, version=version
                )
            )


@pytest.fixture
def metrics(mini_factory: SessionFactory) -> MetricsService:
    _history(mini_factory)
    return MetricsService(mini_factory, dt.date(2026, 11, 30))


def test_november_overall(metrics: MetricsService) -> None:
    m = metrics.metrics(*NOV)
    assert m.period.label == "2026-11"
    # adoption: adopted R1 R4 R7 = 3 of judged R1 R2 R3 R4 R7 = 5
    assert m.adoption_rate == pytest.approx(3 / 5)
    assert m.recommendations == {"adopted": 3, "rejected": 1, "invalid": 1, "judged": 5, "unjudged": 1}
    # tasks created in November (Shanghai days): items 0, 1, 2, 3, 4 -> closed 0 and 4
    assert (m.tasks_created, m.tasks_closed) == (5, 2)
    assert m.closure_rate == pytest.approx(0.4)
    # acknowledged after 4, 24, 10, 2 hours -> median (4 + 10) / 2
    assert m.median_response_hours == pytest.approx(7.0) and m.tasks_acknowledged == 4
    # visits V-1, V-A, V-B, V-C with 0 + 3 + 2 + 3 answers
    assert (m.visits, m.answers) == (4, 8) and m.feedback_density == pytest.approx(2.0)
    # packs BP1 (3 versions) + BP2 (1) on one subject, BP3 (1) on another
    assert (m.battle_pack_versions, m.battle_pack_subjects) == (5, 2)
    assert m.strategy_iteration_frequency == pytest.approx(2.5)
    assert [e.title for e in m.open_escalations] == ["item 3"] and m.open_escalations[0].answer_ids == [1, 2]
    assert any(src.ref == "work_items" for src in m.sources)
    assert "2026-11" in m.summary and "40.0%" in m.summary


def test_november_shandong(metrics: MetricsService) -> None:
    m = metrics.metrics(*NOV, region="山东")
    assert m.filters == {"region": "SD"}
    assert m.adoption_rate == pytest.approx(1 / 2)  # R1 adopted, R2 rejected
    assert (m.tasks_created, m.tasks_closed) == (4, 2)  # items 0, 2, 3, 4
    assert m.median_response_hours == pytest.approx(4.0)  # 4, 10, 2
    assert (m.visits, m.answers) == (2, 5) and m.feedback_density == pytest.approx(2.5)
    assert m.strategy_iteration_frequency == pytest.approx(1.0)
    assert len(m.open_escalations) == 1


def test_team_and_rep_filters(metrics: MetricsService) -> None:
    legal = metrics.metrics(*NOV, team="legal_compliance")
    assert (legal.tasks_created, legal.tasks_closed, legal.median_response_hours) == (3, 2, 4.0)  # 4, 10, 2
    assert legal.visits == 0 and legal.adoption_rate is None
    li = metrics.metrics(*NOV, rep_id="P-LN")
    assert li.adoption_rate == pytest.approx(2 / 3) and (li.tasks_created, li.median_response_hours) == (
        1,
        24.0,
    )
    assert li.feedback_density == pytest.approx(3.0) and li.strategy_iteration_frequency is None
    zhang = metrics.metrics(*NOV, rep_id="P-ZW")
    assert zhang.feedback_density == 0.0 and zhang.strategy_iteration_frequency == pytest.approx(4.0)


def test_breakdowns_match_filtered_figures(metrics: MetricsService) -> None:
    by_region = {r.key: r.metrics for r in metrics.breakdown(*NOV, by="region")}
    assert by_region["SD"].model_dump(exclude={"summary"}) == metrics.metrics(*NOV, region="SD").model_dump(
        exclude={"summary"}
    )
    by_month = metrics.breakdown(dt.date(2026, 10, 1), dt.date(2026, 11, 30), by="month")
    assert [r.key for r in by_month] == ["2026-10", "2026-11"]
    assert by_month[1].metrics.tasks_created == 5
    october = by_month[0].metrics  # items 5 (Oct 31 23:00 in Shanghai) and 7, acknowledged after 1 h and 5 h
    assert (october.tasks_created, october.tasks_closed, october.median_response_hours) == (2, 2, 3.0)
    assert october.open_escalations == []  # item 7 is closed
    assert october.strategy_iteration_frequency == pytest.approx(2.0)


def test_periods_resolve_against_today(metrics: MetricsService) -> None:
    q = metrics.period("上季度")
    assert (q.start, q.end, q.label) == (dt.date(2026, 7, 1), dt.date(2026, 9, 30), "2026-Q3")
    assert metrics.metrics(q.start, q.end).period.label == "2026-Q3"
    with pytest.raises(ValueError):
        metrics.metrics(dt.date(2026, 11, 30), dt.date(2026, 11, 1))
