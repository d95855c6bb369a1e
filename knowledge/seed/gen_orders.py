"""Orders, rebate programmes and prepayments of the demo history (used once by generate.py).

Planted here: the H-ZJ-001 rebate that is reached only with the cross-year order O-2025-1229 and
the related party H-ZJ-003, and the Guangdong quarter-end prepayment cluster of 2026-Q3. Every
other rebate reaches its threshold honestly or not at all, and every other (region, quarter) has
at most one prepayment in its last ten days.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal
from typing import Any

from knowledge.seed.gen_commerce import (
    BASE_QTY,
    CROSS_YEAR_ORDER,
    END,
    REBATE_THRESHOLD,
    START,
    TIER_SCALE,
    CommerceBuilder,
    unit_price,
)

ORDERS_PER_MONTH = {"三甲": 3, "三乙": 2, "二级": 1}
# 2026 order totals of the rebate pair: own + O-2025-1229 < 5M, own + H-ZJ-003 < 5M, all three >= 5M.
OWN_TARGET = Decimal(3_450_000)
RELATED_TARGET = Decimal(620_000)
HONEST_REBATES = {  # customer -> reached?
    "H-GD-001": True,
    "H-GD-002": False,
    "H-SD-001": True,
    "H-JS-001": False,
    "H-SH-001": True,
    "H-ZJ-004": False,
    "H-SD-003": True,
}
GD_Q3_BASELINE = ["07-03", "07-14", "07-24", "08-04", "08-13", "08-24", "09-02", "09-12"]
GD_Q3_CLUSTER = ["09-21", "09-22", "09-23", "09-24", "09-25", "09-27", "09-28", "09-29", "09-30"]


def _month_starts() -> list[dt.date]:
    months, day = [], START
    while day <= END:
        months.append(day)
        day = (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return months


def _contract_price(
    b: CommerceBuilder, customer_id: str, product_id: str, day: dt.date
) -> tuple[str, Decimal] | None:
    """The most recent contract of the customer signed by `day` that has a line for the product."""
    best: tuple[str, str, Decimal] | None = None
    for line in b.out.lines:
        if line["product_id"] != product_id:
            continue
        contract = b.contracts_by_id[line["contract_id"]]
        if contract["customer_id"] != customer_id or contract["signed_on"] > day.isoformat():
            continue
        if best is None or contract["signed_on"] > best[0]:
            best = (contract["signed_on"], contract["id"], Decimal(line["unit_price"]))
    return (best[1], best[2]) if best else None


def generate_orders(b: CommerceBuilder) -> None:
    rng = b.rng
    b.contracts_by_id = {c["id"]: c for c in b.out.contracts}
    raw: list[dict[str, Any]] = []
    for month in _month_starts():
        for cust in b.customers.values():
            n = max(1, ORDERS_PER_MONTH[cust["tier"]] + rng.choice([-1, 0, 0, 1]))
            for _ in range(n):
                day = month + dt.timedelta(days=rng.randint(0, 26))
                if month.year == 2025 and cust["id"] == "H-ZJ-001" and day.day >= 20:
                    day = day.replace(day=rng.randint(3, 18))  # O-2025-1229 is its year-end order
                pid = rng.choice(sorted(b.products))
                qty = max(1, round(BASE_QTY[pid] * TIER_SCALE[cust["tier"]] * rng.uniform(0.5, 1.5)))
                found = _contract_price(b, cust["id"], pid, day)
                if found:
                    contract_id, price = found
                else:
                    contract_id = None
                    price = unit_price(
                        rng, Decimal(b.products[pid]["list_price"]), pid, cust["province"], day
                    )
                raw.append(
                    {
                        "customer": cust,
                        "day": day,
                        "product_id": pid,
                        "qty": qty,
                        "price": price,
                        "contract_id": contract_id,
                    }
                )
    for cid, target in (("H-ZJ-001", OWN_TARGET), ("H-ZJ-003", RELATED_TARGET)):
        mine = [o for o in raw if o["customer"]["id"] == cid and o["day"].year == 2026]
        current = sum((o["price"] * o["qty"] for o in mine), Decimal(0))
        factor = target / current
        for o in mine:
            o["qty"] = max(1, round(o["qty"] * float(factor)))
    raw.sort(key=lambda o: (o["day"], o["customer"]["id"], o["product_id"]))
    seq: dict[int, int] = defaultdict(int)
    for o in raw:
        seq[o["day"].year] += 1
        oid = f"O-{o['day'].year}-{seq[o['day'].year]:04d}"
        assert oid != CROSS_YEAR_ORDER
        b.out.orders.append(
            _order_row(oid, o["customer"], o["contract_id"], o["product_id"], o["day"], o["qty"], o["price"])
        )
    cust = b.customers["H-ZJ-001"]
    b.out.orders.append(
        _order_row(CROSS_YEAR_ORDER, cust, None, "HMT-DCB-02", dt.date(2025, 12, 29), 200, Decimal(6000))
    )
    b.out.orders.sort(key=lambda o: (o["order_date"], o["id"]))


def _order_row(
    oid: str, cust: dict[str, Any], contract_id: str | None, pid: str, day: dt.date, qty: int, price: Decimal
) -> dict[str, Any]:
    return {
        "id": oid,
        "customer_id": cust["id"],
        "contract_id": contract_id or "",
        "product_id": pid,
        "order_date": day.isoformat(),
        "quantity": qty,
        "amount": f"{price * qty:.2f}",
        "province": cust["province"],
        "rep_id": cust["rep_id"],
    }


def _year_orders(b: CommerceBuilder, customer_id: str, year: int) -> list[dict[str, Any]]:
    return [
        o for o in b.out.orders if o["customer_id"] == customer_id and o["order_date"].startswith(str(year))
    ]


def _sum(orders: list[dict[str, Any]]) -> Decimal:
    return sum((Decimal(o["amount"]) for o in orders), Decimal(0))


def generate_rebates(b: CommerceBuilder) -> None:
    own = _year_orders(b, "H-ZJ-001", 2026)
    related = _year_orders(b, "H-ZJ-003", 2026)
    cross = [o for o in b.out.orders if o["id"] == CROSS_YEAR_ORDER]
    x, y, z = _sum(own), _sum(related), _sum(cross)
    assert x + z < REBATE_THRESHOLD and x + y < REBATE_THRESHOLD <= x + y + z, (x, y, z)
    claimed = cross + own + related
    b.out.rebates.append(
        {
            "id": "RB-2026-H-ZJ-001",
            "customer_id": "H-ZJ-001",
            "year": 2026,
            "threshold_amount": int(REBATE_THRESHOLD),
            "rate_pct": 3,
            "claimed_amount": f"{x + y + z:.2f}",
            "claimed_volume": sum(int(o["quantity"]) for o in claimed),
            "claimed_order_ids": [o["id"] for o in claimed],
            "status": "claimed",
        }
    )
    for cid, reached in HONEST_REBATES.items():
        mine = _year_orders(b, cid, 2026)
        total = _sum(mine)
        step = Decimal(250_000)
        if reached:
            threshold = (total * Decimal("0.85") / step).to_integral_value(rounding="ROUND_FLOOR") * step
        else:
            threshold = (total * Decimal("1.3") / step).to_integral_value(rounding="ROUND_CEILING") * step
        assert (total >= threshold) == reached
        b.out.rebates.append(
            {
                "id": f"RB-2026-{cid}",
                "customer_id": cid,
                "year": 2026,
                "threshold_amount": int(threshold),
                "rate_pct": 2 if threshold < 3_000_000 else 3,
                "claimed_amount": f"{total:.2f}" if reached else None,
                "claimed_volume": sum(int(o["quantity"]) for o in mine) if reached else None,
                "claimed_order_ids": [o["id"] for o in mine] if reached else [],
                "status": "claimed" if reached else "open",
            }
        )


def quarter_last10(day: dt.date) -> tuple[dt.date, dt.date]:
    """The last ten days of the quarter `day` is in."""
    q_end_month = ((day.month - 1) // 3 + 1) * 3
    nxt = dt.date(day.year + (q_end_month == 12), q_end_month % 12 + 1, 1)
    end = nxt - dt.timedelta(days=1)
    return end - dt.timedelta(days=9), end


def generate_prepayments(b: CommerceBuilder) -> None:
    rng = b.rng
    rows: list[tuple[dt.date, dict[str, Any], Decimal]] = []
    by_province: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for cust in b.customers.values():
        by_province[cust["province"]].append(cust)
    for prov, custs in sorted(by_province.items()):
        step = (8, 12) if len(custs) >= 4 else (14, 22)
        day = START + dt.timedelta(days=rng.randint(0, 6))
        used_last10: set[dt.date] = set()
        while day <= END:
            lo, hi = quarter_last10(day)
            in_gd_q3 = prov == "GD" and dt.date(2026, 7, 1) <= day <= dt.date(2026, 9, 30)
            sparse = len(custs) < 4  # a one-a-fortnight region keeps quarter ends empty
            if lo <= day <= hi and (sparse or hi in used_last10):
                day = hi + dt.timedelta(days=rng.randint(2, 6))
                continue
            if not in_gd_q3:
                if lo <= day <= hi:
                    used_last10.add(hi)
                amount = Decimal(rng.randrange(80_000, 600_000, 1_000))
                rows.append((day, rng.choice(custs), amount))
            day += dt.timedelta(days=rng.randint(*step))
    gd = by_province["GD"]
    for mmdd in GD_Q3_BASELINE:
        rows.append(
            (
                dt.date.fromisoformat(f"2026-{mmdd}"),
                rng.choice(gd),
                Decimal(rng.randrange(80_000, 500_000, 1_000)),
            )
        )
    for mmdd in GD_Q3_CLUSTER:
        rows.append(
            (
                dt.date.fromisoformat(f"2026-{mmdd}"),
                rng.choice(gd),
                Decimal(rng.randrange(300_000, 900_000, 1_000)),
            )
        )
    rows.sort(key=lambda r: (r[0], r[1]["id"]))
    seq: dict[int, int] = defaultdict(int)
    for day, cust, amount in rows:
        seq[day.year] += 1
        b.out.prepayments.append(
            {
                "id": f"PP-{day.year}-{seq[day.year]:04d}",
                "customer_id": cust["id"],
                "province": cust["province"],
                "amount": f"{amount:.2f}",
                "paid_on": day.isoformat(),
                "rep_id": cust["rep_id"],
            }
        )
