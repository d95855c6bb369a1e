"""Seed timing: migrate + cold load_demo, then a warm (no-op) load, on SQLite and PostgreSQL.

    .venv/bin/python bench/bench_seed.py [--pg postgresql+psycopg://root@127.0.0.1:5432/test] [--runs 3]

Prints figures only (no assertions on time). PostgreSQL runs in a throw-away database.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
import uuid
from pathlib import Path

from sqlalchemy import create_engine, text

from knowledge.seed.loader import load_demo
from knowledge.store.db import make_engine, make_session_factory
from knowledge.store.schema import migrate


def one_run(url: str) -> tuple[float, float, float, int]:
    engine = make_engine(url)
    t0 = time.perf_counter()
    migrate(engine)
    t1 = time.perf_counter()
    factory = make_session_factory(engine)
    cold = load_demo(factory)
    t2 = time.perf_counter()
    warm = load_demo(factory)
    t3 = time.perf_counter()
    assert warm.inserted == 0 and warm.updated == 0
    engine.dispose()
    return t1 - t0, t2 - t1, t3 - t2, cold.inserted


def bench_sqlite(runs: int) -> list[tuple[float, float, float, int]]:
    out = []
    for _ in range(runs):
        with tempfile.TemporaryDirectory() as tmp:
            out.append(one_run(f"sqlite:///{Path(tmp) / 'bench.db'}"))
    return out


def bench_pg(admin_url: str, runs: int) -> list[tuple[float, float, float, int]]:
    out = []
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    for _ in range(runs):
        name = f"bench_{uuid.uuid4().hex[:10]}"
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        try:
            out.append(one_run(admin_url.rsplit("/", 1)[0] + f"/{name}"))
        finally:
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()
    return out


def report(name: str, rows: list[tuple[float, float, float, int]]) -> None:
    med = [statistics.median(r[i] for r in rows) for i in range(3)]
    print(
        f"{name:10s} records={rows[0][3]}  migrate={med[0]:.2f}s  cold load={med[1]:.2f}s  "
        f"warm load={med[2]:.2f}s  (median of {len(rows)})"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pg", default="postgresql+psycopg://root@127.0.0.1:5432/test")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    report("sqlite", bench_sqlite(args.runs))
    report("postgresql", bench_pg(args.pg, args.runs))


if __name__ == "__main__":
    main()
