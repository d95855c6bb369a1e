"""Contracts import: one row per contract line, grouped into contracts with gifts and attachments.

A contract's total is the sum of its lines (an export's own total column would only be another
place to disagree). Importing a contract replaces its lines, gifts and attachments when they
differ from what is stored, so re-importing the same file is a no-op.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from sqlalchemy.orm import Session

from knowledge.seed.import_refs import Refs
from knowledge.store.bulk import TableCount, table_of, upsert
from knowledge.store.models import Contract

if TYPE_CHECKING:
    from knowledge.seed.importers import Parsed, _Ctx

Replace = Callable[[Session, str, list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]]], bool]


def build_contracts(
    session: Session, refs: Refs, ctx: _Ctx, parsed: Parsed, replace: Replace
) -> Callable[[], TableCount]:
    groups: dict[str, dict[str, Any]] = {}
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
        for kind, _ in r.attachments:
            if not kind:
                ctx.error(number, "attachments", "an attachment needs a kind (kind=filename)")
        group = groups.get(r.contract_id)
        if group is None:
            group = groups[r.contract_id] = {
                "row": number,
                "customer": cust,
                "signed_on": r.signed_on,
                "rep": rep,
                "status": r.status,
                "lines": [],
                "gifts": [],
                "attachments": [],
            }
        else:
            if cust is not None and group["customer"] is not None and cust.id != group["customer"].id:
                ctx.error(
                    number, "customer_id", f"differs from row {group['row']} of contract {r.contract_id}"
                )
            if r.signed_on != group["signed_on"]:
                ctx.error(number, "signed_on", f"differs from row {group['row']} of contract {r.contract_id}")
            group["rep"] = group["rep"] or rep
            group["status"] = group["status"] or r.status
        if prod is not None:
            group["lines"].append({"product_id": prod, "quantity": r.quantity, "unit_price": r.unit_price})
        group["gifts"] += [{"name": n, "value": v} for n, v in r.gifts]
        group["attachments"] += [{"kind": k, "filename": f} for k, f in r.attachments]

    def apply() -> TableCount:
        total = TableCount()
        for cid, g in groups.items():
            header = {
                "id": cid,
                "customer_id": g["customer"].id,
                "rep_id": g["rep"] or g["customer"].rep_id,
                "signed_on": g["signed_on"],
                "total_amount": sum(
                    (Decimal(x["quantity"]) * x["unit_price"] for x in g["lines"]), Decimal(0)
                ),
            }
            if g["status"]:
                header["status"] = g["status"]
            count = upsert(session, table_of(Contract), [header])
            replaced = replace(session, cid, g["lines"], g["gifts"], g["attachments"])
            if count.inserted:
                total.inserted += 1
            elif count.updated or replaced:
                total.updated += 1
            else:
                total.unchanged += 1
        return total

    return apply
