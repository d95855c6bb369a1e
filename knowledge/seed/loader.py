"""Load the demo world (knowledge/seed/world) into a store: idempotent, bulk, one transaction.

Every data file is named after the table it fills (`products.json`, `orders.csv`, ...). Files in
`world/core` are the hand-written facts of shared/SCENARIO.md; files in `world/history` were
generated once by `generate.py` and are committed, so every install sees the same history.
Loading upserts by primary key: a second load finds every row unchanged and writes nothing.
"""

from __future__ import annotations

import csv
import json
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Table

import knowledge.store.models  # noqa: F401  (registers every table on Base.metadata)
from knowledge.store.base import Base
from knowledge.store.bulk import TableCount, coerce_row, reset_sequences, upsert
from knowledge.store.db import SessionFactory, transaction

log = logging.getLogger(__name__)

DATA_DIR = Path(__file__).with_name("world")
Progress = Callable[[str, int, int], None]  # (table name, tables done, tables total)


@dataclass
class LoadReport:
    tables: dict[str, TableCount] = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def inserted(self) -> int:
        return sum(c.inserted for c in self.tables.values())

    @property
    def updated(self) -> int:
        return sum(c.updated for c in self.tables.values())

    @property
    def unchanged(self) -> int:
        return sum(c.unchanged for c in self.tables.values())

    @property
    def changed(self) -> bool:
        return bool(self.inserted or self.updated)

    def as_dict(self) -> dict[str, Any]:
        return {
            "tables": {name: c.as_dict() for name, c in self.tables.items()},
            "inserted": self.inserted,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "seconds": round(self.seconds, 3),
        }


def data_files(data_dir: Path = DATA_DIR) -> dict[str, Path]:
    """Map table name -> data file; a table defined twice is an error, not a silent pick."""
    files: dict[str, Path] = {}
    for path in sorted(data_dir.rglob("*")):
        if path.suffix not in {".csv", ".json"} or not path.is_file():
            continue
        if path.stem in files:
            raise ValueError(f"table {path.stem} has two data files: {files[path.stem]} and {path}")
        files[path.stem] = path
    known = set(Base.metadata.tables)
    unknown = sorted(set(files) - known)
    if unknown:
        raise ValueError(f"data files for unknown tables: {unknown}")
    return files


def read_rows(path: Path) -> list[dict[str, Any]]:
    """Rows of a data file as dicts: JSON is a list of objects, CSV has a header line."""
    if path.suffix == ".json":
        rows = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(rows, list):
            raise ValueError(f"{path}: expected a JSON list of objects")
        return rows
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def load_tables(data_dir: Path = DATA_DIR) -> list[tuple[Table, list[dict[str, Any]]]]:
    """Every data file read and coerced, in foreign-key order (parents first)."""
    files = data_files(data_dir)
    out = []
    for table in Base.metadata.sorted_tables:
        if table.name in files:
            path = files[table.name]
            try:
                rows = [coerce_row(table, raw) for raw in read_rows(path)]
            except ValueError as exc:
                raise ValueError(f"{path.name}: {exc}") from exc
            out.append((table, rows))
    return out


def load_demo(
    session_factory: SessionFactory, *, data_dir: Path = DATA_DIR, progress: Progress | None = None
) -> LoadReport:
    """Upsert the whole demo world in one transaction; returns per-table counts."""
    started = time.perf_counter()
    report = LoadReport()
    plan = load_tables(data_dir)
    with transaction(session_factory) as session:
        for done, (table, rows) in enumerate(plan, start=1):
            report.tables[table.name] = upsert(session, table, rows)
            if progress is not None:
                progress(table.name, done, len(plan))
        reset_sequences(session, [t for t, _ in plan])
    report.seconds = time.perf_counter() - started
    log.info(
        "demo world loaded",
        extra={"inserted": report.inserted, "updated": report.updated, "seconds": report.seconds},
    )
    return report
