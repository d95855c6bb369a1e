"""Competitors by product, by hospital, and price gaps written as calculations."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from knowledge.store.db import SessionFactory
from tools.common import NotFoundError
from tools.competitor import CompetitorService, gap_calculation

TODAY = dt.date(2026, 11, 30)


def test_gap_calculation_text() -> None:
    assert gap_calculation(Decimal(6800), Decimal(5600)) == (Decimal(1200), "6,800 - 5,600 = 1,200")
    assert gap_calculation(Decimal(9500), Decimal(11800))[1] == "9,500 - 11,800 = -2,300"


def test_dcb_vs_boyue(mini_world: SessionFactory) -> None:
    res = CompetitorService(mini_world, TODAY).price_comparison("HMT-DCB-02", "博越紫杉醇球囊")
    [row] = res.rows
    assert row.calculation == "6,800 - 5,600 = 1,200" and row.gap_pct == Decimal("21.4")
    assert row.bid_calculation == "VBP-ZJ-DCB: 5,900 - 5,600 = 300"
    assert {"competitor_products:CMP-BY-D", "products:HMT-DCB-02"} <= {s.key for s in res.sources}


def test_cap_in_force_is_our_price(mini_world: SessionFactory) -> None:
    res = CompetitorService(mini_world, TODAY).price_comparison("HMT-BC-03", province="GD")
    assert res.rows[0].calculation == "1,150 - 1,100 = 50"
    assert "VBP cap" in res.rows[0].our_price_basis


def test_by_product_company_and_hospital(mini_world: SessionFactory) -> None:
    svc = CompetitorService(mini_world, TODAY)
    assert [e.competitor_product_id for e in svc.by_product("HMT-IVUS-05").entries] == ["CMP-MX-I"]
    assert {e.competitor_product_id for e in svc.by_product(competitor="Medix").entries} == {
        "CMP-MX-I",
        "CMP-MX-G",
        "CMP-MX-P",
    }
    hosp = svc.by_hospital("H-SD-001")
    assert [(e.competitor_product_id, e.share_pct) for e in hosp.entries] == [("CMP-MX-I", 70)]
    with pytest.raises(NotFoundError):
        svc.by_product(competitor="Nobody Medical")
