"""Facts a rule condition sees: the contract flattened to plain JSON plus what the store knows.

Python only derives facts (totals, catalogue matches, the customer's province); every judgement is
made by the rules. Names are matched "ignoring spacing and case": NFKC folding (full-width forms),
lower case, every whitespace removed.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from knowledge.store.models import Contract, Customer, GiftCatalogueItem, Product
from tools.compliance.models import AttachmentIn, ContractIn, ContractLineIn, GiftIn

DECLARATION = "compliance_declaration"
_SPACE = re.compile(r"\s+")
_CUSTOMERS = select(Customer.id, Customer.province, Customer.medical_group_id)
_ONE_CUSTOMER = _CUSTOMERS.where(Customer.id == bindparam("cid"))


def normalize_name(name: str) -> str:
    return _SPACE.sub("", unicodedata.normalize("NFKC", name)).lower()


@dataclass(frozen=True)
class CustomerRef:
    id: str
    province: str
    medical_group_id: str | None = None


@dataclass
class ReferenceData:
    """The registered gift catalogue, customers and products a contract check consults."""

    catalogue: dict[str, str] = field(default_factory=dict)  # normalized name or id -> catalogue id
    customers: dict[str, CustomerRef] = field(default_factory=dict)
    products: set[str] = field(default_factory=set)

    def add_catalogue_item(self, item_id: str, name_zh: str, name_en: str) -> None:
        for form in (item_id, name_zh, name_en, name_zh + name_en, name_en + name_zh):
            self.catalogue[normalize_name(form)] = item_id

    def match_gift(self, name: str) -> str | None:
        return self.catalogue.get(normalize_name(name))

    @classmethod
    def load(cls, session: Session, customer_ids: Iterable[str] | None = None) -> ReferenceData:
        """Catalogue and products in full; customers all, or only those named (one check)."""
        ref = cls()
        for item in session.execute(select(GiftCatalogueItem)).scalars():
            ref.add_catalogue_item(item.id, item.name_zh, item.name_en)
        ref.products = set(session.execute(select(Product.id)).scalars())
        ref.customers = cls.load_customers(session, customer_ids)
        return ref

    @staticmethod
    def load_customers(session: Session, customer_ids: Iterable[str] | None = None) -> dict[str, CustomerRef]:
        ids = None if customer_ids is None else list(customer_ids)
        conn = session.connection()  # Core, statements built once: one check reads one customer
        if ids is not None and len(ids) == 1:
            rows = conn.execute(_ONE_CUSTOMER, {"cid": ids[0]})
        else:
            rows = conn.execute(_CUSTOMERS if ids is None else _CUSTOMERS.where(Customer.id.in_(ids)))
        return {cid: CustomerRef(cid, province, group) for cid, province, group in rows}


def _num(value: Decimal) -> float:
    return float(value)


def contract_facts(contract: ContractIn, ref: ReferenceData, province: str | None = None) -> dict[str, Any]:
    """The JSON context the contract and gift rules are evaluated against."""
    customer = ref.customers.get(contract.customer_id)
    province = province or (customer.province if customer else None)
    signed_on = contract.signed_on.isoformat()
    gifts = []
    gift_total = Decimal(0)
    for gift in contract.gifts:
        catalogue_id = ref.match_gift(gift.name)
        gift_total += gift.value
        gifts.append(
            {
                "name": gift.name,
                "value": _num(gift.value),
                "catalogue_id": catalogue_id,
                "catalogued": catalogue_id is not None,
            }
        )
    kinds = [a.kind for a in contract.attachments]
    lines = [
        {
            "product_id": line.product_id,
            "quantity": line.quantity,
            "unit_price": _num(line.unit_price),
            "amount": _num(line.unit_price * line.quantity),
            "province": province,
            "signed_on": signed_on,
        }
        for line in contract.lines
    ]
    return {
        "contract_id": contract.contract_id,
        "customer_id": contract.customer_id,
        "province": province,
        "medical_group_id": customer.medical_group_id if customer else None,
        "signed_on": signed_on,
        "total_amount": _num(contract.total_amount),
        "currency": contract.currency,
        "lines": lines,
        "gifts": gifts,
        "gift_count": len(gifts),
        "gift_total": _num(gift_total),
        "attachments": kinds,
        "has_declaration": DECLARATION in kinds,
    }


def contract_from_record(record: Contract) -> ContractIn:
    """A stored contract (with lines, gifts and attachments loaded) as a check input."""
    return ContractIn(
        contract_id=record.id,
        customer_id=record.customer_id,
        signed_on=record.signed_on,
        total_amount=record.total_amount,
        currency=record.currency,
        lines=[
            ContractLineIn(product_id=ln.product_id, quantity=ln.quantity, unit_price=ln.unit_price)
            for ln in record.lines
        ],
        gifts=[GiftIn(name=g.name, value=g.value) for g in record.gifts],
        attachments=[AttachmentIn(kind=a.kind) for a in record.attachments],
    )
