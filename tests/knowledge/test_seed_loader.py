"""load_demo on SQLite and PostgreSQL: complete, idempotent, fast, and upserting by primary key."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from sqlalchemy import func, select, text

from knowledge.seed.loader import DATA_DIR, load_demo, load_tables
from knowledge.store.db import SessionFactory, transaction
from knowledge.store.models import Product, WorkItem


def test_load_twice_changes_nothing(session_factory: SessionFactory) -> None:
    first = load_demo(session_factory)
    expected = {table.name: len(rows) for table, rows in load_tables()}
    assert {name: c.inserted for name, c in first.tables.items()} == expected
    assert first.updated == 0 and first.unchanged == 0
    assert first.seconds < 10
    with session_factory() as s:
        for name, n in expected.items():
            assert s.execute(text(f"SELECT COUNT(*) FROM {name}")).scalar_one() == n, name
    second = load_demo(session_factory)
    assert second.inserted == 0 and second.updated == 0
    assert second.unchanged == sum(expected.values())


def test_new_rows_after_load_get_fresh_ids(session_factory: SessionFactory) -> None:
    """Seeded integer ids are explicit; the serial must continue after them (PostgreSQL)."""
    load_demo(session_factory)
    with transaction(session_factory) as s:
        top = s.execute(select(func.max(WorkItem.id))).scalar_one()
        item = WorkItem(workbench="sales", kind="battle_pack", title="new")
        s.add(item)
        s.flush()
        assert item.id > top


def test_changed_file_updates_only_that_row(session_factory: SessionFactory, tmp_path: Path) -> None:
    data = tmp_path / "world"
    shutil.copytree(DATA_DIR, data)
    load_demo(session_factory, data_dir=data)
    products = json.loads((data / "core" / "products.json").read_text(encoding="utf-8"))
    products[0]["safety_stock"] = 555
    (data / "core" / "products.json").write_text(json.dumps(products, ensure_ascii=False), encoding="utf-8")
    report = load_demo(session_factory, data_dir=data)
    assert report.updated == 1 and report.inserted == 0
    assert report.tables["products"].updated == 1
    with session_factory() as s:
        assert s.get(Product, products[0]["id"]).safety_stock == 555  # type: ignore[union-attr]
