"""Reading a spreadsheet export (CSV or XLSX) into header + rows, or refusing clearly.

ERP and CRM exports come as UTF-8 or GB18030 CSV (Excel in China saves GBK), comma, semicolon or
tab separated, or as XLSX. Anything else (a PDF, an image, an empty file, a sheet without the
expected header) is refused with a message a user can act on, before any row is looked at.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

_XLSX_MAGIC = b"PK\x03\x04"
_MAX_BYTES = 50 * 1024 * 1024


class NotATableError(ValueError):
    """The file is not a readable table (binary, empty, unreadable, or without the expected header)."""


@dataclass
class RawTable:
    headers: list[str]
    # (row number as the spreadsheet shows it, header -> cell text)
    rows: list[tuple[int, dict[str, str]]] = field(default_factory=list)


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise NotATableError("the file is neither UTF-8 nor GB18030 text, so it is not a CSV table")


def _csv_rows(text: str) -> list[list[str]]:
    sample = text[:4096]
    try:
        dialect: Any = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    try:
        return [[c.strip() for c in row] for row in csv.reader(io.StringIO(text), dialect)]
    except csv.Error as exc:
        raise NotATableError(f"unreadable CSV: {exc}") from exc


def _xlsx_rows(data: bytes) -> list[list[str]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a corrupt or foreign zip
        raise NotATableError(f"not a readable XLSX workbook: {exc}") from exc
    try:
        sheet = book.worksheets[0]
        return [[_cell_text(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    finally:
        book.close()


def read_table(path: Path) -> RawTable:
    """Header (first non-blank row) and the non-blank data rows, numbered as in the file."""
    if not path.is_file():
        raise NotATableError(f"{path} does not exist or is not a file")
    if path.stat().st_size > _MAX_BYTES:
        raise NotATableError(f"{path.name} is larger than {_MAX_BYTES // 2**20} MB")
    data = path.read_bytes()
    if not data.strip():
        raise NotATableError(f"{path.name} is empty")
    if data.startswith(_XLSX_MAGIC) or path.suffix.lower() in {".xlsx", ".xlsm"}:
        grid = _xlsx_rows(data)
    elif b"\x00" in data[:8192]:
        raise NotATableError(f"{path.name} is a binary file, not a CSV or XLSX table")
    else:
        grid = _csv_rows(_decode(data))
    numbered = [(i, row) for i, row in enumerate(grid, start=1) if any(c.strip() for c in row)]
    if not numbered:
        raise NotATableError(f"{path.name} has no rows")
    header_no, header = numbered[0]
    headers = [h.strip() for h in header]
    while headers and not headers[-1]:
        headers.pop()
    if len([h for h in headers if h]) < 2:
        raise NotATableError(f"{path.name}: row {header_no} is not a header row (found {headers!r})")
    table = RawTable(headers=headers)
    for number, row in numbered[1:]:
        cells = {h: (row[i] if i < len(row) else "") for i, h in enumerate(headers) if h}
        table.rows.append((number, cells))
    return table
