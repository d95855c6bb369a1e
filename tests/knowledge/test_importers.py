"""CSV/XLSX imports: good files report what changed, bad files report every bad row and import nothing."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from knowledge.seed.importers import NotATableError, import_file
from knowledge.seed.loader import load_demo
from knowledge.store import audit
from knowledge.store.db import SessionFactory
from knowledge.store.models import AuditEntry, Contract, ContractLine, Customer, Order, Stock

STOCK_GOOD = [
    ["仓库", "产品", "在库", "在途"],
    ["WH-HZ", "瑞畅", "40", "600"],
    ["杭州仓", "HMT-DES-01", "4200", "0"],
    ["WH-GZ", "IVUS", "70", "40"],
]
STOCK_BAD = [
    ["warehouse_id", "product_id", "on_hand", "on_order"],
    ["WH-XX", "HMT-DES-01", "10", "0"],
    ["WH-HZ", "HMT-GW-04", "abc", "0"],
    ["WH-HZ", "HMT-BC-03", "-5", ""],
    ["WH-JN", "NOPE", "5", "1"],
    ["WH-HZ", "HMT-DCB-02", "999", "0"],  # a good row: must not be imported either
]


def _csv(path: Path, rows: list[list[str]], encoding: str = "utf-8") -> Path:
    path.write_text("\n".join(",".join(r) for r in rows) + "\n", encoding=encoding)
    return path


def _xlsx(path: Path, rows: list[list[object]]) -> Path:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def _stock(factory: SessionFactory) -> dict[tuple[str, str], tuple[int, int]]:
    with factory() as s:
        return {(x.warehouse_id, x.product_id): (x.on_hand, x.on_order) for x in s.scalars(select(Stock))}


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_good_stock_file(fmt: str, demo_factory: SessionFactory, tmp_path: Path) -> None:
    rows: list[list[object]] = [STOCK_GOOD[0], *[[a, b, int(c), int(d)] for a, b, c, d in STOCK_GOOD[1:]]]
    path = _csv(tmp_path / "s.csv", STOCK_GOOD) if fmt == "csv" else _xlsx(tmp_path / "s.xlsx", rows)
    report = import_file(demo_factory, "stock", path)
    assert report.ok and report.rows == 3
    assert (report.counts.inserted, report.counts.updated, report.counts.unchanged) == (0, 2, 1)
    stock = _stock(demo_factory)
    assert stock[("WH-HZ", "HMT-DCB-02")] == (40, 600) and stock[("WH-GZ", "HMT-IVUS-05")] == (70, 40)
    again = import_file(demo_factory, "stock", path)
    assert (again.counts.updated, again.counts.unchanged) == (0, 3)
    with demo_factory() as s:
        assert audit.verify(s).ok and s.scalar(select(func.count()).select_from(AuditEntry)) == 1


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_bad_rows_all_reported_nothing_imported(
    fmt: str, demo_factory: SessionFactory, tmp_path: Path
) -> None:
    before = _stock(demo_factory)
    path = (
        _csv(tmp_path / "b.csv", STOCK_BAD) if fmt == "csv" else _xlsx(tmp_path / "b.xlsx", list(STOCK_BAD))
    )
    report = import_file(demo_factory, "stock", path)
    assert not report.ok
    found = {(e.row, e.column) for e in report.errors}
    assert found == {(2, "warehouse_id"), (3, "on_hand"), (4, "on_hand"), (5, "product_id")}
    assert all(e.reason for e in report.errors)
    assert _stock(demo_factory) == before


def test_not_a_table(demo_factory: SessionFactory, tmp_path: Path) -> None:
    png = tmp_path / "photo.png"
    png.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(64))
    empty = tmp_path / "empty.csv"
    empty.write_text("  \n", encoding="utf-8")
    fake_xlsx = tmp_path / "fake.xlsx"
    fake_xlsx.write_bytes(b"PK\x03\x04 not really a zip")
    wrong = _csv(tmp_path / "wrong.csv", [["name", "colour"], ["a", "b"]])
    for path, words in [(png, "binary"), (empty, "empty"), (fake_xlsx, "XLSX"), (wrong, "missing columns")]:
        with pytest.raises(NotATableError, match=words):
            import_file(demo_factory, "stock", path)
    with pytest.raises(NotATableError, match="does not exist"):
        import_file(demo_factory, "stock", tmp_path / "nope.csv")


def test_customers_gb18030_with_aliases(demo_factory: SessionFactory, tmp_path: Path) -> None:
    rows = [
        ["客户编号", "医院名称", "英文名称", "省份", "城市", "等级", "代表", "别名"],
        [
            "H-ZJ-099",
            "杭州西溪医院",
            "Hangzhou Xixi Hospital",
            "浙江",
            "杭州",
            "三乙",
            "张伟",
            "西溪医院;Xixi",
        ],
        [
            "H-ZJ-001",
            "杭州滨江中心医院",
            "Hangzhou Binjiang Central Hospital",
            "ZJ",
            "杭州 Hangzhou",
            "三甲",
            "P-ZW",
            "滨江中心医院;滨江中心;杭州滨江;Binjiang Central;Binjiang Central Hospital",
        ],
    ]
    report = import_file(demo_factory, "customers", _csv(tmp_path / "c.csv", rows, encoding="gb18030"))
    assert report.ok, report.errors
    assert (report.counts.inserted, report.counts.updated, report.counts.unchanged) == (1, 0, 1)
    with demo_factory() as s:
        new = s.get(Customer, "H-ZJ-099")
        assert (
            new is not None
            and new.province == "ZJ"
            and new.rep_id == "P-ZW"
            and new.aliases == ["西溪医院", "Xixi"]
        )
        assert s.get(Customer, "H-ZJ-001").medical_group_id == "MG-BINJIANG"  # type: ignore[union-attr]


def test_orders_good_and_bad(demo_factory: SessionFactory, tmp_path: Path) -> None:
    header = ["订单号", "客户编号", "产品", "订单日期", "数量", "金额", "合同编号"]
    good = [header, ["O-IMP-1", "H-GD-001", "瑞达", "2026-11-28", "10", "11500", "C-2026-0311"]]
    report = import_file(demo_factory, "orders", _xlsx(tmp_path / "o.xlsx", good))
    assert report.ok and report.counts.inserted == 1
    with demo_factory() as s:
        order = s.get(Order, "O-IMP-1")
        assert (
            order is not None
            and order.province == "GD"
            and order.rep_id == "P-LN"
            and order.amount == Decimal(11500)
        )
    bad = [
        header,
        ["O-IMP-2", "H-XX-404", "HMT-GW-04", "2026-11-28", "1", "650", ""],
        ["O-IMP-3", "H-GD-001", "HMT-GW-04", "2026-13-45", "0", "650", ""],
        ["O-IMP-4", "H-GD-001", "HMT-GW-04", "2026-11-28", "1", "650", "C-NOPE"],
        ["O-IMP-1", "H-GD-001", "HMT-GW-04", "2026-11-28", "2", "", ""],
    ]
    report = import_file(demo_factory, "orders", _csv(tmp_path / "o.csv", bad))
    assert {(e.row, e.column) for e in report.errors} == {
        (2, "客户编号"),
        (3, "订单日期"),
        (3, "数量"),
        (4, "合同编号"),
        (5, "金额"),
    }
    with demo_factory() as s:
        assert s.get(Order, "O-IMP-2") is None and s.get(Order, "O-IMP-1").quantity == 10  # type: ignore[union-attr]


def test_contracts_replace_lines_on_both_backends(session_factory: SessionFactory, tmp_path: Path) -> None:
    load_demo(session_factory)
    header = ["合同编号", "客户编号", "签订日期", "产品", "数量", "单价", "赠品", "附件"]
    rows = [
        header,
        [
            "C-IMP-1",
            "H-SH-002",
            "2026-11-20",
            "HMT-DCB-02",
            "10",
            "6500",
            "医学教材=900",
            "compliance_declaration=d.pdf",
        ],
        ["C-IMP-1", "H-SH-002", "2026-11-20", "HMT-GW-04", "20", "650", "", ""],
    ]
    path = _csv(tmp_path / "k.csv", rows)
    first = import_file(session_factory, "contracts", path)
    assert first.ok and first.counts.inserted == 1
    assert import_file(session_factory, "contracts", path).counts.unchanged == 1
    rows[2][4] = "30"
    second = import_file(session_factory, "contracts", _csv(tmp_path / "k2.csv", rows))
    assert second.counts.updated == 1
    with session_factory() as s:
        c = s.get(Contract, "C-IMP-1")
        assert c is not None and c.total_amount == Decimal(65000 + 19500)
        assert sorted(line.quantity for line in c.lines) == [10, 30] and [g.name for g in c.gifts] == [
            "医学教材"
        ]
        assert [a.kind for a in c.attachments] == ["compliance_declaration"]
        assert (
            s.scalar(
                select(func.count()).select_from(ContractLine).where(ContractLine.contract_id == "C-IMP-1")
            )
            == 2
        )
    bad = [
        header,
        ["C-IMP-2", "H-SH-002", "2026-11-20", "NOPE", "1", "650", "", ""],
        ["C-IMP-2", "H-SH-001", "2026-11-21", "HMT-GW-04", "1", "650", "", ""],
        ["C-IMP-2", "H-SH-002", "2026-11-20", "HMT-GW-04", "1", "650", "按摩椅", ""],
    ]
    report = import_file(session_factory, "contracts", _csv(tmp_path / "k3.csv", bad))
    assert {(e.row, e.column) for e in report.errors} == {
        (2, "产品"),
        (3, "客户编号"),
        (3, "签订日期"),
        (4, "赠品"),
    }
    with session_factory() as s:
        assert s.get(Contract, "C-IMP-2") is None


@pytest.mark.parametrize("kind", ["stock", "customers", "orders", "contracts"])
def test_documented_samples_import(kind: str, demo_factory: SessionFactory) -> None:
    sample = Path(__file__).parents[2] / "knowledge" / "seed" / "samples" / f"{kind}.csv"
    report = import_file(demo_factory, kind, sample)
    assert report.ok, report.errors
    assert report.ignored_columns == []
