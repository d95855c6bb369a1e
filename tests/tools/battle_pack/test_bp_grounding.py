"""The grounding scorer: real packs pass; any unsourced figure or wrong calculation is caught."""

from __future__ import annotations

import copy
import datetime as dt
from decimal import Decimal

import pytest

from tools.battle_pack import BattlePackService
from tools.battle_pack.grounding import evaluate, figures, score
from tools.battle_pack.render_md import render
from tools.battle_pack.source_text import StoreSourceText

TODAY = dt.date(2026, 11, 30)


def test_figures_skip_ids_and_read_dates_and_separators() -> None:
    found = figures("HMT-DCB-02 在WH-HZ 库存35件，价差1,200元（21.4%），自2027-01-01起，P2Y12 抑制剂")
    values = [f.value for f in found]
    assert values == [dt.date(2027, 1, 1), Decimal(35), Decimal(1200), Decimal("21.4")]


def test_evaluate_shown_calculations() -> None:
    assert evaluate("6,800 - 5,600")[0] == 1200
    assert evaluate("1,150 + 650")[0] == 1800


@pytest.mark.parametrize(
    ("customer", "product"),
    [
        ("H-ZJ-001", "HMT-DCB-02"),
        ("H-ZJ-001", "HMT-DES-01"),
        ("H-SD-001", "HMT-IVUS-05"),
        ("H-GD-001", "HMT-BC-03"),
    ],
)
def test_real_packs_are_grounded(
    service: BattlePackService, source_text: StoreSourceText, customer: str, product: str
) -> None:
    for lang in ("zh", "en"):
        pack = service.build(customer, product, lang=lang, save=False)
        report = score(pack.model_dump(mode="json"), render(pack), source_text, TODAY)
        assert report.grounded, report.describe()
        assert report.numbers_checked > 50


@pytest.fixture
def dcb(service: BattlePackService) -> tuple[dict, str]:  # type: ignore[type-arg]
    pack = service.build("H-ZJ-001", "HMT-DCB-02", save=False)
    return pack.model_dump(mode="json"), render(pack)


def test_an_invented_figure_in_a_talking_point_is_caught(
    dcb: tuple[dict, str], source_text: StoreSourceText
) -> None:  # type: ignore[type-arg]
    data, md = copy.deepcopy(dcb[0]), dcb[1]
    data["strategies"][0]["talking_points"].append("本季度可再优惠8%")
    report = score(data, None, source_text, TODAY)
    assert not report.grounded and [u.figure for u in report.unsourced] == ["8%"]
    bad_md = md.replace("## 替代产品组合", "竞品去年降价 15%。\n\n## 替代产品组合")
    assert any(u.figure == "15%" for u in score(dcb[0], bad_md, source_text, TODAY).unsourced)


def test_a_figure_cited_to_the_wrong_source_is_caught(
    dcb: tuple[dict, str], source_text: StoreSourceText
) -> None:  # type: ignore[type-arg]
    data = copy.deepcopy(dcb[0])
    line = next(s for s in data["situation"] if s["key"] == "competitor")
    line["sources"] = ["customers:H-ZJ-001"]  # 5,600 does not come from the customer record
    report = score(data, None, source_text, TODAY)
    assert any(u.figure == "5,600" for u in report.unsourced)


def test_wrong_or_unshown_calculations_are_caught(
    dcb: tuple[dict, str], source_text: StoreSourceText
) -> None:  # type: ignore[type-arg]
    data, md = copy.deepcopy(dcb[0]), dcb[1]
    gap = next(c for c in data["calculations"] if c["id"] == "calc-price_gap")
    gap["result"] = "1,300"
    assert any("calc-price_gap" in b for b in score(data, None, source_text, TODAY).bad_calculations)
    hidden = md.replace("1,200 = 6,800 - 5,600", "1,200")
    assert any("not shown" in b for b in score(dcb[0], hidden, source_text, TODAY).bad_calculations)
    data2 = copy.deepcopy(dcb[0])
    gap2 = next(c for c in data2["calculations"] if c["id"] == "calc-price_gap")
    gap2["expression"], gap2["result"] = "6,900 - 5,600", "1,300"
    assert any("unsourced operand" in b for b in score(data2, None, source_text, TODAY).bad_calculations)


def test_a_source_that_does_not_exist_is_caught(dcb: tuple[dict, str], source_text: StoreSourceText) -> None:  # type: ignore[type-arg]
    data = copy.deepcopy(dcb[0])
    data["sources"].append(
        {"kind": "record", "ref": "stock", "id": "WH-XX/HMT-DCB-02", "title": "", "detail": ""}
    )
    data["sources"].append({"kind": "chunk", "ref": "DOC-X", "id": "nope#1", "title": "", "detail": ""})
    report = score(data, None, source_text, TODAY)
    assert report.unresolved_sources == ["stock:WH-XX/HMT-DCB-02", "DOC-X:nope#1"]
