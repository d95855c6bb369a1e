"""Battle packs over the demo world: structure, the SCENARIO shortages, save/push idempotence."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from knowledge.store.db import SessionFactory
from knowledge.store.models import BattlePack, Recommendation, WorkItem
from tools.base import AccessDeniedError
from tools.battle_pack import BattlePackService
from tools.common import NotFoundError, Principal, Role


def test_pack_is_structurally_complete(service: BattlePackService) -> None:
    pack = service.build("H-ZJ-001", "HMT-DCB-02")
    data = pack.model_dump(mode="json")
    assert data["customer_id"] == "H-ZJ-001" and data["product_id"] == "HMT-DCB-02"
    assert len(data["strategies"]) == 3
    for s in data["strategies"]:
        assert s["title"] and s["applies_when"] and s["talking_points"] and s["objection"] and s["answer"]
        assert s["evidence"] and all(e["sources"] for e in s["evidence"])
    assert len(data["substitutes"]) == 2 and all(s["products"] for s in data["substitutes"])
    cc = data["clinical_comparison"]
    assert cc["competitor_product"] == "CMP-BY-D"
    kinds = {r["kind"] for r in cc["rows"]}
    assert kinds == {"clinical", "economic"}
    assert all(r["ours"]["sources"] and r["competitor"]["sources"] for r in cc["rows"])
    assert any(r["ours"]["value"] == "0.21 mm" for r in cc["rows"])
    assert data["pushed_to"] == ["sales", "marketing", "medical_affairs"]
    assert data["compliance"]["status"] == "unchecked"
    keys = {f"{s['ref']}:{s['id']}" for s in data["sources"]}
    assert {"stock:WH-HZ/HMT-DCB-02", "competitor_products:CMP-BY-D", "DOC-EVD-DCB-02:evd-dcb#3"} <= keys


def test_situation_names_the_scenario_facts(service: BattlePackService) -> None:
    pack = service.build("H-ZJ-001", "HMT-DCB-02", save=False)
    text = " ".join(line.text for line in pack.situation)
    for fact in (
        "三甲",
        "滨江医联体",
        "乙类",
        "中选公示",
        "5,900",
        "2027-01-01",
        "35",
        "600",
        "博越紫杉醇球囊",
        "5,600",
        "1,200",
    ):
        assert fact in text, fact
    calcs = {c.shown for c in pack.calculations}
    assert "1,200 = 6,800 - 5,600" in calcs
    assert "65 = 100 - 35" in calcs  # shortfall below safety stock


def test_strategies_follow_the_situation_playbooks(service: BattlePackService) -> None:
    dcb = service.build("H-ZJ-001", "HMT-DCB-02", save=False)
    assert [s.playbook for s in dcb.strategies] == ["stock_short", "vbp_not_yet", "competitor_cheaper"]
    ivus = service.build("H-SD-001", "HMT-IVUS-05", save=False)
    assert {s.playbook for s in ivus.strategies} == {"stock_short", "vbp_not_yet", "imported_leader"}
    des_gd = service.build("H-GD-001", "HMT-DES-01", save=False)
    assert des_gd.strategies[0].playbook == "vbp_won"


def test_hangzhou_dcb_shortage_drops_option_b(service: BattlePackService) -> None:
    pack = service.build("H-ZJ-001", "HMT-DES-01", save=False)
    combos = [s.products for s in pack.substitutes]
    assert ["HMT-DCB-02"] not in combos
    assert combos == [["HMT-DES-01", "HMT-GW-04"], ["HMT-BC-03", "HMT-DES-01"]]
    assert [s.offer_id for s in pack.skipped_substitutes] == ["ALT-HMT-DES-01-2"]
    # the same product in Guangzhou, where DCB-02 is in stock, keeps option B
    assert ["HMT-DCB-02"] in [
        s.products for s in service.build("H-GD-001", "HMT-DES-01", save=False).substitutes
    ]


@pytest.mark.parametrize("customer", ["H-SD-001", "H-SD-002"])
def test_jinan_ivus_out_of_stock_skips_option_a(service: BattlePackService, customer: str) -> None:
    pack = service.build(customer, "HMT-FFR-06", save=False)
    combos = [s.products for s in pack.substitutes]
    assert len(combos) == 2
    assert all("HMT-IVUS-05" not in c for c in combos)
    assert combos[0] == ["HMT-FFR-06", "HMT-GW-04"]
    for sub in pack.substitutes:
        for line in sub.lines:
            assert line.on_hand >= line.safety_stock


def test_substitutes_are_priced_within_caps(service: BattlePackService) -> None:
    pack = service.build("H-GD-001", "HMT-BC-03", save=False)
    lines = {ln.product_id: ln for s in pack.substitutes for ln in s.lines}
    assert lines["HMT-BC-03"].cap == "1,150" and lines["HMT-BC-03"].unit_price == "1,150"
    bundle = next(s for s in pack.substitutes if s.products == ["HMT-BC-03", "HMT-GW-04"])
    assert bundle.bundle_price == "1,800"  # 1,150 + 650
    assert any(c.shown == "1,800 = 1,150 + 650" for c in pack.calculations)


def test_saving_twice_a_day_updates_not_duplicates(
    service: BattlePackService, demo_factory: SessionFactory
) -> None:
    first = service.build("H-ZJ-002", "HMT-DCB-02")
    second = service.build("H-ZJ-002", "HMT-DCB-02")
    assert first.meta.id == second.meta.id == "BP-H-ZJ-002-HMT-DCB-02-20261130"
    assert second.meta.version == 2
    assert first.meta.work_items == second.meta.work_items
    with demo_factory() as s:
        items = s.execute(select(WorkItem).where(WorkItem.source_id == first.meta.id)).scalars().all()
        assert sorted(i.workbench for i in items) == ["marketing", "medical_affairs", "sales"]
        by_wb = {i.workbench: i for i in items}
        assert "strategies" in by_wb["sales"].body and "substitutes" in by_wb["sales"].body
        assert "situation" in by_wb["marketing"].body
        assert "rows" in by_wb["medical_affairs"].body
        assert by_wb["sales"].owner_id is not None
        assert s.get(BattlePack, first.meta.id).version == 2  # type: ignore[union-attr]
        recs = s.execute(
            select(func.count()).select_from(Recommendation).where(Recommendation.source_id == first.meta.id)
        ).scalar()
        assert recs == 5  # 3 strategies + 2 substitutes
    assert service.get(first.meta.id) is not None


def test_unknown_entities_name_the_closest_matches(service: BattlePackService) -> None:
    with pytest.raises(NotFoundError) as err:
        service.build("青岛湾医院", "HMT-IVUS-05", save=False)
    assert err.value.kind == "customer" and "H-SD-002" in err.value.suggestions
    with pytest.raises(NotFoundError) as err2:
        service.build("H-SD-002", "HMT-IVUS-50", save=False)
    assert err2.value.kind == "product" and "HMT-IVUS-05" in str(err2.value)


def test_rep_cannot_build_for_another_reps_hospital(service: BattlePackService) -> None:
    rep = Principal(role=Role.REP, person_id="P-ZW")
    with pytest.raises(AccessDeniedError):
        service.build("H-SD-001", "HMT-IVUS-05", principal=rep, save=False)


def test_names_and_english_packs(service: BattlePackService) -> None:
    pack = service.build("Qingdao Bay Hospital", "HMT-IVUS-05", lang="en", save=False)
    assert pack.customer_id == "H-SD-002" and pack.meta.lang == "en"
    assert pack.customer_name == "Qingdao Bay Hospital"
    assert "Medix VisionIVUS" in pack.clinical_comparison.competitor_name


def test_save_and_push_on_both_backends(session_factory: SessionFactory) -> None:
    """The pack, its work items and recommendations round-trip on SQLite and PostgreSQL."""
    from knowledge.seed.loader import load_demo
    from tools.services import build_services

    load_demo(session_factory)
    today = dt.date(2026, 11, 30)
    service = BattlePackService(build_services(session_factory, today), session_factory, today)
    first = service.build("H-GD-001", "HMT-BC-03")
    second = service.build("H-GD-001", "HMT-BC-03")
    assert second.meta.version == 2 and second.meta.work_items == first.meta.work_items
    stored = service.get(first.meta.id)
    assert stored is not None and stored.model_dump() == second.model_dump()
    with session_factory() as s:
        n = s.execute(
            select(func.count()).select_from(WorkItem).where(WorkItem.source_id == first.meta.id)
        ).scalar()
        assert n == 3
