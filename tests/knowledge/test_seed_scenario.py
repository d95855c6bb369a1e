"""Every id, name and figure of shared/SCENARIO.md is in the loaded demo world."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from knowledge.store.db import SessionFactory
from knowledge.store.models import (
    AlternativeOffer,
    CompetitorProduct,
    Customer,
    GiftCatalogueItem,
    MedicalGroup,
    Person,
    Product,
    Province,
    Stock,
    VbpAward,
    VbpProgramme,
    Warehouse,
)
from knowledge.store.repositories import catalog, market

PRODUCTS = {  # id: (zh, en, category, list price, NRDL, safety stock)
    "HMT-DES-01": ("瑞通药物洗脱支架", "RuiTong DES", "coronary drug-eluting stent", 780, "乙类", 500),
    "HMT-DCB-02": ("瑞畅药物涂层球囊", "RuiChang DCB", "drug-coated balloon", 6800, "乙类", 100),
    "HMT-BC-03": ("瑞达球囊扩张导管", "RuiDa PTCA balloon", "balloon dilatation catheter", 1200, "乙类", 300),
    "HMT-GW-04": ("瑞引导丝", "RuiYin guidewire", "coronary guidewire", 650, "乙类", 300),
    "HMT-IVUS-05": ("瑞影血管内超声导管", "RuiYing IVUS catheter", "intravascular imaging", 9500, "丙类", 20),
    "HMT-FFR-06": ("瑞测压力导丝", "RuiCe FFR wire", "pressure wire", 7200, "乙类", 20),
}
ORDER = ["HMT-DES-01", "HMT-DCB-02", "HMT-BC-03", "HMT-GW-04", "HMT-IVUS-05", "HMT-FFR-06"]
STOCK = {
    "WH-HZ": [(4200, 0), (35, 600), (1800, 0), (2600, 0), (160, 0), (90, 0)],
    "WH-GZ": [(3100, 0), (420, 0), (2400, 0), (1900, 0), (75, 40), (60, 0)],
    "WH-JN": [(2050, 500), (260, 0), (900, 0), (1200, 0), (0, 120), (45, 0)],
}
ALTERNATIVES = {
    "HMT-DES-01": [["HMT-DES-01", "HMT-GW-04"], ["HMT-DCB-02"], ["HMT-BC-03", "HMT-DES-01"]],
    "HMT-DCB-02": [["HMT-BC-03", "HMT-DES-01"], ["HMT-BC-03", "HMT-GW-04"], ["HMT-DCB-02", "HMT-GW-04"]],
    "HMT-BC-03": [["HMT-DCB-02"], ["HMT-BC-03", "HMT-GW-04"], ["HMT-DES-01", "HMT-BC-03"]],
    "HMT-GW-04": [["HMT-GW-04", "HMT-BC-03"], ["HMT-GW-04", "HMT-DES-01"], ["HMT-GW-04", "HMT-FFR-06"]],
    "HMT-IVUS-05": [["HMT-FFR-06"], ["HMT-FFR-06", "HMT-GW-04"], ["HMT-IVUS-05", "HMT-FFR-06"]],
    "HMT-FFR-06": [["HMT-IVUS-05"], ["HMT-FFR-06", "HMT-GW-04"], ["HMT-IVUS-05", "HMT-FFR-06"]],
}
COMPETITORS = {  # id: (company zh, company en, product zh, product en, against, price)
    "CMP-KW-S": ("康维医疗", "Kangwei Medical", "康维Pro支架", "KW-Stent Pro", "HMT-DES-01", 760),
    "CMP-BY-D": ("博越生物", "Boyue Bio", "博越紫杉醇球囊", "Boyue PTX DCB", "HMT-DCB-02", 5600),
    "CMP-MX-I": ("Medix", "Medix (global)", "Medix VisionIVUS", "Medix VisionIVUS", "HMT-IVUS-05", 11800),
    "CMP-KW-B": ("康维医疗", "Kangwei Medical", "康维球囊", "KW-Balloon", "HMT-BC-03", 1100),
    "CMP-MX-G": ("Medix", "Medix (global)", "Medix SilkWire", "Medix SilkWire", "HMT-GW-04", 720),
    "CMP-MX-P": (
        "Medix",
        "Medix (global)",
        "Medix PressureWire X",
        "Medix PressureWire X",
        "HMT-FFR-06",
        8500,
    ),
}
CUSTOMERS = {
    "H-ZJ-001": ("杭州滨江中心医院", "Hangzhou Binjiang Central Hospital", "ZJ", "三甲", "P-ZW", True),
    "H-ZJ-002": ("宁波东港人民医院", "Ningbo Donggang People's Hospital", "ZJ", "三乙", "P-ZW", False),
    "H-ZJ-003": ("滨江医联体社区医院", "Binjiang Community Hospital", "ZJ", "二级", "P-ZW", True),
    "H-GD-001": (
        "广州天河心血管医院",
        "Guangzhou Tianhe Cardiovascular Hospital",
        "GD",
        "三甲",
        "P-LN",
        False,
    ),
    "H-GD-002": ("深圳南山医院", "Shenzhen Nanshan Hospital", "GD", "三甲", "P-LN", False),
    "H-SD-001": ("济南历下人民医院", "Jinan Lixia People's Hospital", "SD", "三甲", "P-WQ", False),
    "H-SD-002": ("青岛海湾医院", "Qingdao Bay Hospital", "SD", "三乙", "P-WQ", False),
}
PEOPLE = {
    "张伟": ("Zhang Wei", "rep", "sales"),
    "李娜": ("Li Na", "rep", "sales"),
    "王强": ("Wang Qiang", "rep", "sales"),
    "陈静": ("Chen Jing", "manager", "manager"),
    "刘洋": ("Liu Yang", "marketing", "marketing"),
    "赵敏": ("Zhao Min", "medical_affairs", "medical_affairs"),
    "孙磊": ("Sun Lei", "legal_compliance", "legal_compliance"),
}


@pytest.fixture
def s(demo_factory: SessionFactory) -> Session:
    with demo_factory() as session:
        yield session  # type: ignore[misc]


def test_products(s: Session) -> None:
    for pid, (zh, en, category, price, nrdl, safety) in PRODUCTS.items():
        p = s.get(Product, pid)
        assert p is not None
        assert (p.name_zh, p.name_en, p.category, p.list_price, p.nrdl_category, p.safety_stock) == (
            zh,
            en,
            category,
            Decimal(price),
            nrdl,
            safety,
        )
    for alias, pid in [
        ("DCB", "HMT-DCB-02"),
        ("瑞畅", "HMT-DCB-02"),
        ("RuiChang", "HMT-DCB-02"),
        ("IVUS", "HMT-IVUS-05"),
        ("支架", "HMT-DES-01"),
        ("FFR", "HMT-FFR-06"),
        ("瑞达", "HMT-BC-03"),
        ("导丝", "HMT-GW-04"),
        ("瑞通", "HMT-DES-01"),
    ]:
        found = catalog.find_product(s, alias)
        assert found is not None and found.id == pid, alias


def test_warehouses_provinces_stock(s: Session) -> None:
    assert {w.id: w.name_zh for w in s.scalars(select(Warehouse))} == {
        "WH-HZ": "杭州仓",
        "WH-GZ": "广州仓",
        "WH-JN": "济南仓",
    }
    provinces = {p.code: (p.name_zh, p.warehouse_id, p.audit_pilot) for p in s.scalars(select(Province))}
    assert provinces == {
        "ZJ": ("浙江", "WH-HZ", True),
        "GD": ("广东", "WH-GZ", True),
        "SD": ("山东", "WH-JN", True),
        "JS": ("江苏", "WH-HZ", False),
        "SH": ("上海", "WH-HZ", False),
    }
    for wh, cells in STOCK.items():
        for pid, (on_hand, on_order) in zip(ORDER, cells, strict=True):
            st = s.get(Stock, (wh, pid))
            assert st is not None and (st.on_hand, st.on_order) == (on_hand, on_order), (wh, pid)
    assert s.query(Stock).count() == 18


def test_alternative_offers(s: Session) -> None:
    for pid, combos in ALTERNATIVES.items():
        offers = [o for o in catalog.alternative_offers(s, pid) if o.rank <= 3]
        assert [o.rank for o in offers] == [1, 2, 3]
        assert [o.product_ids for o in offers] == combos, pid
    assert s.query(AlternativeOffer).filter(AlternativeOffer.rank <= 3).count() == 18


def test_vbp(s: Session) -> None:
    progs = {p.id: p for p in s.scalars(select(VbpProgramme))}
    nat, zj, gd, sd = progs["VBP-NAT-STENT"], progs["VBP-ZJ-DCB"], progs["VBP-GD-BC"], progs["VBP-SD-IVUS"]
    assert nat.provinces == ["*"] and nat.scope == "national"
    assert sorted(zj.provinces) == ["JS", "SH", "ZJ"] and zj.member_count == 12 and zj.stage == "中选公示"
    assert zj.execution_start == dt.date(2027, 1, 1) and zj.lead_province == "ZJ"
    assert gd.provinces == ["GD"] and sd.provinces == ["SD"] and sd.stage == "报量"
    awards = {
        (a.programme_id, a.product_id or a.competitor_product_id): a for a in s.scalars(select(VbpAward))
    }
    des = awards[("VBP-NAT-STENT", "HMT-DES-01")]
    assert des.won and des.price_cap == 798
    dcb, boyue = awards[("VBP-ZJ-DCB", "HMT-DCB-02")], awards[("VBP-ZJ-DCB", "CMP-BY-D")]
    assert dcb.bid_price == 5900 and boyue.bid_price == 5600 and dcb.won and boyue.won
    assert dcb.cap_effective_from == dt.date(2027, 1, 1)
    bc = awards[("VBP-GD-BC", "HMT-BC-03")]
    assert bc.won and bc.price_cap == 1150 and ("VBP-GD-BC", "CMP-KW-B") in awards
    ivus = awards[("VBP-SD-IVUS", "HMT-IVUS-05")]
    assert ivus.won is None and ivus.price_cap is None and ivus.bid_price is None
    today = dt.date(2026, 11, 30)
    for prov in ("ZJ", "GD", "SD", "JS", "SH"):
        assert [a.price_cap for a, _ in market.caps_in_force(s, "HMT-DES-01", prov, today)] == [798]
        assert market.caps_in_force(s, "HMT-DCB-02", prov, today) == []  # no DCB cap before 2027
        caps = [a.price_cap for a, _ in market.caps_in_force(s, "HMT-BC-03", prov, today)]
        assert caps == ([1150] if prov == "GD" else [])
        assert market.caps_in_force(s, "HMT-IVUS-05", prov, today) == []
    assert [p.category for p in market.insurance_policies(s, product_id="HMT-IVUS-05")] == ["丙类"]


def test_competitors(s: Session) -> None:
    for cid, (co_zh, co_en, zh, en, against, price) in COMPETITORS.items():
        cp = s.get(CompetitorProduct, cid)
        assert cp is not None
        assert (cp.name_zh, cp.name_en, cp.against_product_id, cp.terminal_price) == (
            zh,
            en,
            against,
            Decimal(price),
        )
        assert market.list_competitors(s)  # the companies exist
        company = next(c for c in market.list_competitors(s) if c.id == cp.competitor_id)
        assert (company.name_zh, company.name_en) == (co_zh, co_en)
    assert [p.id for p in market.competitor_products(s, against="HMT-DCB-02")] == ["CMP-BY-D"]
    at_zj = [cp.id for _, cp in market.competitors_at_customer(s, "H-ZJ-001")]
    assert "CMP-BY-D" in at_zj


def test_customers_people_group_gifts(s: Session) -> None:
    for cid, (zh, en, prov, tier, rep, grouped) in CUSTOMERS.items():
        c = s.get(Customer, cid)
        assert c is not None
        assert (c.name_zh, c.name_en, c.province, c.tier, c.rep_id) == (zh, en, prov, tier, rep)
        assert (c.medical_group_id is not None) == grouped
    group = s.get(MedicalGroup, s.get(Customer, "H-ZJ-001").medical_group_id)  # type: ignore[union-attr]
    assert group is not None and group.name_zh == "滨江医联体"
    customers = list(s.scalars(select(Customer)))
    assert len(customers) >= 20 and {c.province for c in customers} == {"ZJ", "GD", "SD", "JS", "SH"}
    assert all(c.aliases for c in customers)
    people = {p.name_zh: (p.name_en, p.role, p.team) for p in s.scalars(select(Person))}
    for name, expected in PEOPLE.items():
        assert people[name] == expected
    gifts = {g.id: (g.name_zh, g.name_en, g.unit_value) for g in s.scalars(select(GiftCatalogueItem))}
    assert gifts["G-01"] == ("学术会议资料包", "academic conference kit", 200)
    assert gifts["G-02"] == ("临床培训模型", "clinical training model", 1500)
    assert gifts["G-03"] == ("医学教材", "medical textbook", 300)
    assert gifts["G-04"] == ("品牌笔记本", "branded notebook", 50)
