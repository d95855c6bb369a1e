"""Builds evals/datasets/battle_pack.jsonl: one case per SCENARIO customer x product, plus some.

Expectations come from an oracle written from shared/SCENARIO.md alone (its tables copied below),
never from what the pack builder prints: the serving warehouse, which products are below safety
stock there (no combination may hold them), the first in-stock alternative offer (some combination
must hold one of its products), and the figures a pack must state (competitor and its terminal
price, our price within any cap in force, the price gap, the stock on hand, VBP stage).
Run: .venv/bin/python evals/datasets/build_battle_pack.py
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

OUT = Path(__file__).with_name("battle_pack.jsonl")

CUSTOMERS = {  # id: (name zh, name en, province, tier)
    "H-ZJ-001": ("杭州滨江中心医院", "Hangzhou Binjiang Central Hospital", "ZJ", "三甲"),
    "H-ZJ-002": ("宁波东港人民医院", "Ningbo Donggang People's Hospital", "ZJ", "三乙"),
    "H-ZJ-003": ("滨江医联体社区医院", "Binjiang Community Hospital", "ZJ", "二级"),
    "H-GD-001": ("广州天河心血管医院", "Guangzhou Tianhe Cardiovascular Hospital", "GD", "三甲"),
    "H-GD-002": ("深圳南山医院", "Shenzhen Nanshan Hospital", "GD", "三甲"),
    "H-SD-001": ("济南历下人民医院", "Jinan Lixia People's Hospital", "SD", "三甲"),
    "H-SD-002": ("青岛海湾医院", "Qingdao Bay Hospital", "SD", "三乙"),
}
GROUP = {"H-ZJ-001": "滨江医联体", "H-ZJ-003": "滨江医联体"}
PRODUCTS = {  # id: (list price, NRDL, safety stock)
    "HMT-DES-01": (780, "乙类", 500),
    "HMT-DCB-02": (6800, "乙类", 100),
    "HMT-BC-03": (1200, "乙类", 300),
    "HMT-GW-04": (650, "乙类", 300),
    "HMT-IVUS-05": (9500, "丙类", 20),
    "HMT-FFR-06": (7200, "乙类", 20),
}
WAREHOUSE = {"ZJ": "WH-HZ", "GD": "WH-GZ", "SD": "WH-JN"}
STOCK = {  # warehouse: product: (on hand, on order)
    "WH-HZ": {
        "HMT-DES-01": (4200, 0),
        "HMT-DCB-02": (35, 600),
        "HMT-BC-03": (1800, 0),
        "HMT-GW-04": (2600, 0),
        "HMT-IVUS-05": (160, 0),
        "HMT-FFR-06": (90, 0),
    },
    "WH-GZ": {
        "HMT-DES-01": (3100, 0),
        "HMT-DCB-02": (420, 0),
        "HMT-BC-03": (2400, 0),
        "HMT-GW-04": (1900, 0),
        "HMT-IVUS-05": (75, 40),
        "HMT-FFR-06": (60, 0),
    },
    "WH-JN": {
        "HMT-DES-01": (2050, 500),
        "HMT-DCB-02": (260, 0),
        "HMT-BC-03": (900, 0),
        "HMT-GW-04": (1200, 0),
        "HMT-IVUS-05": (0, 120),
        "HMT-FFR-06": (45, 0),
    },
}
OFFERS = {  # in order of preference (SCENARIO options A-C; FFR-06 also has option D in the seed)
    "HMT-DES-01": [["HMT-DES-01", "HMT-GW-04"], ["HMT-DCB-02"], ["HMT-BC-03", "HMT-DES-01"]],
    "HMT-DCB-02": [["HMT-BC-03", "HMT-DES-01"], ["HMT-BC-03", "HMT-GW-04"], ["HMT-DCB-02", "HMT-GW-04"]],
    "HMT-BC-03": [["HMT-DCB-02"], ["HMT-BC-03", "HMT-GW-04"], ["HMT-DES-01", "HMT-BC-03"]],
    "HMT-GW-04": [["HMT-GW-04", "HMT-BC-03"], ["HMT-GW-04", "HMT-DES-01"], ["HMT-GW-04", "HMT-FFR-06"]],
    "HMT-IVUS-05": [["HMT-FFR-06"], ["HMT-FFR-06", "HMT-GW-04"], ["HMT-IVUS-05", "HMT-FFR-06"]],
    "HMT-FFR-06": [
        ["HMT-IVUS-05"],
        ["HMT-FFR-06", "HMT-GW-04"],
        ["HMT-IVUS-05", "HMT-FFR-06"],
        ["HMT-FFR-06", "HMT-DES-01"],
    ],
}
COMPETITOR = {  # our product: (competitor product zh, en, terminal price)
    "HMT-DES-01": ("康维Pro支架", "KW-Stent Pro", 760),
    "HMT-DCB-02": ("博越紫杉醇球囊", "Boyue PTX DCB", 5600),
    "HMT-BC-03": ("康维球囊", "KW-Balloon", 1100),
    "HMT-GW-04": ("Medix SilkWire", "Medix SilkWire", 720),
    "HMT-IVUS-05": ("Medix VisionIVUS", "Medix VisionIVUS", 11800),
    "HMT-FFR-06": ("Medix PressureWire X", "Medix PressureWire X", 8500),
}
CAP_IN_FORCE = {("HMT-DES-01", p): 798 for p in ("ZJ", "GD", "SD")} | {("HMT-BC-03", "GD"): 1150}
STAGE = {("HMT-DCB-02", "ZJ"): "中选公示", ("HMT-IVUS-05", "SD"): "报量"}


def money(value: int) -> str:
    return f"{value:,}"


def expectations(customer: str, product: str, lang: str) -> dict[str, Any]:
    name_zh, name_en, province, tier = CUSTOMERS[customer]
    wh = WAREHOUSE[province]
    price, nrdl, _safety = PRODUCTS[product]
    short = sorted(p for p, (on_hand, _) in STOCK[wh].items() if on_hand < PRODUCTS[p][2])
    in_stock = [o for o in OFFERS[product] if not set(o) & set(short)]
    comp_zh, comp_en, their_price = COMPETITOR[product]
    ours = min(price, CAP_IN_FORCE.get((product, province), price))
    on_hand, on_order = STOCK[wh][product]
    contains = [customer, product, name_zh if lang == "zh" else name_en, comp_zh if lang == "zh" else comp_en]
    contains += [money(their_price), money(ours), money(abs(ours - their_price)), money(on_hand), nrdl, tier]
    if on_hand < PRODUCTS[product][2]:
        contains.append(money(on_order))
    if (product, province) in CAP_IN_FORCE:
        contains.append(money(CAP_IN_FORCE[(product, province)]))
    if (product, province) in STAGE and lang == "zh":
        contains.append(STAGE[(product, province)])
    if customer in GROUP and lang == "zh":
        contains.append(GROUP[customer])
    first = set(in_stock[0]) - {product} or set(in_stock[0])
    expect: dict[str, Any] = {"contains": contains, "substitute_products_any": sorted(first)}
    if short:
        expect["not_substitute_products"] = short
    return expect


def cases() -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for customer in CUSTOMERS:
        for product in PRODUCTS:
            out.append(
                {
                    "id": f"{customer}-{product}",
                    "suite": "battle_pack",
                    "customer_id": customer,
                    "product_id": product,
                    "expect": expectations(customer, product, "zh"),
                }
            )
    # English packs, and entities named rather than given by id
    for customer, product in (
        ("H-SD-002", "HMT-IVUS-05"),
        ("H-ZJ-001", "HMT-DCB-02"),
        ("H-GD-001", "HMT-BC-03"),
    ):
        out.append(
            {
                "id": f"en-{customer}-{product}",
                "suite": "battle_pack",
                "customer_id": customer,
                "product_id": product,
                "lang": "en",
                "expect": expectations(customer, product, "en"),
            }
        )
    named = (
        ("宁波东港人民医院", "瑞畅药物涂层球囊", "H-ZJ-002", "HMT-DCB-02"),
        ("Qingdao Bay Hospital", "RuiYing IVUS catheter", "H-SD-002", "HMT-IVUS-05"),
    )
    for cname, pname, customer, product in named:
        out.append(
            {
                "id": f"named-{customer}-{product}",
                "suite": "battle_pack",
                "customer_id": cname,
                "product_id": pname,
                "expect": expectations(customer, product, "zh"),
            }
        )
    return out


def main() -> None:
    rows = cases()
    OUT.write_text("".join(json.dumps(c, ensure_ascii=False) + "\n" for c in rows), encoding="utf-8")
    print(f"wrote {len(rows)} cases to {OUT}")  # noqa: T201


if __name__ == "__main__":
    main()
