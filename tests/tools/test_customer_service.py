"""Customer profiles, related parties, and rep visibility."""

from __future__ import annotations

import datetime as dt

import pytest

from knowledge.store.db import SessionFactory
from tools.base import AccessDeniedError
from tools.common import Principal, Role
from tools.customer import CustomerService

TODAY = dt.date(2026, 11, 30)
ZHANG = Principal(role=Role.REP, person_id="P-ZW")


def test_profile_with_related_party(mini_world: SessionFactory) -> None:
    p = CustomerService(mini_world, TODAY).profile("H-ZJ-001", principal=ZHANG)
    assert (p.tier, p.province, p.rep and p.rep.name_zh) == ("三甲", "ZJ", "张伟")
    assert p.medical_group is not None and [r.id for r in p.related_parties] == ["H-ZJ-003"]
    assert p.activity.orders_count == 2 and p.activity.last_visit_date == dt.date(2026, 11, 20)
    assert [c.id for c in p.recent_contracts] == ["C-2026-0501"]
    assert {"customers:H-ZJ-001", "orders:O-2", "visits:V-1", "medical_groups:MG-BJ"} <= {
        s.key for s in p.sources
    }


def test_rep_sees_only_own_customers(mini_world: SessionFactory) -> None:
    svc = CustomerService(mini_world, TODAY)
    with pytest.raises(AccessDeniedError):
        svc.profile("H-SD-001", principal=ZHANG)
    scoped = Principal(role=Role.REP, person_id="P-WQ", customer_ids=["H-SD-001"])
    assert svc.profile("H-SD-001", principal=scoped).customer_id == "H-SD-001"
    with pytest.raises(PermissionError):
        svc.contracts("H-ZJ-001", principal=scoped)
    assert [c.id for c in svc.list_customers(ZHANG).customers] == ["H-ZJ-001", "H-ZJ-002", "H-ZJ-003"]
    manager = Principal(role=Role.MANAGER, person_id="P-CJ")
    assert len(svc.list_customers(manager).customers) == 5


def test_contracts_window(mini_world: SessionFactory) -> None:
    svc = CustomerService(mini_world, TODAY)
    res = svc.contracts("H-ZJ-001", start=dt.date(2026, 7, 1), end=dt.date(2026, 9, 30))
    assert [c.id for c in res.contracts] == ["C-2026-0501"]
    assert res.contracts[0].lines[0]["product_id"] == "HMT-DCB-02"
    assert svc.contracts("H-ZJ-001", start=dt.date(2026, 10, 1)).contracts == []
