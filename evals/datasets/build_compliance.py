"""Builds evals/datasets/compliance.jsonl: labelled contracts for the compliance suite.

Every case states the codes its author intended; an oracle written from SCENARIO.md alone (exact
decimal arithmetic, its own name folding, the cap table as published) recomputes them, and the
build stops if the two disagree, so a label is never a copy of what the engine says.
Run: .venv/bin/python evals/datasets/build_compliance.py
"""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

OUT = Path(__file__).with_name("compliance.jsonl")
CATALOGUE = {
    "G-01": ("学术会议资料包", "academic conference kit"),
    "G-02": ("临床培训模型", "clinical training model"),
    "G-03": ("医学教材", "medical textbook"),
    "G-04": ("品牌笔记本", "branded notebook"),
}
PROVINCE = {
    c: c.split("-")[1]
    for c in [
        "H-ZJ-001",
        "H-ZJ-002",
        "H-ZJ-003",
        "H-ZJ-005",
        "H-GD-001",
        "H-GD-002",
        "H-GD-004",
        "H-SD-001",
        "H-SD-002",
        "H-SD-003",
        "H-JS-001",
        "H-JS-002",
        "H-SH-001",
        "H-SH-003",
    ]
}
PRICES = {
    "HMT-DES-01": 780,
    "HMT-DCB-02": 6800,
    "HMT-BC-03": 1200,
    "HMT-GW-04": 650,
    "HMT-IVUS-05": 9500,
    "HMT-FFR-06": 7200,
}
DECL = "compliance_declaration"


def _fold(name: str) -> str:
    return "".join(unicodedata.normalize("NFKC", name).split()).lower()


def _catalogued(name: str) -> bool:
    forms = {_fold(x) for gid, (zh, en) in CATALOGUE.items() for x in (gid, zh, en, zh + en, en + zh)}
    return _fold(name) in forms


def _cap(product: str, province: str, signed_on: str) -> Decimal | None:
    if product == "HMT-DES-01":
        return Decimal(798)
    if product == "HMT-BC-03" and province == "GD":
        return Decimal(1150)
    if product == "HMT-DCB-02" and province in ("ZJ", "JS", "SH") and signed_on >= "2027-01-01":
        return Decimal(5900)
    return None


def oracle(c: dict[str, Any]) -> set[str]:
    codes = set()
    gifts = c["gifts"]
    total = sum((Decimal(str(g["value"])) for g in gifts), Decimal(0))
    if gifts and total > Decimal(str(c["total_amount"])) * Decimal("0.03"):
        codes.add("gift_ratio_exceeded")
    if any(not _catalogued(g["name"]) for g in gifts):
        codes.add("gift_not_in_catalogue")
    if gifts and DECL not in [a["kind"] for a in c["attachments"]]:
        codes.add("gift_declaration_missing")
    for line in c["lines"]:
        cap = _cap(line["product_id"], PROVINCE[c["customer_id"]], c["signed_on"])
        if cap is not None and Decimal(str(line["unit_price"])) > cap:
            codes.add("price_above_vbp_cap")
    return codes


CASES: list[dict[str, Any]] = []


def case(
    cid: str,
    desc: str,
    expect: list[str],
    customer: str = "H-ZJ-001",
    signed_on: str = "2026-06-15",
    total: float | None = None,
    lines: Sequence[tuple[str, int, float]] | None = None,
    gifts: list[tuple[str, float]] | None = None,
    attachments: list[str] | None = None,
) -> None:
    lines = lines or [("HMT-GW-04", 1000, 650)]
    amount = sum(Decimal(str(q)) * Decimal(str(p)) for _, q, p in lines)
    contract = {
        "contract_id": f"EV-{cid}",
        "customer_id": customer,
        "signed_on": signed_on,
        "total_amount": total if total is not None else float(amount),
        "currency": "CNY",
        "lines": [{"product_id": p, "quantity": q, "unit_price": u} for p, q, u in lines],
        "gifts": [{"name": n, "value": v} for n, v in gifts or []],
        "attachments": [{"kind": k} for k in (attachments if attachments is not None else [DECL])],
    }
    got = oracle(contract)
    if got != set(expect):
        raise SystemExit(f"{cid}: intended {sorted(expect)} but the oracle says {sorted(got)}")
    CASES.append(
        {
            "id": cid,
            "suite": "compliance",
            "desc": desc,
            "contract": contract,
            "expect": {"findings": sorted(expect)},
        }
    )


R, N, D, P = "gift_ratio_exceeded", "gift_not_in_catalogue", "gift_declaration_missing", "price_above_vbp_cap"


def gift_ratio_cases() -> None:
    for i, (total, gift, flag) in enumerate(
        [
            (1_000_000, 30_000, False),
            (1_000_000, 30_001, True),
            (1_000_000, 30_100, True),
            (1_000_000, 29_900, False),
            (1_000_000, 40_000, True),
            (100_000, 3_000, False),
            (100_000, 3_000.01, True),
            (650_000, 19_500, False),
            (650_000, 19_500.5, True),
            (1_234_567.89, 37_037.0367, False),
            (1_234_567.89, 37_037.04, True),
            (333_333.33, 9_999.9999, False),
            (333_333.33, 10_000, True),
            (50_000, 1_500, False),
            (50_000, 1_600, True),
            (8_000_000, 240_000, False),
            (8_000_000, 250_000, True),
            (780_000, 23_400, False),
        ]
    ):
        desc = f"one gift {gift} on {total} ({gift / total:.4%})"
        case(f"ratio-{i:02d}", desc, [R] if flag else [], total=total, gifts=[("G-02", gift)])
    case(
        "ratio-several-exact",
        "several gifts adding up to exactly 3%",
        [],
        total=100_000,
        gifts=[("G-01", 1_000), ("G-03", 1_500), ("G-04", 500)],
    )
    case(
        "ratio-several-over",
        "several gifts each small, together 3.05%",
        [R],
        total=100_000,
        gifts=[("G-01", 1_000), ("G-03", 1_500), ("G-04", 550)],
    )
    case(
        "ratio-many-entries",
        "twelve notebooks entries adding to 3.6%",
        [R],
        total=10_000,
        gifts=[("品牌笔记本", 30)] * 12,
    )


def catalogue_cases() -> None:
    ok_names = [
        "G-01",
        "g-02",
        " G-03 ",
        "学术会议资料包",
        "学术 会议 资料包",
        "医学教材",
        "ACADEMIC CONFERENCE KIT",
        "Academic  Conference  Kit",
        "academicconferencekit",
        "Clinical Training Model",
        "clinical training model",
        "ＣＬＩＮＩＣＡＬ　ＴＲＡＩＮＩＮＧ　ＭＯＤＥＬ",
        "Medical Textbook",
        "医学教材 medical textbook",
        "品牌笔记本 Branded Notebook",
        "branded\tnotebook",
        "G - 04",
    ]
    for i, name in enumerate(ok_names):
        case(f"name-ok-{i:02d}", f"catalogued gift written as {name!r}", [], gifts=[(name, 200)])
    bad_names = [
        "高端按摩椅 luxury massage chair",
        "iPad",
        "购物卡",
        "红酒 red wine",
        "学术会议资料包豪华版",
        "academic conference kits",
        "G-05",
        "G01",
        "临床培训模型（进口）",
        "gift card",
    ]
    for i, name in enumerate(bad_names):
        case(f"name-bad-{i:02d}", f"uncatalogued gift {name!r}", [N], gifts=[(name, 500)])
    case(
        "name-mixed", "one catalogued and one uncatalogued gift", [N], gifts=[("G-01", 200), ("按摩椅", 800)]
    )


def declaration_cases() -> None:
    case("decl-missing", "gift, no attachments", [D], gifts=[("G-03", 300)], attachments=[])
    case(
        "decl-other-only",
        "gift, only a quality agreement",
        [D],
        gifts=[("G-03", 300)],
        attachments=["quality_agreement", "delivery_schedule"],
    )
    case(
        "decl-among-others",
        "declaration among other attachments",
        [],
        gifts=[("G-03", 300)],
        attachments=["quality_agreement", DECL, "delivery_schedule"],
    )
    case(
        "decl-zero-value",
        "a zero-value gift still needs a declaration",
        [D],
        gifts=[("G-04", 0)],
        attachments=[],
    )
    case("decl-no-gift", "no gifts and no attachments", [], attachments=[])
    case("decl-no-gift-other", "no gifts, other attachments", [], attachments=["quality_agreement"])
    case(
        "decl-0415",
        "C-2026-0415 pattern",
        [D],
        customer="H-ZJ-002",
        signed_on="2026-04-15",
        total=400_000,
        gifts=[("医学教材", 6_000)],
        attachments=["quality_agreement"],
    )


def cap_cases() -> None:
    for i, (customer, price, flag) in enumerate(
        [
            ("H-ZJ-001", 798, False),
            ("H-ZJ-001", 798.01, True),
            ("H-GD-001", 800, True),
            ("H-SD-002", 780, False),
            ("H-JS-001", 799, True),
            ("H-SH-001", 798, False),
            ("H-SD-001", 850, True),
            ("H-GD-002", 760, False),
        ]
    ):
        case(
            f"cap-des-{i}",
            f"DES at {price} in {customer}",
            [P] if flag else [],
            customer=customer,
            lines=[("HMT-DES-01", 500, price)],
        )
    for i, (customer, price, flag) in enumerate(
        [
            ("H-GD-001", 1_150, False),
            ("H-GD-002", 1_150.5, True),
            ("H-GD-004", 1_200, True),
            ("H-ZJ-001", 1_200, False),
            ("H-SD-003", 1_200, False),
            ("H-JS-002", 1_250, False),
        ]
    ):
        case(
            f"cap-bc-{i}",
            f"BC-03 at {price} in {customer}",
            [P] if flag else [],
            customer=customer,
            lines=[("HMT-BC-03", 200, price)],
        )
    for i, (customer, signed, price, flag) in enumerate(
        [
            ("H-ZJ-001", "2026-11-30", 6_800, False),
            ("H-ZJ-002", "2026-12-31", 6_800, False),
            ("H-ZJ-001", "2027-01-01", 6_800, True),
            ("H-JS-001", "2027-02-01", 5_901, True),
            ("H-SH-003", "2027-03-01", 5_900, False),
            ("H-GD-001", "2027-03-01", 6_800, False),
            ("H-SD-001", "2027-03-01", 6_800, False),
            ("H-SH-001", "2026-06-01", 6_800, False),
        ]
    ):
        case(
            f"cap-dcb-{i}",
            f"DCB at {price} in {customer} on {signed}",
            [P] if flag else [],
            customer=customer,
            signed_on=signed,
            lines=[("HMT-DCB-02", 100, price)],
        )
    for i, product in enumerate(["HMT-GW-04", "HMT-IVUS-05", "HMT-FFR-06"]):
        case(
            f"cap-none-{i}",
            f"{product} at list price +10% has no cap",
            [],
            customer="H-SD-002",
            lines=[(product, 20, PRICES[product] * 1.1)],
        )
    case(
        "cap-one-line-of-three",
        "one over-cap line among clean ones",
        [P],
        customer="H-GD-001",
        lines=[("HMT-GW-04", 100, 650), ("HMT-BC-03", 100, 1_180), ("HMT-DES-01", 100, 790)],
    )


def multi_cases() -> None:
    case(
        "multi-0311",
        "C-2026-0311 pattern: 4% catalogued, declared",
        [R],
        customer="H-GD-001",
        signed_on="2026-03-11",
        total=1_000_000,
        gifts=[("临床培训模型", 30_000), ("学术会议资料包", 10_000)],
    )
    case(
        "multi-0412",
        "C-2026-0412 pattern: massage chair",
        [N],
        customer="H-SD-002",
        signed_on="2026-04-12",
        total=600_000,
        gifts=[("高端按摩椅 luxury massage chair", 9_800)],
    )
    case(
        "multi-ratio-name",
        "over 3% with an uncatalogued gift",
        [R, N],
        total=100_000,
        gifts=[("iPad", 5_000)],
    )
    case(
        "multi-ratio-decl",
        "over 3% without declaration",
        [R, D],
        total=100_000,
        gifts=[("G-02", 4_500)],
        attachments=[],
    )
    case("multi-name-decl", "uncatalogued, no declaration", [N, D], gifts=[("购物卡", 1_000)], attachments=[])
    case(
        "multi-three-gift",
        "all three gift findings",
        [R, N, D],
        total=50_000,
        gifts=[("红酒", 2_000)],
        attachments=[],
    )
    case(
        "multi-all-four",
        "everything at once",
        [R, N, D, P],
        customer="H-GD-001",
        total=100_000,
        lines=[("HMT-BC-03", 50, 1_200), ("HMT-DES-01", 10, 800)],
        gifts=[("iPad", 4_000)],
        attachments=[],
    )
    case(
        "multi-cap-ratio",
        "stent over cap and gifts over 3%",
        [R, P],
        customer="H-SD-001",
        total=80_000,
        lines=[("HMT-DES-01", 100, 800)],
        gifts=[("G-02", 3_000)],
    )
    case(
        "multi-cap-decl",
        "DCB over the 2027 cap, gift without declaration",
        [D, P],
        customer="H-ZJ-003",
        signed_on="2027-06-01",
        lines=[("HMT-DCB-02", 50, 6_000)],
        gifts=[("G-01", 200)],
        attachments=[],
    )
    case(
        "multi-cap-name",
        "BC-03 over GD cap and a gift card",
        [N, P],
        customer="H-GD-002",
        lines=[("HMT-BC-03", 100, 1_160)],
        gifts=[("gift card", 1_000)],
    )


def clean_cases() -> None:
    case(
        "clean-0501",
        "C-2026-0501 pattern: 1.5% catalogued, declared",
        [],
        customer="H-ZJ-001",
        signed_on="2026-05-01",
        total=800_000,
        gifts=[("Clinical Training Model", 9_000), ("G-03", 3_000)],
    )
    case(
        "clean-0606",
        "exactly 3% on 550,000",
        [],
        customer="H-SH-001",
        signed_on="2026-06-06",
        total=550_000,
        gifts=[("G-02", 15_000), ("G-01", 1_500)],
    )
    mixes = [
        ("H-ZJ-001", [("HMT-DES-01", 500, 790), ("HMT-GW-04", 500, 650)]),
        ("H-GD-001", [("HMT-BC-03", 300, 1_100), ("HMT-GW-04", 100, 640)]),
        ("H-SD-001", [("HMT-IVUS-05", 20, 9_500), ("HMT-FFR-06", 10, 7_200)]),
        ("H-JS-001", [("HMT-DCB-02", 50, 6_500)]),
        ("H-SH-003", [("HMT-DES-01", 1_000, 798)]),
        ("H-GD-004", [("HMT-DES-01", 200, 770), ("HMT-BC-03", 200, 1_150)]),
        ("H-ZJ-005", [("HMT-FFR-06", 30, 7_000), ("HMT-GW-04", 300, 650)]),
        ("H-SD-003", [("HMT-BC-03", 400, 1_200), ("HMT-DCB-02", 40, 6_800)]),
    ]
    for i, (customer, lines) in enumerate(mixes):
        case(
            f"clean-mix-{i}",
            f"multi-line clean contract for {customer}",
            [],
            customer=customer,
            lines=lines,
            gifts=[("G-01", 200 * (i + 1)), ("branded notebook", 50)] if i % 2 == 0 else None,
            attachments=[DECL] if i % 3 else [DECL, "quality_agreement"],
        )
    for i in range(6):
        case(
            f"clean-plain-{i}",
            "no gifts, prices within caps",
            [],
            customer=list(PROVINCE)[i * 2],
            signed_on=f"2026-0{i + 1}-1{i}",
            lines=[("HMT-GW-04", 100 * (i + 1), 650)],
            attachments=[],
        )


def main() -> None:
    for build in (gift_ratio_cases, catalogue_cases, declaration_cases, cap_cases, multi_cases, clean_cases):
        build()
    ids = [c["id"] for c in CASES]
    assert len(ids) == len(set(ids)), "duplicate ids"
    OUT.write_text("".join(json.dumps(c, ensure_ascii=False) + "\n" for c in CASES), encoding="utf-8")
    flagged = sum(bool(c["expect"]["findings"]) for c in CASES)
    print(f"{len(CASES)} cases ({flagged} with findings, {len(CASES) - flagged} clean) -> {OUT}")  # noqa: T201


if __name__ == "__main__":
    main()
