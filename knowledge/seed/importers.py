"""Import ERP / CRM exports (stock, customers, contracts, orders) from CSV or XLSX.

All or nothing: every row is checked (types by pydantic, references against the store) and every
bad row is reported with its spreadsheet row number and column; if any row is bad nothing is
written. A good file is upserted by primary key in one transaction and the report says what was
inserted, updated or unchanged. A file that is not a table raises `NotATableError`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from knowledge.seed.import_refs import Refs
from knowledge.seed.import_rows import SCHEMAS, header_map
from knowledge.seed.tables import NotATableError, read_table
from knowledge.store import audit
from knowledge.store.bulk import TableCount, table_of, upsert
from knowledge.store.db import SessionFactory, transaction
from knowledge.store.models import (
    ContractAttachment,
    ContractGift,
    ContractLine,
    Customer,
    Order,
    Stock,
)

KINDS = tuple(SCHEMAS)
__all__ = ["KINDS", "ImportReport", "NotATableError", "RowError", "import_file"]


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    reason: str


@dataclass
class ImportReport:
    kind: str
    file: str
    rows: int = 0
    counts: TableCount = field(default_factory=TableCount)
    errors: list[RowError] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "file": self.file,
            "ok": self.ok,
            "rows": self.rows,
            **self.counts.as_dict(),
            "errors": [e.__dict__ for e in self.errors],
            "ignored_columns": self.ignored_columns,
        }


@dataclass
class _Ctx:
    """One import in progress: where errors go and which header names each field."""

    report: ImportReport
    headers: dict[str, str]  # field -> header as written in the file
    present: set[str]  # fields the file has a column for

    def error(self, row: int, fname: str, reason: str) -> None:
        self.report.errors.append(RowError(row, self.headers.get(fname, fname), reason))


Parsed = list[tuple[int, Any]]


def import_file(
    session_factory: SessionFactory, kind: str, path: Path, *, actor: str = "import"
) -> ImportReport:
    if kind not in SCHEMAS:
        raise ValueError(f"unknown import kind {kind!r}; expected one of {', '.join(KINDS)}")
    table = read_table(path)
    mapping, missing, ignored = header_map(kind, table.headers)
    if missing:
        accepted = {f: names for f, names in SCHEMAS[kind][1].items() if f in missing}
        raise NotATableError(
            f"{path.name} is not a valid {kind} table: missing columns {missing} "
            f"(accepted headers: {accepted}); found headers {table.headers}"
        )
    report = ImportReport(kind=kind, file=path.name, rows=len(table.rows), ignored_columns=ignored)
    ctx = _Ctx(report, {f: h for h, f in mapping.items()}, set(mapping.values()))
    parsed = _parse(ctx, SCHEMAS[kind][0], mapping, table.rows)
    with transaction(session_factory) as session:
        writer = _WRITERS[kind]
        plan = writer(session, Refs(session), ctx, parsed)
        report.errors.sort(key=lambda e: (e.row, e.column))
        if report.errors:
            return report  # nothing was written: the plan is only applied to a clean file
        report.counts = plan()
        if report.counts.inserted or report.counts.updated:
            audit.append(
                session,
                actor=actor,
                action=f"import.{kind}",
                subject_type="import",
                subject_id=path.name[:64],
                payload={"rows": report.rows, **report.counts.as_dict()},
            )
    return report


def _parse(
    ctx: _Ctx, model: type[BaseModel], mapping: dict[str, str], rows: list[tuple[int, dict[str, str]]]
) -> Parsed:
    out: Parsed = []
    for number, cells in rows:
        data = {mapping[h]: v for h, v in cells.items() if h in mapping and v.strip() != ""}
        try:
            out.append((number, model.model_validate(data)))
        except ValidationError as exc:
            for err in exc.errors():
                fname = str(err["loc"][0]) if err["loc"] else "?"
                if err["type"] == "missing":
                    reason = "a value is required"
                else:
                    reason = f"{err['msg']} (got {err.get('input')!r})"
                ctx.error(number, fname, reason)
    return out


Plan = Callable[[], TableCount]


def _keep(ctx: _Ctx, row: dict[str, Any], optional: tuple[str, ...]) -> dict[str, Any]:
    """Drop optional fields the file has no column for, so an import never blanks them."""
    return {k: v for k, v in row.items() if k not in optional or k in ctx.present}


def _stock(session: Session, refs: Refs, ctx: _Ctx, parsed: Parsed) -> Plan:
    rows: dict[tuple[str, str], dict[str, Any]] = {}
    seen: dict[tuple[str, str], int] = {}
    for number, r in parsed:
        wh = refs.warehouse(r.warehouse_id)
        prod = refs.product(r.product_id)
        if wh is None:
            ctx.error(number, "warehouse_id", f"unknown warehouse {r.warehouse_id!r}")
        if prod is None:
            ctx.error(number, "product_id", f"unknown product {r.product_id!r}")
        if wh is None or prod is None:
            continue
        if (wh, prod) in seen:
            ctx.error(number, "product_id", f"{wh}/{prod} already given on row {seen[(wh, prod)]}")
            continue
        seen[(wh, prod)] = number
        row = {"warehouse_id": wh, "product_id": prod, "on_hand": r.on_hand, "on_order": r.on_order}
        rows[(wh, prod)] = _keep(ctx, row, ("on_order",))
    return lambda: upsert(session, table_of(Stock), list(rows.values()))


def _customers(session: Session, refs: Refs, ctx: _Ctx, parsed: Parsed) -> Plan:
    rows: list[dict[str, Any]] = []
    seen: dict[str, int] = {}
    for number, r in parsed:
        province = refs.province(r.province)
        if province is None:
            ctx.error(number, "province", f"unknown province {r.province!r}")
        rep = refs.person(r.rep_id) if r.rep_id else None
        if r.rep_id and rep is None:
            ctx.error(number, "rep_id", f"unknown person {r.rep_id!r}")
        if r.medical_group_id and not refs.medical_group(r.medical_group_id):
            ctx.error(number, "medical_group_id", f"unknown medical group {r.medical_group_id!r}")
        if r.id in seen:
            ctx.error(number, "id", f"customer {r.id} already given on row {seen[r.id]}")
        seen.setdefault(r.id, number)
        row = r.model_dump() | {"province": province, "rep_id": rep}
        rows.append(_keep(ctx, row, ("medical_group_id", "rep_id", "aliases")))
    return lambda: upsert(session, table_of(Customer), rows)


def _orders(session: Session, refs: Refs, ctx: _Ctx, parsed: Parsed) -> Plan:
    rows: list[dict[str, Any]] = []
    seen: dict[str, int] = {}
    for number, r in parsed:
        cust = refs.customer(r.customer_id)
        prod = refs.product(r.product_id)
        rep = refs.person(r.rep_id) if r.rep_id else None
        if cust is None:
            ctx.error(number, "customer_id", f"unknown customer {r.customer_id!r}")
        if prod is None:
            ctx.error(number, "product_id", f"unknown product {r.product_id!r}")
        if r.rep_id and rep is None:
            ctx.error(number, "rep_id", f"unknown person {r.rep_id!r}")
        if r.contract_id and not refs.contract_exists(r.contract_id):
            ctx.error(number, "contract_id", f"unknown contract {r.contract_id!r}")
        if r.id in seen:
            ctx.error(number, "id", f"order {r.id} already given on row {seen[r.id]}")
        seen.setdefault(r.id, number)
        if cust is None or prod is None:
            continue
        row = r.model_dump() | {
            "customer_id": cust.id,
            "product_id": prod,
            "province": cust.province,
            "rep_id": rep or cust.rep_id,
        }
        rows.append(_keep(ctx, row, ("contract_id",)))
    return lambda: upsert(session, table_of(Order), rows)


def _contracts(session: Session, refs: Refs, ctx: _Ctx, parsed: Parsed) -> Plan:
    from knowledge.seed.import_contracts import build_contracts

    return build_contracts(session, refs, ctx, parsed, _replace_children)


def _replace_children(
    session: Session,
    contract_id: str,
    lines: list[dict[str, Any]],
    gifts: list[dict[str, Any]],
    attachments: list[dict[str, Any]],
) -> bool:
    """Replace a contract's lines, gifts and attachments when they differ; True if replaced."""
    current = (
        sorted(
            (x.product_id, x.quantity, x.unit_price.normalize())
            for x in session.scalars(select(ContractLine).where(ContractLine.contract_id == contract_id))
        ),
        sorted(
            (x.name, x.value.normalize())
            for x in session.scalars(select(ContractGift).where(ContractGift.contract_id == contract_id))
        ),
        sorted(
            (x.kind, x.filename)
            for x in session.scalars(
                select(ContractAttachment).where(ContractAttachment.contract_id == contract_id)
            )
        ),
    )
    wanted = (
        sorted((x["product_id"], x["quantity"], x["unit_price"].normalize()) for x in lines),
        sorted((x["name"], x["value"].normalize()) for x in gifts),
        sorted((x["kind"], x["filename"]) for x in attachments),
    )
    if current == wanted:
        return False
    for model, rows in ((ContractLine, lines), (ContractGift, gifts), (ContractAttachment, attachments)):
        session.execute(delete(model).where(model.contract_id == contract_id))
        if rows:
            session.execute(table_of(model).insert(), [{"contract_id": contract_id, **row} for row in rows])
    return True


_WRITERS: dict[str, Callable[[Session, Refs, _Ctx, Parsed], Plan]] = {
    "stock": _stock,
    "customers": _customers,
    "orders": _orders,
    "contracts": _contracts,
}
