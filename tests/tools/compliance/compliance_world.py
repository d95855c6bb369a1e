"""Hand-made reference data and planted history from SCENARIO.md for the compliance tests."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from knowledge.store.db import SessionFactory, transaction
from knowledge.store.models import (
    Contract,
    ContractAttachment,
    ContractGift,
    ContractLine,
    Customer,
    GiftCatalogueItem,
    MedicalGroup,
    Order,
    Person,
    Prepayment,
    Product,
    Province,
    RebateProgramme,
    Warehouse,
)

PROVINCES = [
    ("ZJ", "浙江", "Zhejiang", "WH-HZ"),
    ("GD", "广东", "Guangdong", "WH-GZ"),
    ("SD", "山东", "Shandong", "WH-JN"),
    ("JS", "江苏", "Jiangsu", "WH-HZ"),
    ("SH", "上海", "Shanghai", "WH-HZ"),
]
PRODUCTS = [
    ("HMT-DES-01", 780),
    ("HMT-DCB-02", 6800),
    ("HMT-BC-03", 1200),
    ("HMT-GW-04", 650),
    ("HMT-IVUS-05", 9500),
    ("HMT-FFR-06", 7200),
]
CUSTOMERS = [
    ("H-ZJ-001", "ZJ", "MG-BJ"),
    ("H-ZJ-002", "ZJ", None),
    ("H-ZJ-003", "ZJ", "MG-BJ"),
    ("H-GD-001", "GD", None),
    ("H-GD-002", "GD", None),
    ("H-SD-001", "SD", None),
    ("H-SD-002", "SD", None),
]
CATALOGUE = [
    ("G-01", "学术会议资料包", "academic conference kit", 200),
    ("G-02", "临床培训模型", "clinical training model", 1500),
    ("G-03", "医学教材", "medical textbook", 300),
    ("G-04", "品牌笔记本", "branded notebook", 50),
]


def seed_reference(factory: SessionFactory) -> None:
    with transaction(factory) as s:
        for wid, city in (("WH-HZ", "杭州"), ("WH-GZ", "广州"), ("WH-JN", "济南")):
            s.add(Warehouse(id=wid, name_zh=city + "仓", name_en=wid, city=city))
        s.flush()
        for code, zh, en, wh in PROVINCES:
            s.add(
                Province(
                    code=code, name_zh=zh, name_en=en, warehouse_id=wh, audit_pilot=code in ("ZJ", "GD", "SD")
                )
            )
        for pid, price in PRODUCTS:
            s.add(
                Product(
                    id=pid,
                    name_zh=pid,
                    name_en=pid,
                    category="x",
                    list_price=Decimal(price),
                    nrdl_category="乙类",
                    safety_stock=10,
                )
            )
        s.add(MedicalGroup(id="MG-BJ", name_zh="滨江医联体", name_en="Binjiang group"))
        s.add(
            Person(
                id="P-SUNLEI",
                name_zh="孙磊",
                name_en="Sun Lei",
                role="legal_compliance",
                team="legal_compliance",
            )
        )
        s.add(Person(id="P-CHENJING", name_zh="陈静", name_en="Chen Jing", role="manager", team="manager"))
        s.flush()
        for cid, prov, group in CUSTOMERS:
            s.add(
                Customer(
                    id=cid,
                    name_zh=cid,
                    name_en=cid,
                    province=prov,
                    city="c",
                    tier="三甲",
                    medical_group_id=group,
                )
            )
        for gid, zh, en, value in CATALOGUE:
            s.add(GiftCatalogueItem(id=gid, name_zh=zh, name_en=en, unit_value=Decimal(value)))


def contract_payload(
    cid: str = "C-T-1",
    customer: str = "H-ZJ-001",
    signed_on: str = "2026-05-01",
    total: float = 1_000_000,
    lines: list[tuple[str, int, float]] | None = None,
    gifts: list[tuple[str, float]] | None = None,
    attachments: list[str] | None = None,
) -> dict[str, Any]:
    return {
        "contract_id": cid,
        "customer_id": customer,
        "signed_on": signed_on,
        "total_amount": total,
        "currency": "CNY",
        "lines": [
            {"product_id": p, "quantity": q, "unit_price": u}
            for p, q, u in (lines or [("HMT-GW-04", 1000, 650)])
        ],
        "gifts": [{"name": n, "value": v} for n, v in (gifts or [])],
        "attachments": [{"kind": k} for k in (attachments or [])],
    }


def store_contract(factory: SessionFactory, payload: dict[str, Any]) -> None:
    with transaction(factory) as s:
        c = Contract(
            id=payload["contract_id"],
            customer_id=payload["customer_id"],
            signed_on=dt.date.fromisoformat(payload["signed_on"]),
            total_amount=Decimal(str(payload["total_amount"])),
        )
        c.lines = [
            ContractLine(
                product_id=ln["product_id"],
                quantity=ln["quantity"],
                unit_price=Decimal(str(ln["unit_price"])),
            )
            for ln in payload["lines"]
        ]
        c.gifts = [ContractGift(name=g["name"], value=Decimal(str(g["value"]))) for g in payload["gifts"]]
        c.attachments = [ContractAttachment(kind=a["kind"]) for a in payload["attachments"]]
        s.add(c)


def seed_history(factory: SessionFactory) -> None:
    """The planted rebate and prepayment facts of SCENARIO.md, plus clean neighbours."""
    with transaction(factory) as s:
        n = 0

        def order(oid: str, cust: str, day: dt.date, amount: float) -> None:
            prov = next(p for c, p, _ in CUSTOMERS if c == cust)
            s.add(
                Order(
                    id=oid,
                    customer_id=cust,
                    product_id="HMT-DCB-02",
                    order_date=day,
                    quantity=1,
                    amount=Decimal(str(amount)),
                    province=prov,
                )
            )

        order("O-2025-1229", "H-ZJ-001", dt.date(2025, 12, 29), 1_200_000)
        own = []
        for month in range(1, 11):
            n += 1
            order(f"O-ZJ1-{n}", "H-ZJ-001", dt.date(2026, month, 10), 350_000)
            own.append(f"O-ZJ1-{n}")
        related = []
        for month in (3, 6):
            n += 1
            order(f"O-ZJ3-{n}", "H-ZJ-003", dt.date(2026, month, 12), 150_000)
            related.append(f"O-ZJ3-{n}")
        # own 3.5M + cross-year 1.2M + related 0.3M = 5.0M: needs both the cross-year and the related orders
        s.add(
            RebateProgramme(
                id="RB-2026-ZJ001",
                customer_id="H-ZJ-001",
                year=2026,
                threshold_amount=Decimal(5_000_000),
                rate_pct=Decimal(2),
                claimed_order_ids=["O-2025-1229", *own, *related],
                claimed_amount=Decimal(5_000_000),
                status="claimed",
            )
        )
        for month in range(1, 12):  # a clean programme reached within the year
            n += 1
            order(f"O-SD1-{n}", "H-SD-001", dt.date(2026, month, 5), 500_000)
        s.add(
            RebateProgramme(
                id="RB-2026-SD001",
                customer_id="H-SD-001",
                year=2026,
                threshold_amount=Decimal(5_000_000),
                rate_pct=Decimal(2),
                status="claimed",
            )
        )
        k = 0
        for prov, cust in (("GD", "H-GD-001"), ("ZJ", "H-ZJ-002"), ("SD", "H-SD-002")):
            for day in range(0, 82, 10):  # about one per 10 days in the rest of Q3
                k += 1
                s.add(
                    Prepayment(
                        id=f"PP-{k}",
                        customer_id=cust,
                        province=prov,
                        amount=Decimal(100_000),
                        paid_on=dt.date(2026, 7, 1) + dt.timedelta(days=day),
                    )
                )
        for i in range(9):  # GD: nine in the last 10 days of Q3
            k += 1
            s.add(
                Prepayment(
                    id=f"PP-{k}",
                    customer_id="H-GD-001",
                    province="GD",
                    amount=Decimal(100_000),
                    paid_on=dt.date(2026, 9, 21) + dt.timedelta(days=i),
                )
            )
        k += 1
        s.add(
            Prepayment(
                id=f"PP-{k}",
                customer_id="H-ZJ-002",
                province="ZJ",
                amount=Decimal(100_000),
                paid_on=dt.date(2026, 9, 25),
            )
        )
