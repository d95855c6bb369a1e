"""Substitute offers: first two fully in stock at the serving warehouse, priced within caps in force."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from knowledge.store.db import SessionFactory, transaction
from knowledge.store.models import Stock
from tools.common import NotFoundError
from tools.inventory import InventoryService

TODAY = dt.date(2026, 11, 30)


def test_dcb_in_zhejiang_skips_offer_with_short_dcb(mini_world: SessionFactory) -> None:
    res = InventoryService(mini_world, TODAY).substitutes("H-ZJ-001", "HMT-DCB-02")
    assert res.warehouse_id == "WH-HZ"
    assert res.requested.on_hand == 35 and not res.requested.in_stock and res.requested.on_order == 600
    assert [o.product_ids for o in res.options] == [["HMT-BC-03", "HMT-DES-01"], ["HMT-BC-03", "HMT-GW-04"]]
    assert [o.rank for o in res.skipped] == [3]
    assert res.skipped[0].reasons == ["HMT-DCB-02 35 < safety 100 at WH-HZ"]
    assert any("HMT-DCB-02 35 < safety 100 at WH-HZ" in r for r in res.skip_reasons)
    # DES-01 is under the national stent cap (798), in force; list 780 is already below it
    des = next(ln for ln in res.options[0].lines if ln.product_id == "HMT-DES-01")
    assert des.cap == Decimal(798) and des.unit_price == Decimal(780)
    # BC-03's Guangdong cap does not apply in Zhejiang; the DCB alliance cap is not in force yet
    bc = next(ln for ln in res.options[0].lines if ln.product_id == "HMT-BC-03")
    assert bc.cap is None and bc.unit_price == Decimal(1200)
    assert res.requested.cap is None
    assert res.options[0].bundle_price == Decimal(1980)
    keys = {s.key for s in res.sources}
    assert {"stock:WH-HZ/HMT-DCB-02", "customers:H-ZJ-001", "alternative_offers:ALT-HMT-DCB-02-C"} <= keys


def test_ivus_in_shandong_offers_ffr(mini_world: SessionFactory) -> None:
    res = InventoryService(mini_world, TODAY).substitutes("H-SD-001", "HMT-IVUS-05")
    assert res.warehouse_id == "WH-JN"
    assert [o.product_ids for o in res.options] == [["HMT-FFR-06"], ["HMT-FFR-06", "HMT-GW-04"]]
    ffr = res.options[0].lines[0]
    assert (ffr.on_hand, ffr.safety_stock, ffr.in_stock) == (45, 20, True)
    assert [o.reasons for o in res.skipped] == [["HMT-IVUS-05 0 < safety 20 at WH-JN"]]


def test_limit_and_not_needed(mini_world: SessionFactory) -> None:
    res = InventoryService(mini_world, TODAY).substitutes("H-GD-001", "HMT-DES-01", limit=1)
    assert [o.rank for o in res.options] == [1]
    assert [o.rank for o in res.not_needed] == [2, 3]
    # Guangdong: the BC-03 cap 1,150 is in force and binds below list 1,200
    res = InventoryService(mini_world, TODAY).substitutes("H-GD-001", "HMT-DCB-02")
    bc = res.options[0].lines[0]
    assert bc.product_id == "HMT-BC-03" and bc.cap == Decimal(1150) and bc.unit_price == Decimal(1150)


def test_restock_changes_the_answer(mini_factory: SessionFactory) -> None:
    """Stock is read live: once DCB is above safety, option C is no longer skipped."""
    with transaction(mini_factory) as s:
        row = s.get(Stock, ("WH-HZ", "HMT-DCB-02"))
        assert row is not None
        row.on_hand = 100
    res = InventoryService(mini_factory, TODAY).substitutes("H-ZJ-001", "HMT-DCB-02", limit=3)
    assert [o.rank for o in res.options] == [1, 2, 3] and res.skipped == []


def test_unknown_ids_suggest(mini_world: SessionFactory) -> None:
    svc = InventoryService(mini_world, TODAY)
    with pytest.raises(NotFoundError) as err:
        svc.substitutes("H-ZJ-009", "HMT-DCB-02")
    assert "H-ZJ-00" in " ".join(err.value.suggestions)
    with pytest.raises(ValueError):
        svc.substitutes("H-ZJ-001", "HMT-DCB-02", limit=0)
    # names and aliases resolve too
    assert svc.substitutes("杭州滨江中心医院", "RuiChang DCB").customer_id == "H-ZJ-001"
