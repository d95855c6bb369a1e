"""Market access: NRDL category, VBP stage, caps and whether they are in force on the demo date."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from knowledge.store.db import SessionFactory
from tools.policy import PolicyService

TODAY = dt.date(2026, 11, 30)


def test_dcb_cap_announced_but_not_in_force(mini_world: SessionFactory) -> None:
    res = PolicyService(mini_world, TODAY).access("HMT-DCB-02", "浙江")
    assert res.nrdl_category == "乙类" and res.province == "ZJ"
    [prog] = res.programmes
    assert prog.programme_id == "VBP-ZJ-DCB" and prog.stage == "中选公示"
    assert prog.ours is not None and prog.ours.bid_price == Decimal(5900)
    assert prog.ours.cap == Decimal(5900) and prog.ours.cap_in_force is False
    assert [(c.competitor_product_id, c.bid_price) for c in prog.competitors] == [("CMP-BY-D", Decimal(5600))]
    assert res.cap_in_force is None
    assert "not in force until 2027-01-01" in res.summary
    # the day execution starts, the same cap binds
    later = PolicyService(mini_world, dt.date(2027, 1, 1)).access("HMT-DCB-02", "ZJ")
    assert later.cap_in_force == Decimal(5900)


def test_caps_follow_programme_coverage(mini_world: SessionFactory) -> None:
    svc = PolicyService(mini_world, TODAY)
    assert svc.access("HMT-DES-01", "SD").cap_in_force == Decimal(798)  # national: everywhere
    assert svc.access("HMT-BC-03", "GD").cap_in_force == Decimal(1150)
    zj = svc.access("HMT-BC-03", "ZJ")
    assert zj.cap_in_force is None and zj.programmes == []  # Guangdong alliance only
    assert svc.access("HMT-DCB-02", "GD").programmes == []  # Guangdong is not in the DCB alliance
    ivus = svc.access("HMT-IVUS-05", "山东")
    assert ivus.nrdl_category == "丙类" and ivus.programmes[0].stage == "报量"
    assert ivus.programmes[0].ours is not None and ivus.programmes[0].ours.won is None
    assert ivus.cap_in_force is None


def test_price_quote_within_cap(mini_world: SessionFactory) -> None:
    svc = PolicyService(mini_world, TODAY)
    bc = svc.price("HMT-BC-03", province="GD")
    assert bc.unit_price == Decimal(1150) and bc.calculation.startswith("min(1,200 list, 1,150 cap")
    dcb = svc.price("HMT-DCB-02", customer_id="H-ZJ-001")
    assert dcb.unit_price == Decimal(6800) and dcb.cap is None
    assert "VBP-ZJ-DCB cap 5,900 from 2027-01-01" in dcb.calculation
    assert {"vbp_awards:AW-DCB", "customers:H-ZJ-001"} <= {s.key for s in dcb.sources}
