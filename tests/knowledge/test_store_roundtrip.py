"""Store round-trip on SQLite and PostgreSQL: JSON lists, money, dates, tz-aware datetimes, cascades."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from knowledge.store.db import SessionFactory, transaction
from knowledge.store.models import (
    Contract,
    ContractAttachment,
    ContractGift,
    ContractLine,
    Customer,
    MedicalGroup,
    Person,
    Product,
    Province,
    Stock,
    VbpAward,
    VbpProgramme,
    Warehouse,
    WorkItem,
)
from knowledge.store.repositories import catalog, commerce, market, parties


def _world(factory: SessionFactory) -> None:
    with transaction(factory) as s:
        s.add(Warehouse(id="WH-HZ", name_zh="杭州仓", name_en="Hangzhou", city="杭州"))
        s.flush()
        s.add(Province(code="ZJ", name_zh="浙江", name_en="Zhejiang", warehouse_id="WH-HZ", audit_pilot=True))
        s.flush()
        s.add(Person(id="P-ZW", name_zh="张伟", name_en="Zhang Wei", role="rep", team="sales", province="ZJ"))
        s.add(MedicalGroup(id="MG-1", name_zh="滨江医联体", name_en="Binjiang"))
        s.add(
            Product(
                id="HMT-DCB-02",
                name_zh="瑞畅药物涂层球囊",
                name_en="RuiChang DCB",
                category="drug-coated balloon",
                list_price=Decimal("6800.00"),
                nrdl_category="乙类",
                safety_stock=100,
                aliases=["瑞畅", "DCB"],
            )
        )
        s.flush()
        s.add(Stock(warehouse_id="WH-HZ", product_id="HMT-DCB-02", on_hand=35, on_order=600))
        for cid in ("H-1", "H-2"):
            s.add(
                Customer(
                    id=cid,
                    name_zh=f"医院{cid}",
                    name_en=f"Hospital {cid}",
                    province="ZJ",
                    city="杭州",
                    tier="三甲",
                    medical_group_id="MG-1",
                    rep_id="P-ZW",
                    aliases=[f"alias {cid}"],
                )
            )
        s.add(
            VbpProgramme(
                id="VBP-1",
                name_zh="联盟",
                name_en="alliance",
                scope="alliance",
                provinces=["ZJ"],
                member_count=12,
                stage="中选公示",
                stage_en="award announced",
                execution_start=dt.date(2027, 1, 1),
            )
        )
        s.flush()
        s.add(
            VbpAward(
                id="VA-1",
                programme_id="VBP-1",
                product_id="HMT-DCB-02",
                bid_price=Decimal(5900),
                won=True,
                price_cap=Decimal(5900),
                cap_effective_from=dt.date(2027, 1, 1),
            )
        )
        contract = Contract(
            id="C-1",
            customer_id="H-1",
            rep_id="P-ZW",
            signed_on=dt.date(2026, 5, 1),
            total_amount=Decimal("680000.50"),
        )
        contract.lines.append(
            ContractLine(product_id="HMT-DCB-02", quantity=100, unit_price=Decimal("6800.005"))
        )
        contract.gifts.append(ContractGift(name="医学教材", value=Decimal(3000)))
        contract.attachments.append(ContractAttachment(kind="compliance_declaration", filename="d.pdf"))
        s.add(contract)


def test_round_trip(session_factory: SessionFactory) -> None:
    _world(session_factory)
    with session_factory() as s:
        product = catalog.find_product(s, " dcb ")
        assert product is not None and product.id == "HMT-DCB-02"
        assert product.aliases == ["瑞畅", "DCB"] and product.list_price == Decimal("6800")
        assert catalog.find_product(s, "瑞畅").id == "HMT-DCB-02"  # type: ignore[union-attr]
        assert catalog.get_province(s, "浙江省").code == "ZJ"  # type: ignore[union-attr]
        assert catalog.warehouse_for_province(s, "ZJ").id == "WH-HZ"  # type: ignore[union-attr]
        stock = catalog.get_stock(s, "WH-HZ", "HMT-DCB-02")
        assert stock is not None and (stock.on_hand, stock.on_order) == (35, 600)
        assert [c.id for c in parties.related_customers(s, "H-1")] == ["H-2"]
        assert parties.find_person(s, "zhang wei").id == "P-ZW"  # type: ignore[union-attr]
        contract = commerce.get_contract(s, "C-1")
        assert contract is not None
        assert contract.total_amount == Decimal("680000.50")
        assert contract.lines[0].unit_price == Decimal("6800.01")  # Numeric(14, 2) rounds on both backends
        assert [g.name for g in contract.gifts] == ["医学教材"]
        assert [a.kind for a in contract.attachments] == ["compliance_declaration"]
        assert market.caps_in_force(s, "HMT-DCB-02", "ZJ", dt.date(2026, 11, 30)) == []
        assert len(market.caps_in_force(s, "HMT-DCB-02", "ZJ", dt.date(2027, 1, 1))) == 1
        assert market.vbp_programmes(s, province="GD") == []


def test_datetimes_and_cascade(session_factory: SessionFactory) -> None:
    _world(session_factory)
    # Timestamps are stored in UTC: SQLite keeps no offset, so a +08:00 value would come back shifted.
    stamp = dt.datetime(2026, 11, 24, 9, 30, tzinfo=dt.timezone(dt.timedelta(hours=8))).astimezone(dt.UTC)
    with transaction(session_factory) as s:
        s.add(
            WorkItem(
                workbench="legal_compliance",
                kind="escalation",
                title="t",
                body={"answer_ids": [1, 2]},
                created_at=stamp,
                owner_id="P-ZW",
            )
        )
    with transaction(session_factory) as s:
        item = s.query(WorkItem).one()
        created = item.created_at if item.created_at.tzinfo else item.created_at.replace(tzinfo=dt.UTC)
        assert created == stamp and item.body == {"answer_ids": [1, 2]}
        s.delete(s.get(Contract, "C-1"))
    with session_factory() as s:
        assert s.query(ContractLine).count() == 0 and s.query(ContractGift).count() == 0
