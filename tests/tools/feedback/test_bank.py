"""The question bank: the ids the seed history relies on, bilingual text, context-driven choice."""

from __future__ import annotations

from pathlib import Path

import pytest

from tools.feedback.bank import QUESTIONS_PER_VISIT, VisitContext, default_bank, load_bank


def test_contract_question_matches_the_seed_contract() -> None:
    bank = default_bank()
    option = bank.question("Q-CONTRACT").option("Q-CONTRACT-A")
    assert option.theme == "contract_template_flexibility"
    assert option.route is not None
    assert (option.route.team.value, option.route.owner) == ("legal_compliance", "P-SL")


def test_every_question_and_option_is_bilingual() -> None:
    for q in default_bank().questions:
        assert q.text.zh and q.text.en and len(q.options) >= 2
        for o in q.options:
            assert o.text.zh and o.text.en and o.theme


@pytest.mark.parametrize(
    ("ctx", "must_have"),
    [
        (VisitContext(product_id="HMT-IVUS-05", vbp_stage="报量", stock_short=True), {"Q-DELIVERY", "Q-VBP"}),
        (VisitContext(note="客户对我们的合同模板不满意"), {"Q-CONTRACT"}),
        (VisitContext(product_id="HMT-DCB-02", battle_pack_open=True, stock_short=True), {"Q-SUBSTITUTE"}),
        (VisitContext(recent_themes={"contract_template_flexibility"}), {"Q-CONTRACT"}),
        (VisitContext(note="the doctor asked about clinical evidence"), {"Q-CLINICAL"}),
    ],
)
def test_selection_follows_the_visit_context(ctx: VisitContext, must_have: set[str]) -> None:
    chosen = default_bank().select(ctx)
    assert len(chosen) == QUESTIONS_PER_VISIT
    assert must_have <= {q.id for q in chosen}


def test_plain_visit_gets_the_general_questions() -> None:
    assert [q.id for q in default_bank().select(VisitContext())] == [
        "Q-COMPETITOR",
        "Q-SUPPORT",
        "Q-DELIVERY",
    ]


def test_bank_rejects_a_theme_routed_two_ways(tmp_path: Path) -> None:
    bad = tmp_path / "bank.yaml"
    bad.write_text(
        """
version: 1
questions:
  - {id: A, text: {zh: a, en: a}, options: [{id: A1, text: {zh: x, en: x}, theme: t, route: {team: legal_compliance}}]}
  - {id: B, text: {zh: b, en: b}, options: [{id: B1, text: {zh: y, en: y}, theme: t, route: {team: marketing}}]}
  - {id: C, text: {zh: c, en: c}, options: [{id: C1, text: {zh: z, en: z}, theme: u}]}
""",
        encoding="utf-8",
    )
    with pytest.raises(ValueError, match="routed to two different targets"):
        load_bank(bad)


def test_a_yaml_comma_inside_unquoted_text_is_caught(tmp_path: Path) -> None:
    """`{zh: 是,担心缺货, en: ...}` splits the string in YAML flow style; the bank must refuse it."""
    bad = tmp_path / "bank.yaml"
    bad.write_text(
        """
version: 1
questions:
  - {id: A, text: {zh: a, en: a}, options: [{id: A1, text: {zh: 是,担心缺货, en: x}, theme: t}]}
  - {id: B, text: {zh: b, en: b}, options: [{id: B1, text: {zh: y, en: y}, theme: u}]}
  - {id: C, text: {zh: c, en: c}, options: [{id: C1, text: {zh: z, en: z}, theme: v}]}
""",
        encoding="utf-8",
    )
    with pytest.raises(ValueError, match="Extra inputs"):
        load_bank(bad)
