"""Playbooks are data: validation, conditions, a company's own playbook, safe model rewrites."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from knowledge.store.db import SessionFactory
from tools.battle_pack import BattlePackService, playbooks
from tools.battle_pack.facts import FactBook
from tools.battle_pack.refine import apply_sales, safe_rewrite
from tools.battle_pack.sections import sales_section
from tools.services import Services


def test_builtin_playbooks_cover_the_issue_situations() -> None:
    ids = {b.id for b in playbooks.load()}
    assert {
        "vbp_won",
        "vbp_lost",
        "vbp_not_yet",
        "stock_short",
        "competitor_cheaper",
        "imported_leader",
    } <= ids


def test_a_literal_figure_in_a_template_is_rejected(tmp_path: Path) -> None:
    bad = {
        "id": "bad",
        "name": "bad",
        "strategies": [
            {
                "id": "x",
                "title": "降价5%",
                "applies_when": "a",
                "talking_points": ["b"],
                "objection": "c",
                "answer": "d",
            }
        ],
    }
    (tmp_path / "bad.yaml").write_text(yaml.safe_dump(bad, allow_unicode=True), encoding="utf-8")
    with pytest.raises(playbooks.PlaybookError, match="literal figure"):
        playbooks.load_dir(tmp_path)


def test_conditions() -> None:
    facts = {"vbp_status": "won_pending", "stock_short": True, "share": 40}
    assert playbooks.matches({"vbp_status": ["won_pending", "tender"], "stock_short": True}, facts)
    assert not playbooks.matches({"vbp_status": "won"}, facts)
    assert playbooks.matches({"share": {"gt": 30, "lt": 50}}, facts)
    assert not playbooks.matches({"missing": {"exists": True}}, facts)
    with pytest.raises(playbooks.PlaybookError):
        playbooks.matches({"share": {"approx": 40}}, facts)


def test_a_company_playbook_is_picked_up(
    services: Services, demo_factory: SessionFactory, tmp_path: Path
) -> None:
    own = {
        "id": "tertiary_first",
        "name": {"zh": "三甲优先", "en": "Tertiary first"},
        "priority": 1,
        "when": {"tier": "三甲"},
        "strategies": [
            {
                "id": "kol",
                "title": {"zh": "学科带头人路线", "en": "Work with the department head"},
                "applies_when": "{customer}为{tier}医院，竞品终端价{competitor_price}元。",
                "talking_points": ["邀请科室主任参与{product}的病例讨论。"],
                "objection": "没时间。",
                "answer": "安排在科室例会上。",
            }
        ],
    }
    (tmp_path / "own.yaml").write_text(yaml.safe_dump(own, allow_unicode=True), encoding="utf-8")
    service = BattlePackService(services, demo_factory, services.today, playbook_dirs=[tmp_path])
    first = service.build("H-ZJ-001", "HMT-DCB-02", save=False).strategies[0]
    assert first.id == "tertiary_first.kol" and "5,600" in first.applies_when
    assert any("competitor_products:CMP-BY-D" in e.sources for e in first.evidence)
    # a 三乙 hospital does not get it
    assert all(
        s.playbook != "tertiary_first" for s in service.build("H-ZJ-002", "HMT-DCB-02", save=False).strategies
    )


def test_missing_facts_skip_a_strategy() -> None:
    book = FactBook(lang="zh")
    with pytest.raises(playbooks.MissingFactError):
        book.render("{competitor_price}")


def test_model_rewrites_may_not_add_figures(service: BattlePackService) -> None:
    assert safe_rewrite("价差1,200元", "两者相差 1200 元")
    assert not safe_rewrite("价差1,200元", "价差1,200元，下季度再降5%")
    assert not safe_rewrite("价差1,200元", "")
    g = service.gather("H-ZJ-001", "HMT-DCB-02")
    section = sales_section(g, service.services, service.playbooks)
    original = section.strategies[0].title
    rejected = apply_sales(
        section,
        {"strategies": [{"title": original + "（限时9折）", "answer": "可以，临床数据见对比表。"}]},
    )
    assert section.strategies[0].title == original
    assert section.strategies[0].answer == "可以，临床数据见对比表。"
    assert rejected == ["strategies[0].title"]
