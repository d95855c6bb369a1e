"""A small hand-made slice of the demo world (shared/SCENARIO.md figures) for the tool tests.

The tool tests run against both this slice (on SQLite and PostgreSQL) and the full demo world;
the slice keeps the tests independent of the seed loader's extra history.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy.orm import Session

from knowledge.store.db import SessionFactory, transaction
from knowledge.store.models import (
    AlternativeOffer,
    Competitor,
    CompetitorProduct,
    Contract,
    ContractLine,
    Customer,
    CustomerCompetitor,
    InsurancePolicy,
    MedicalGroup,
    Order,
    Person,
    Prepayment,
    Product,
    Province,
    Stock,
    VbpAward,
    VbpProgramme,
    Visit,
    Warehouse,
)

PRODUCTS = [
    ("HMT-DES-01", "瑞通药物洗脱支架", "RuiTong DES", 780, "乙类", 500),
    ("HMT-DCB-02", "瑞畅药物涂层球囊", "RuiChang DCB", 6800, "乙类", 100),
    ("HMT-BC-03", "瑞达球囊扩张导管", "RuiDa PTCA balloon", 1200, "乙类", 300),
    ("HMT-GW-04", "瑞引导丝", "RuiYin guidewire", 650, "乙类", 300),
    ("HMT-IVUS-05", "瑞影血管内超声导管", "RuiYing IVUS catheter", 9500, "丙类", 20),
    ("HMT-FFR-06", "瑞测压力导丝", "RuiCe FFR wire", 7200, "乙类", 20),
]
STOCK = {
    "WH-HZ": [(4200, 0), (35, 600), (1800, 0), (2600, 0), (160, 0), (90, 0)],
    "WH-GZ": [(3100, 0), (420, 0), (2400, 0), (1900, 0), (75, 40), (60, 0)],
    "WH-JN": [(2050, 500), (260, 0), (900, 0), (1200, 0), (0, 120), (45, 0)],
}
OFFERS = {
    "HMT-DES-01": [["HMT-DES-01", "HMT-GW-04"], ["HMT-DCB-02"], ["HMT-BC-03", "HMT-DES-01"]],
    "HMT-DCB-02": [["HMT-BC-03", "HMT-DES-01"], ["HMT-BC-03", "HMT-GW-04"], ["HMT-DCB-02", "HMT-GW-04"]],
    "HMT-BC-03": [["HMT-DCB-02"], ["HMT-BC-03", "HMT-GW-04"], ["HMT-DES-01", "HMT-BC-03"]],
    "HMT-GW-04": [["HMT-GW-04", "HMT-BC-03"], ["HMT-GW-04", "HMT-DES-01"], ["HMT-GW-04", "HMT-FFR-06"]],
    "HMT-IVUS-05": [["HMT-FFR-06"], ["HMT-FFR-06", "HMT-GW-04"], ["HMT-IVUS-05", "HMT-FFR-06"]],
    "HMT-FFR-06": [["HMT-IVUS-05"], ["HMT-FFR-06", "HMT-GW-04"], ["HMT-IVUS-05", "HMT-FFR-06"]],
}
COMPETITOR_PRODUCTS = [
    ("CMP-KW-S", "KW", "康维Pro支架", "KW-Stent Pro", "HMT-DES-01", 760),
    ("CMP-BY-D", "BY", "博越紫杉醇球囊", "Boyue PTX DCB", "HMT-DCB-02", 5600),
    ("CMP-MX-I", "MX", "Medix VisionIVUS", "Medix VisionIVUS", "HMT-IVUS-05", 11800),
    ("CMP-KW-B", "KW", "康维球囊", "KW-Balloon", "HMT-BC-03", 1100),
    ("CMP-MX-G", "MX", "Medix SilkWire", "Medix SilkWire", "HMT-GW-04", 720),
    ("CMP-MX-P", "MX", "Medix PressureWire X", "Medix PressureWire X", "HMT-FFR-06", 8500),
]
CUSTOMERS = [
    ("H-ZJ-001", "杭州滨江中心医院", "Hangzhou Binjiang Central Hospital", "ZJ", "三甲", "MG-BJ", "P-ZW"),
    ("H-ZJ-002", "宁波东港人民医院", "Ningbo Donggang People's Hospital", "ZJ", "三乙", None, "P-ZW"),
    ("H-ZJ-003", "滨江医联体社区医院", "Binjiang Community Hospital", "ZJ", "二级", "MG-BJ", "P-ZW"),
    (
        "H-GD-001",
        "广州天河心血管医院",
        "Guangzhou Tianhe Cardiovascular Hospital",
        "GD",
        "三甲",
        None,
        "P-LN",
    ),
    ("H-SD-001", "济南历下人民医院", "Jinan Lixia People's Hospital", "SD", "三甲", None, "P-WQ"),
]


def _base(s: Session) -> None:
    s.add_all(
        [
            Warehouse(id="WH-HZ", name_zh="杭州仓", name_en="Hangzhou warehouse", city="杭州"),
            Warehouse(id="WH-GZ", name_zh="广州仓", name_en="Guangzhou warehouse", city="广州"),
            Warehouse(id="WH-JN", name_zh="济南仓", name_en="Jinan warehouse", city="济南"),
        ]
    )
    s.flush()
    for code, zh, en, wh, pilot in [
        ("ZJ", "浙江", "Zhejiang", "WH-HZ", True),
        ("GD", "广东", "Guangdong", "WH-GZ", True),
        ("SD", "山东", "Shandong", "WH-JN", True),
        ("JS", "江苏", "Jiangsu", "WH-HZ", False),
        ("SH", "上海", "Shanghai", "WH-HZ", False),
    ]:
        s.add(Province(code=code, name_zh=zh, name_en=en, warehouse_id=wh, audit_pilot=pilot))
    for pid, zh, en, price, nrdl, safety in PRODUCTS:
        s.add(
            Product(
                id=pid,
                name_zh=zh,
                name_en=en,
                category="device",
                list_price=Decimal(price),
                nrdl_category=nrdl,
                safety_stock=safety,
                aliases=[en.split()[0]],
            )
        )
    s.flush()
    for wh, rows in STOCK.items():
        for (pid, *_), (on_hand, on_order) in zip(PRODUCTS, rows, strict=True):
            s.add(Stock(warehouse_id=wh, product_id=pid, on_hand=on_hand, on_order=on_order))
    for pid, combos in OFFERS.items():
        for rank, combo in enumerate(combos, start=1):
            label = " + ".join(combo)
            s.add(
                AlternativeOffer(
                    id=f"ALT-{pid}-{'ABC'[rank - 1]}",
                    product_id=pid,
                    rank=rank,
                    product_ids=combo,
                    label_zh=label,
                    label_en=label,
                )
            )


def _market(s: Session) -> None:
    for pid, _zh, _en, _price, nrdl, _safety in PRODUCTS:
        s.add(
            InsurancePolicy(
                id=f"NRDL-{pid}", product_id=pid, category=nrdl, effective_from=dt.date(2024, 1, 1)
            )
        )
    s.add_all(
        [
            Competitor(id="KW", name_zh="康维医疗", name_en="Kangwei Medical", origin="domestic"),
            Competitor(id="BY", name_zh="博越生物", name_en="Boyue Bio", origin="domestic"),
            Competitor(id="MX", name_zh="Medix", name_en="Medix", origin="imported"),
        ]
    )
    s.flush()
    for cid, comp, zh, en, against, price in COMPETITOR_PRODUCTS:
        s.add(
            CompetitorProduct(
                id=cid,
                competitor_id=comp,
                name_zh=zh,
                name_en=en,
                against_product_id=against,
                terminal_price=Decimal(price),
            )
        )
    s.add_all(
        [
            VbpProgramme(
                id="VBP-NAT-STENT",
                name_zh="国家冠脉支架集采",
                name_en="National stent VBP",
                scope="national",
                provinces=["*"],
                stage="执行中",
                stage_en="in execution",
                execution_start=dt.date(2021, 1, 1),
            ),
            VbpProgramme(
                id="VBP-ZJ-DCB",
                name_zh="浙江牵头12省联盟药物球囊集采",
                name_en="Zhejiang-led DCB alliance",
                scope="alliance",
                lead_province="ZJ",
                provinces=["ZJ", "JS", "SH"],
                member_count=12,
                stage="中选公示",
                stage_en="award announced",
                execution_start=dt.date(2027, 1, 1),
            ),
            VbpProgramme(
                id="VBP-GD-BC",
                name_zh="广东联盟球囊集采",
                name_en="Guangdong balloon alliance",
                scope="alliance",
                lead_province="GD",
                provinces=["GD"],
                stage="执行中",
                stage_en="in execution",
                execution_start=dt.date(2025, 7, 1),
            ),
            VbpProgramme(
                id="VBP-SD-IVUS",
                name_zh="山东IVUS招标",
                name_en="Shandong IVUS tender",
                scope="provincial",
                provinces=["SD"],
                stage="报量",
                stage_en="volume reporting",
            ),
        ]
    )
    s.flush()
    s.add_all(
        [
            VbpAward(
                id="AW-DES",
                programme_id="VBP-NAT-STENT",
                product_id="HMT-DES-01",
                bid_price=Decimal(798),
                won=True,
                price_cap=Decimal(798),
                cap_effective_from=dt.date(2021, 1, 1),
            ),
            VbpAward(
                id="AW-KWS",
                programme_id="VBP-NAT-STENT",
                competitor_product_id="CMP-KW-S",
                bid_price=Decimal(760),
                won=True,
            ),
            VbpAward(
                id="AW-DCB",
                programme_id="VBP-ZJ-DCB",
                product_id="HMT-DCB-02",
                bid_price=Decimal(5900),
                won=True,
                price_cap=Decimal(5900),
                cap_effective_from=dt.date(2027, 1, 1),
            ),
            VbpAward(
                id="AW-BYD",
                programme_id="VBP-ZJ-DCB",
                competitor_product_id="CMP-BY-D",
                bid_price=Decimal(5600),
                won=True,
            ),
            VbpAward(
                id="AW-BC",
                programme_id="VBP-GD-BC",
                product_id="HMT-BC-03",
                bid_price=Decimal(1150),
                won=True,
                price_cap=Decimal(1150),
                cap_effective_from=dt.date(2025, 7, 1),
            ),
            VbpAward(id="AW-IVUS", programme_id="VBP-SD-IVUS", product_id="HMT-IVUS-05", won=None),
        ]
    )


def _parties_and_history(s: Session) -> None:
    s.add(MedicalGroup(id="MG-BJ", name_zh="滨江医联体", name_en="Binjiang medical group"))
    for pid, zh, en, role, team, prov in [
        ("P-ZW", "张伟", "Zhang Wei", "rep", "sales", "ZJ"),
        ("P-LN", "李娜", "Li Na", "rep", "sales", "GD"),
        ("P-WQ", "王强", "Wang Qiang", "rep", "sales", "SD"),
        ("P-CJ", "陈静", "Chen Jing", "manager", "manager", None),
    ]:
        s.add(Person(id=pid, name_zh=zh, name_en=en, role=role, team=team, province=prov))
    s.flush()
    for cid, zh, en, prov, tier, group, rep in CUSTOMERS:
        s.add(
            Customer(
                id=cid,
                name_zh=zh,
                name_en=en,
                province=prov,
                city="",
                tier=tier,
                medical_group_id=group,
                rep_id=rep,
            )
        )
    s.flush()
    s.add(CustomerCompetitor(customer_id="H-ZJ-001", competitor_product_id="CMP-BY-D", share_pct=30))
    s.add(CustomerCompetitor(customer_id="H-SD-001", competitor_product_id="CMP-MX-I", share_pct=70))
    s.add(
        Contract(
            id="C-2026-0501",
            customer_id="H-ZJ-001",
            rep_id="P-ZW",
            signed_on=dt.date(2026, 9, 10),
            total_amount=Decimal(1_000_000),
            lines=[ContractLine(product_id="HMT-DCB-02", quantity=100, unit_price=Decimal(6800))],
        )
    )
    s.add(
        Contract(
            id="C-2026-0311",
            customer_id="H-GD-001",
            rep_id="P-LN",
            signed_on=dt.date(2026, 3, 11),
            total_amount=Decimal(1_000_000),
        )
    )
    s.flush()
    orders = [
        ("O-1", "H-ZJ-001", "HMT-DCB-02", dt.date(2026, 10, 12), 50, 340_000, "ZJ", "P-ZW"),
        ("O-2", "H-ZJ-001", "HMT-DES-01", dt.date(2026, 11, 3), 500, 390_000, "ZJ", "P-ZW"),
        ("O-3", "H-GD-001", "HMT-BC-03", dt.date(2026, 8, 20), 200, 230_000, "GD", "P-LN"),
        ("O-4", "H-SD-001", "HMT-FFR-06", dt.date(2026, 9, 25), 10, 72_000, "SD", "P-WQ"),
        ("O-5", "H-ZJ-003", "HMT-GW-04", dt.date(2026, 7, 2), 100, 65_000, "ZJ", "P-ZW"),
    ]
    for oid, cust, prod, day, qty, amount, prov, rep in orders:
        s.add(
            Order(
                id=oid,
                customer_id=cust,
                product_id=prod,
                order_date=day,
                quantity=qty,
                amount=Decimal(amount),
                province=prov,
                rep_id=rep,
            )
        )
    for i in range(9):  # quarter-end prepayment cluster in Guangdong, 2026-Q3
        s.add(
            Prepayment(
                id=f"PP-GD-{i}",
                customer_id="H-GD-001",
                province="GD",
                amount=Decimal(100_000),
                paid_on=dt.date(2026, 9, 21 + i),
                rep_id="P-LN",
            )
        )
    s.add(
        Prepayment(
            id="PP-GD-X",
            customer_id="H-GD-001",
            province="GD",
            amount=Decimal(50_000),
            paid_on=dt.date(2026, 8, 1),
            rep_id="P-LN",
        )
    )
    s.add(
        Prepayment(
            id="PP-ZJ-1",
            customer_id="H-ZJ-001",
            province="ZJ",
            amount=Decimal(80_000),
            paid_on=dt.date(2026, 10, 15),
            rep_id="P-ZW",
        )
    )
    for vid, cust, rep, day in [
        ("V-1", "H-ZJ-001", "P-ZW", dt.date(2026, 11, 20)),
        ("V-2", "H-ZJ-001", "P-ZW", dt.date(2026, 10, 8)),
        ("V-3", "H-SD-001", "P-WQ", dt.date(2026, 10, 28)),
    ]:
        s.add(Visit(id=vid, customer_id=cust, rep_id=rep, visit_date=day, note="visit"))


def seed_mini_world(factory: SessionFactory) -> None:
    """Load the slice; each step flushes before the next so foreign keys hold on PostgreSQL."""
    with transaction(factory) as s:
        _base(s)
        s.flush()
        _market(s)
        s.flush()
        _parties_and_history(s)
