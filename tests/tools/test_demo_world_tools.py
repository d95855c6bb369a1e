"""The tools against the full demo world (knowledge/seed): the SCENARIO figures outside checks use."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from knowledge.store.db import SessionFactory
from tools.base import AccessDeniedError
from tools.common import Principal, Role
from tools.services import build_services

TODAY = dt.date(2026, 11, 30)


def test_substitutes_in_demo_world(demo_factory: SessionFactory) -> None:
    inv = build_services(demo_factory, TODAY).inventory
    zj = inv.substitutes("H-ZJ-001", "HMT-DCB-02")
    assert zj.warehouse_id == "WH-HZ" and (zj.requested.on_hand, zj.requested.safety_stock) == (35, 100)
    assert [o.product_ids for o in zj.options] == [["HMT-BC-03", "HMT-DES-01"], ["HMT-BC-03", "HMT-GW-04"]]
    assert any("HMT-DCB-02 35 < safety 100 at WH-HZ" in r for r in zj.skip_reasons)
    sd = inv.substitutes("H-SD-001", "HMT-IVUS-05")
    assert [o.product_ids for o in sd.options] == [["HMT-FFR-06"], ["HMT-FFR-06", "HMT-GW-04"]]
    assert sd.options[0].lines[0].on_hand == 45
    assert [o.product_ids for o in sd.skipped] == [["HMT-IVUS-05", "HMT-FFR-06"]]


def test_access_and_prices_in_demo_world(demo_factory: SessionFactory) -> None:
    s = build_services(demo_factory, TODAY)
    dcb = s.policy.access("HMT-DCB-02", "ZJ")
    assert dcb.cap_in_force is None and any(
        c.cap == Decimal(5900) and not c.in_force for c in dcb.announced_caps
    )
    assert s.policy.access("HMT-BC-03", "GD").cap_in_force == Decimal(1150)
    assert s.policy.access("HMT-DES-01", "SH").cap_in_force == Decimal(798)
    assert s.policy.access("HMT-IVUS-05", "SD").nrdl_category == "丙类"
    gap = s.competitor.price_comparison("HMT-DCB-02", "CMP-BY-D")
    assert gap.rows[0].calculation == "6,800 - 5,600 = 1,200"


def test_quarter_end_prepayment_cluster_visible(demo_factory: SessionFactory) -> None:
    res = build_services(demo_factory, TODAY).analytics.aggregate(
        "prepayments", "region", "2026-09-21..2026-09-30"
    )
    assert res.rows[0].key == "GD" and res.rows[0].count == 9


def test_rep_visibility_in_demo_world(demo_factory: SessionFactory) -> None:
    s = build_services(demo_factory, TODAY)
    zhang = Principal(role=Role.REP, person_id="P-ZW")
    profile = s.customer.profile("H-ZJ-001", principal=zhang)
    assert [r.id for r in profile.related_parties] == ["H-ZJ-003"]
    with pytest.raises(AccessDeniedError):
        s.customer.profile("H-SD-001", principal=zhang)
    assert {c.id for c in s.customer.list_customers(zhang).customers} >= {"H-ZJ-001", "H-ZJ-002", "H-ZJ-003"}
    assert "H-SD-001" not in {c.id for c in s.customer.list_customers(zhang).customers}
