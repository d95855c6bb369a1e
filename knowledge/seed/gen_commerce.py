"""Commercial history of the demo world: contracts, orders, rebate programmes, prepayments.

Used once by `generate.py` (fixed seed); the output is committed under world/history. Every
generated record is clean (prices within the caps in force, gifts catalogued, at most 3% and
declared); the compliance facts of SCENARIO.md are planted explicitly, so detectors over this
history find those and nothing else.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

START = dt.date(2025, 12, 1)
END = dt.date(2026, 11, 30)
REBATE_THRESHOLD = Decimal(5_000_000)
CROSS_YEAR_ORDER = "O-2025-1229"
RESERVED_CONTRACTS = {"C-2026-0311", "C-2026-0412", "C-2026-0415", "C-2026-0501", "C-2026-0606"}
# Catalogue names as reps write them; the gift rule matches id / zh / en ignoring spacing and case.
GIFT_SPELLINGS = {
    "G-01": ["学术会议资料包", "academic conference kit", "Academic Conference Kit", "G-01"],
    "G-02": ["临床培训模型", "clinical training model", "Clinical Training Model", "G-02"],
    "G-03": ["医学教材", "medical textbook", "医学 教材", "Medical Textbook"],
    "G-04": ["品牌笔记本", "branded notebook", "Branded Notebook", "G-04"],
}
TIER_SCALE = {"三甲": 1.0, "三乙": 0.55, "二级": 0.25}
CONTRACTS_PER_YEAR = {"三甲": 13, "三乙": 9, "二级": 5}
BASE_QTY = {
    "HMT-DES-01": 160,
    "HMT-DCB-02": 18,
    "HMT-BC-03": 90,
    "HMT-GW-04": 120,
    "HMT-IVUS-05": 4,
    "HMT-FFR-06": 5,
}


@dataclass
class Commerce:
    contracts: list[dict[str, Any]] = field(default_factory=list)
    lines: list[dict[str, Any]] = field(default_factory=list)
    gifts: list[dict[str, Any]] = field(default_factory=list)
    attachments: list[dict[str, Any]] = field(default_factory=list)
    orders: list[dict[str, Any]] = field(default_factory=list)
    rebates: list[dict[str, Any]] = field(default_factory=list)
    prepayments: list[dict[str, Any]] = field(default_factory=list)


def price_cap(product_id: str, province: str, day: dt.date) -> Decimal | None:
    """The caps of world/core/vbp_awards.json in force on `day` (DCB's starts in 2027)."""
    if product_id == "HMT-DES-01" and day >= dt.date(2024, 1, 1):
        return Decimal(798)
    if product_id == "HMT-BC-03" and province == "GD" and day >= dt.date(2025, 7, 1):
        return Decimal(1150)
    if product_id == "HMT-DCB-02" and province in {"ZJ", "JS", "SH"} and day >= dt.date(2027, 1, 1):
        return Decimal(5900)
    return None


def unit_price(
    rng: random.Random, list_price: Decimal, product_id: str, province: str, day: dt.date
) -> Decimal:
    price = (list_price * Decimal(rng.choice(["1", "1", "0.98", "0.96", "0.93"]))).quantize(Decimal(1))
    cap = price_cap(product_id, province, day)
    if cap is not None and price > cap:
        price = cap - Decimal(rng.choice([0, 0, 10, 30]))
    return price


class CommerceBuilder:
    def __init__(self, rng: random.Random, products: list[dict[str, Any]], customers: list[dict[str, Any]]):
        self.rng = rng
        self.products = {p["id"]: p for p in products}
        self.customers = {c["id"]: c for c in customers}
        self.out = Commerce()
        self.contracts_by_id: dict[str, dict[str, Any]] = {}
        self._line_id = 0
        self._gift_id = 0
        self._att_id = 0

    # -- contracts ------------------------------------------------------------------------------
    def add_contract(
        self,
        cid: str,
        customer_id: str,
        day: dt.date,
        lines: list[tuple[str, int, Decimal]],
        gifts: list[tuple[str, Decimal]],
        declaration: bool,
    ) -> Decimal:
        cust = self.customers[customer_id]
        for product_id, _qty, price in lines:
            cap = price_cap(product_id, cust["province"], day)
            assert cap is None or price <= cap, (cid, product_id, price, cap)
        total = sum((Decimal(q) * p for _, q, p in lines), Decimal(0))
        status = "completed" if day < dt.date(2026, 6, 1) else "signed"
        self.out.contracts.append(
            {
                "id": cid,
                "customer_id": customer_id,
                "rep_id": cust["rep_id"],
                "signed_on": day.isoformat(),
                "total_amount": f"{total:.2f}",
                "currency": "CNY",
                "status": status,
            }
        )
        for product_id, qty, price in lines:
            self._line_id += 1
            self.out.lines.append(
                {
                    "id": self._line_id,
                    "contract_id": cid,
                    "product_id": product_id,
                    "quantity": qty,
                    "unit_price": f"{price:.2f}",
                }
            )
        for name, value in gifts:
            self._gift_id += 1
            self.out.gifts.append(
                {"id": self._gift_id, "contract_id": cid, "name": name, "value": f"{value:.2f}"}
            )
        self._attach(cid, "contract_scan", f"{cid}_合同扫描件.pdf")
        if declaration:
            self._attach(cid, "compliance_declaration", f"{cid}_合规声明_compliance_declaration.pdf")
        return total

    def _attach(self, cid: str, kind: str, filename: str) -> None:
        self._att_id += 1
        self.out.attachments.append(
            {"id": self._att_id, "contract_id": cid, "kind": kind, "filename": filename}
        )

    def clean_gifts(self, total: Decimal) -> list[tuple[str, Decimal]]:
        """Catalogued gifts worth 0.3%..2.5% of the total (never above the 3% cap)."""
        catalogue = {"G-01": 200, "G-02": 1500, "G-03": 300, "G-04": 50}
        budget = total * Decimal(self.rng.uniform(0.003, 0.025))
        gifts: list[tuple[str, Decimal]] = []
        for gid in self.rng.sample(sorted(catalogue), k=self.rng.choice([1, 1, 2])):
            qty = int(budget / len(catalogue) / catalogue[gid] * 2) or 1
            value = Decimal(qty * catalogue[gid])
            if sum((v for _, v in gifts), Decimal(0)) + value <= total * Decimal("0.025"):
                gifts.append((self.rng.choice(GIFT_SPELLINGS[gid]), value))
        return gifts

    def generated_contracts(self) -> None:
        """About one contract per customer per month or two, clean, ids in date order."""
        planned: list[tuple[dt.date, str]] = []
        days = (END - START).days
        for cust in self.customers.values():
            n = CONTRACTS_PER_YEAR[cust["tier"]]
            for i in range(n):
                offset = int(days * (i + self.rng.uniform(0.1, 0.9)) / n)
                planned.append((START + dt.timedelta(days=offset), cust["id"]))
        planned.sort()
        seq = {2025: 0, 2026: 0}
        for day, customer_id in planned:
            seq[day.year] += 1
            cid = f"C-{day.year}-{seq[day.year]:04d}"
            while cid in RESERVED_CONTRACTS:
                seq[day.year] += 1
                cid = f"C-{day.year}-{seq[day.year]:04d}"
            cust = self.customers[customer_id]
            scale = TIER_SCALE[cust["tier"]]
            lines = []
            for pid in sorted(self.rng.sample(sorted(self.products), k=self.rng.choice([1, 2, 2, 3]))):
                qty = max(1, round(BASE_QTY[pid] * scale * self.rng.uniform(0.6, 1.6)))
                price = unit_price(
                    self.rng, Decimal(self.products[pid]["list_price"]), pid, cust["province"], day
                )
                lines.append((pid, qty, price))
            total = sum((Decimal(q) * p for _, q, p in lines), Decimal(0))
            gifts = self.clean_gifts(total) if self.rng.random() < 0.6 else []
            declaration = bool(gifts) or self.rng.random() < 0.3
            self.add_contract(cid, customer_id, day, lines, gifts, declaration)

    def planted_contracts(self) -> None:
        """The compliance facts of SCENARIO.md, plus a clean contract exactly at the 3% cap."""
        d = Decimal
        # 4% gifts: 40,000 on 1,000,000 (catalogued, declared): only the 3% rule fires.
        total = self.add_contract(
            "C-2026-0311",
            "H-GD-001",
            dt.date(2026, 3, 11),
            [("HMT-DCB-02", 100, d(6500)), ("HMT-BC-03", 200, d(1150)), ("HMT-GW-04", 200, d(600))],
            [("临床培训模型", d(30000)), ("学术会议资料包", d(10000))],
            declaration=True,
        )
        assert total == d(1_000_000)
        # A gift that is not in the catalogue (value 1.6%, declared): only the catalogue rule fires.
        self.add_contract(
            "C-2026-0412",
            "H-SD-002",
            dt.date(2026, 4, 12),
            [("HMT-DCB-02", 60, d(6600)), ("HMT-GW-04", 200, d(650)), ("HMT-BC-03", 80, d(1200))],
            [("高端按摩椅 luxury massage chair", d(9800))],
            declaration=True,
        )
        # A catalogued gift within 3% but no compliance declaration attached.
        self.add_contract(
            "C-2026-0415",
            "H-ZJ-002",
            dt.date(2026, 4, 15),
            [("HMT-DES-01", 300, d(780)), ("HMT-BC-03", 100, d(1200))],
            [("医学教材", d(6000))],
            declaration=False,
        )
        # Clean: gifts 1.5% of the total, catalogued, declared.
        total = self.add_contract(
            "C-2026-0501",
            "H-ZJ-001",
            dt.date(2026, 5, 1),
            [("HMT-DCB-02", 100, d(6500)), ("HMT-DES-01", 150, d(780)), ("HMT-GW-04", 55, d(600))],
            [("临床培训模型", d(9000)), ("学术会议资料包", d(3000))],
            declaration=True,
        )
        assert total == d(800_000), total
        # Clean boundary case: gifts exactly 3% (exactly 3% passes).
        total = self.add_contract(
            "C-2026-0606",
            "H-SH-001",
            dt.date(2026, 6, 6),
            [
                ("HMT-IVUS-05", 20, d(9500)),
                ("HMT-FFR-06", 25, d(7200)),
                ("HMT-DES-01", 200, d(780)),
                ("HMT-GW-04", 40, d(600)),
            ],
            [("临床培训模型", d(15000)), ("医学教材", d(1500))],
            declaration=True,
        )
        assert total == d(550_000), total  # 3% = 16,500
        self.out.contracts.sort(key=lambda c: (c["signed_on"], c["id"]))
