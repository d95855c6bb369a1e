"""Generate the demo history ONCE (fixed seed) into knowledge/seed/world/history.

    .venv/bin/python -m knowledge.seed.generate

The output is committed; the loader never runs this. Re-running it reproduces the same files
byte for byte (same seed, same core data), so a diff shows exactly what a change to the
generator did. See knowledge/seed/README.md for what is planted.
"""

from __future__ import annotations

import csv
import json
import random
from pathlib import Path
from typing import Any

from knowledge.seed.gen_activity import build_activity
from knowledge.seed.gen_commerce import CommerceBuilder
from knowledge.seed.gen_orders import generate_orders, generate_prepayments, generate_rebates
from knowledge.seed.gen_workitems import build_recommendations, build_work_items

SEED = 20261130
WORLD = Path(__file__).with_name("world")


def _core(name: str) -> list[dict[str, Any]]:
    data: list[dict[str, Any]] = json.loads((WORLD / "core" / f"{name}.json").read_text(encoding="utf-8"))
    return data


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    return value


def write_csv(path: Path, rows: list[dict[str, Any]]) -> None:
    fields = [k for k in rows[0] if not k.startswith("_")]
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=fields, extrasaction="ignore", lineterminator="\n")
        writer.writeheader()
        for row in rows:
            writer.writerow({k: _cell(row[k]) for k in fields})


def write_json(path: Path, rows: list[dict[str, Any]]) -> None:
    clean = [{k: v for k, v in row.items() if not k.startswith("_")} for row in rows]
    lines = ",\n".join("  " + json.dumps(r, ensure_ascii=False) for r in clean)
    path.write_text("[\n" + lines + "\n]\n", encoding="utf-8")


def generate(out_dir: Path = WORLD / "history") -> dict[str, int]:
    rng = random.Random(SEED)
    products = _core("products")
    customers = _core("customers")
    builder = CommerceBuilder(rng, products, customers)
    builder.generated_contracts()
    builder.planted_contracts()
    generate_orders(builder)
    generate_rebates(builder)
    generate_prepayments(builder)
    by_id = {p["id"]: p for p in products}
    act = build_activity(rng, customers, by_id)
    build_work_items(rng, act)
    build_recommendations(rng, act, customers, by_id)

    out_dir.mkdir(parents=True, exist_ok=True)
    c = builder.out
    tables: dict[str, tuple[str, list[dict[str, Any]]]] = {
        "contracts": ("csv", c.contracts),
        "contract_lines": ("csv", c.lines),
        "contract_gifts": ("csv", c.gifts),
        "contract_attachments": ("csv", c.attachments),
        "orders": ("csv", c.orders),
        "rebate_programmes": ("json", c.rebates),
        "prepayments": ("csv", c.prepayments),
        "visits": ("csv", act.visits),
        "feedback_answers": ("csv", act.answers),
        "work_items": ("json", act.work_items),
        "recommendations": ("csv", act.recommendations),
    }
    counts = {}
    for name, (fmt, rows) in tables.items():
        path = out_dir / f"{name}.{fmt}"
        (write_csv if fmt == "csv" else write_json)(path, rows)
        counts[name] = len(rows)
    return counts


if __name__ == "__main__":
    for table, n in generate().items():
        print(f"{table:22s} {n:6d}")
