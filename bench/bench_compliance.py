"""Compliance engine figures: contract checks per second (rules alone; with the audit record
persisted) and the history scan over a generated million-order database.

Usage: .venv/bin/python bench/bench_compliance.py [--checks 20000] [--persisted 3000] [--orders 1000000]
Prints figures; asserts nothing about time (record them in docs/figures/compliance.md).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import sqlite3
import tempfile
import time
from pathlib import Path
from typing import Any

from knowledge.store.db import make_engine, make_session_factory, transaction
from knowledge.store.schema import migrate
from tools.compliance.engine import RuleSet
from tools.compliance.facts import ReferenceData, contract_facts
from tools.compliance.rulestore import load_shipped_rules, shipped_rules
from tools.compliance.schema import CONTRACT_SCOPES, RuleStatus
from tools.compliance.service import ComplianceService
from tools.compliance.validation import validate_contract

TODAY = dt.date(2026, 11, 30)
CUSTOMERS = ["H-ZJ-001", "H-ZJ-002", "H-GD-001", "H-GD-002", "H-SD-001", "H-SD-002", "H-JS-001", "H-SH-001"]
GIFTS = ["G-01", "clinical training model", "医学 教材", "Branded Notebook", "高端按摩椅", "iPad"]
PRODUCTS = [
    ("HMT-DES-01", 790),
    ("HMT-DCB-02", 6800),
    ("HMT-BC-03", 1150),
    ("HMT-GW-04", 650),
    ("HMT-IVUS-05", 9500),
]


def contracts(n: int, rng: random.Random) -> list[dict[str, Any]]:
    """Varied contracts: 1-4 lines, 0-3 gifts, a mix of clean and flagged (about 40% flagged)."""
    out = []
    for i in range(n):
        lines = [
            {
                "product_id": p,
                "quantity": rng.randint(10, 500),
                "unit_price": price * rng.choice([1, 1, 1, 1.05]),
            }
            for p, price in rng.sample(PRODUCTS, rng.randint(1, 4))
        ]
        total = sum(ln["quantity"] * ln["unit_price"] for ln in lines)
        gifts = [
            {"name": rng.choice(GIFTS), "value": round(total * rng.uniform(0.001, 0.012), 2)}
            for _ in range(rng.randint(0, 3))
        ]
        out.append(
            {
                "contract_id": f"B-{i}",
                "customer_id": rng.choice(CUSTOMERS),
                "signed_on": f"2026-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
                "total_amount": total,
                "lines": lines,
                "gifts": gifts,
                "attachments": [{"kind": "compliance_declaration"}] if rng.random() < 0.9 else [],
            }
        )
    return out


def demo_db(path: Path) -> Any:
    from knowledge.seed.loader import load_demo

    engine = make_engine(f"sqlite:///{path}")
    migrate(engine)
    factory = make_session_factory(engine)
    load_demo(factory)
    with transaction(factory) as session:
        load_shipped_rules(session)
    return engine, factory


def bench_rules(factory: Any, batch: list[dict[str, Any]]) -> None:
    with factory() as session:
        ref = ReferenceData.load(session)
    docs = [d for d in shipped_rules() if d.status is RuleStatus.ACTIVE and d.applies_to in CONTRACT_SCOPES]
    ruleset = RuleSet(docs)
    flagged = 0
    start, cpu = time.perf_counter(), time.process_time()
    for payload in batch:
        contract = validate_contract(payload, ref)
        findings, _ = ruleset.evaluate_contract(contract_facts(contract, ref), contract.signed_on)
        flagged += bool(findings)
    elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
    print(
        f"rule evaluation alone (validate + facts + {len(docs)} rules): {len(batch) / elapsed:,.0f} checks/s wall, "
        f"{len(batch) / cpu:,.0f} checks/s of process CPU ({len(batch):,} contracts, {flagged / len(batch):.0%} "
        f"flagged, {elapsed * 1e6 / len(batch):.0f} us each)"
    )


def bench_persisted(factory: Any, batch: list[dict[str, Any]]) -> None:
    svc = ComplianceService(factory, TODAY)
    svc.check_contract(batch[0], actor="bench")  # compile the rules once
    start, cpu = time.perf_counter(), time.process_time()
    for payload in batch:
        svc.check_contract(payload, actor="bench")
    elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
    print(
        f"check_contract with audit records committed (SQLite file, one transaction per check): "
        f"{len(batch) / elapsed:,.0f} checks/s wall, {len(batch) / cpu:,.0f} checks/s of process CPU "
        f"({len(batch):,} contracts)"
    )


def bench_guard(factory: Any, n: int) -> None:
    """Answers through the guard: rule evaluation alone, then with the decision audited."""
    from tools.compliance.guard import Guard

    svc = ComplianceService(factory, TODAY)
    texts = [
        "瑞畅药物涂层球囊用于冠状动脉支架内再狭窄，库存充足，建议本周拜访。" * 3,
        "联系张主任 13812345678 确认手术排期。",
        "我们可以额外给 2% 返利。",
    ]
    pure = Guard(None, svc.active_rules(), TODAY)
    start = time.perf_counter()
    for i in range(n):
        pure.check_text(texts[i % 3])
    rate = n / (time.perf_counter() - start)
    start = time.perf_counter()
    for i in range(n // 5):
        svc.guard.check_text(texts[i % 3], {"actor": "bench"})
    audited = (n // 5) / (time.perf_counter() - start)
    print(
        f"guard.check_text: {rate:,.0f} answers/s (rules alone), {audited:,.0f} answers/s with the decision "
        f"audited (a third held: approval items raised)"
    )


def generate_history(db: Path, orders: int, rng: random.Random) -> None:
    """Customers, medical groups, a million orders, rebate programmes and prepayments, via executemany."""
    conn = sqlite3.connect(db)
    cur = conn.cursor()
    provinces = ["ZJ", "GD", "SD", "JS", "SH"]
    n_customers = 400
    groups = [(f"MG-B{i}", f"医联体{i}", f"group {i}") for i in range(n_customers // 8)]
    cur.executemany("INSERT INTO medical_groups (id, name_zh, name_en) VALUES (?,?,?)", groups)
    customers = [
        (
            f"H-B-{i:04d}",
            f"医院{i}",
            f"Hospital {i}",
            provinces[i % 5],
            "city",
            "三甲",
            groups[i // 4][0] if i < len(groups) * 2 else None,
            None,
            "[]",
        )
        for i in range(n_customers)
    ]
    cur.executemany(
        "INSERT INTO customers (id, name_zh, name_en, province, city, tier, medical_group_id, rep_id, "
        "aliases) VALUES (?,?,?,?,?,?,?,?,?)",
        customers,
    )
    start = dt.date(2025, 1, 1).toordinal()
    span = dt.date(2026, 11, 30).toordinal() - start
    rows = []
    for i in range(orders):
        c = customers[rng.randrange(n_customers)]
        day = dt.date.fromordinal(start + rng.randrange(span + 1)).isoformat()
        rows.append(
            (
                f"B-O-{i:07d}",
                c[0],
                None,
                "HMT-GW-04",
                day,
                10,
                round(rng.uniform(5_000, 60_000), 2),
                c[3],
                None,
            )
        )
        if len(rows) == 100_000:
            cur.executemany(
                "INSERT INTO orders (id, customer_id, contract_id, product_id, order_date, quantity, amount, "
                "province, rep_id) VALUES (?,?,?,?,?,?,?,?,?)",
                rows,
            )
            rows.clear()
    if rows:
        cur.executemany("INSERT INTO orders VALUES (?,?,?,?,?,?,?,?,?)", rows)
    programmes = []
    for i, c in enumerate(customers[:300]):
        claimed: list[str] = []
        if i < 100:  # a third of the programmes list their claimed orders
            claimed = [
                r[0]
                for r in cur.execute(
                    "SELECT id FROM orders WHERE customer_id = ? AND order_date BETWEEN '2025-12-01' AND '2026-12-31'",
                    (c[0],),
                )
            ]
        programmes.append(
            (
                f"RB-B-{i:04d}",
                c[0],
                2026,
                2_500_000,
                2,
                None,
                None,
                json.dumps(claimed),
                "claimed" if i % 3 else "open",
            )
        )
    cur.executemany(
        "INSERT INTO rebate_programmes (id, customer_id, year, threshold_amount, rate_pct, claimed_amount, "
        "claimed_volume, claimed_order_ids, status) VALUES (?,?,?,?,?,?,?,?,?)",
        programmes,
    )
    prepay = [
        (
            f"B-PP-{i:06d}",
            customers[i % n_customers][0],
            customers[i % n_customers][3],
            round(rng.uniform(10_000, 500_000), 2),
            dt.date.fromordinal(start + rng.randrange(span + 1)).isoformat(),
            None,
        )
        for i in range(50_000)
    ]
    cur.executemany(
        "INSERT INTO prepayments (id, customer_id, province, amount, paid_on, rep_id) VALUES (?,?,?,?,?,?)",
        prepay,
    )
    conn.commit()
    conn.close()


def bench_scan(path: Path, orders: int, rng: random.Random) -> None:
    t0 = time.perf_counter()
    generate_history(path, orders, rng)
    print(
        f"generated {orders:,} orders, 300 rebate programmes, 50,000 prepayments in {time.perf_counter() - t0:.1f} s"
    )
    factory = make_session_factory(make_engine(f"sqlite:///{path}"))
    svc = ComplianceService(factory, TODAY)
    start, cpu = time.perf_counter(), time.process_time()
    report = svc.scan(actor="bench")
    elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
    print(
        f"scan over {orders:,} orders: {elapsed:.1f} s wall, {cpu:.1f} s CPU ({report.contracts_checked} contracts, "
        f"{len(report.findings)} findings, by code {report.by_code})"
    )


def machine_load() -> str:
    try:
        return Path("/proc/loadavg").read_text().split()[0]
    except OSError:
        return "?"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--checks", type=int, default=20_000)
    parser.add_argument("--persisted", type=int, default=3_000)
    parser.add_argument("--orders", type=int, default=1_000_000)
    args = parser.parse_args()
    print(f"load average at start: {machine_load()}")
    rng = random.Random(20261130)
    batch = contracts(args.checks, rng)
    with tempfile.TemporaryDirectory(prefix="bench-compliance-") as tmp:
        engine, factory = demo_db(Path(tmp) / "demo.db")
        bench_rules(factory, batch)
        bench_persisted(factory, batch[: args.persisted])
        bench_guard(factory, 5_000)
        engine.dispose()
        big = Path(tmp) / "history.db"
        engine, _ = demo_db(big)
        engine.dispose()
        bench_scan(big, args.orders, rng)
    print(f"load average at end: {machine_load()}")


if __name__ == "__main__":
    main()
