"""Reps judge suggestions: adopted / rejected / invalid with a reason; invalid ones form a review queue."""

from __future__ import annotations

import datetime as dt

import pytest

from knowledge.store import audit
from knowledge.store.db import SessionFactory
from tests.tools.feedback_world import TickClock
from tools.common import Principal, Role
from tools.feedback.recommendations import RecommendationService


@pytest.fixture
def recs(fb_factory: SessionFactory) -> RecommendationService:
    return RecommendationService(fb_factory, dt.date(2026, 11, 30), clock=TickClock())


def _three(recs: RecommendationService) -> list[str]:
    return [
        recs.record(
            kind=k, source_type="battle_pack", source_id="BP-H-SD-001", text=t, province="SD", rep_id="P-WQ"
        ).id
        for k, t in [
            ("strategy", "强调IVUS指导PCI的证据"),
            ("substitute", "HMT-FFR-06 替代"),
            ("next_step", "约见科主任"),
        ]
    ]


def test_record_is_idempotent(recs: RecommendationService) -> None:
    assert _three(recs) == _three(recs)
    assert len(recs.list().items) == 3


def test_judgements_and_review_queue(recs: RecommendationService, fb_factory: SessionFactory) -> None:
    strategy, substitute, step = _three(recs)
    assert recs.judge(strategy, "adopted", actor="P-WQ").judgement == "adopted"
    assert (
        recs.judge(substitute, "rejected", reason="医院坚持原产品", actor="P-WQ").reason == "医院坚持原产品"
    )
    with pytest.raises(ValueError, match="needs a reason"):
        recs.judge(step, "invalid", actor="P-WQ")
    with pytest.raises(ValueError, match="must be one of"):
        recs.judge(step, "maybe", actor="P-WQ")
    bad = recs.judge(step, "invalid", reason="科主任已退休,建议失效", actor="P-WQ")
    assert bad.judged_at is not None and bad.judged_by == "P-WQ"
    queue = recs.review_queue().items
    assert [(r.id, r.reason) for r in queue] == [(step, "科主任已退休,建议失效")]
    # changing one's mind is allowed and audited
    assert recs.judge(substitute, "adopted", actor="P-WQ").judgement == "adopted"
    assert {r.id for r in recs.list(judgement="adopted").items} == {strategy, substitute}
    with fb_factory() as s:
        assert audit.verify(s).ok


def test_a_rep_judges_only_their_own_suggestions(recs: RecommendationService) -> None:
    strategy, *_ = _three(recs)
    with pytest.raises(PermissionError):
        recs.judge(strategy, "adopted", actor="P-ZW", principal=Principal(role=Role.REP, person_id="P-ZW"))
