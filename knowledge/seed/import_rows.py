"""Row schemas of the importable exports: accepted headers (English or Chinese) and field checks.

Pydantic checks what a row says on its own (types, ranges, dates); references to other records
(a product by name, a customer id) are checked by the importer against the store.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

TIERS = {"三甲", "三乙", "三丙", "二甲", "二乙", "二级", "一级"}


def _norm(header: str) -> str:
    return "".join(ch for ch in header.casefold() if ch not in " _-\t（）()")


class _Row(BaseModel):
    model_config = ConfigDict(str_strip_whitespace=True, extra="forbid")


class StockRow(_Row):
    warehouse_id: str = Field(min_length=1)
    product_id: str = Field(min_length=1)
    on_hand: int = Field(ge=0)
    on_order: int = Field(default=0, ge=0)


class CustomerRow(_Row):
    id: str = Field(min_length=1, max_length=32)
    name_zh: str = Field(min_length=1, max_length=128)
    name_en: str = Field(min_length=1, max_length=128)
    province: str = Field(min_length=1)
    city: str = Field(min_length=1, max_length=64)
    tier: str
    medical_group_id: str | None = None
    rep_id: str | None = None
    aliases: list[str] = Field(default_factory=list)

    @field_validator("tier")
    @classmethod
    def _tier(cls, value: str) -> str:
        if value not in TIERS:
            raise ValueError(f"unknown hospital tier {value!r}; expected one of {sorted(TIERS)}")
        return value

    @field_validator("aliases", mode="before")
    @classmethod
    def _split(cls, value: Any) -> Any:
        if isinstance(value, str):
            return [a.strip() for a in value.replace("；", ";").split(";") if a.strip()]
        return value


class OrderRow(_Row):
    id: str = Field(min_length=1, max_length=32)
    customer_id: str = Field(min_length=1)
    product_id: str = Field(min_length=1)
    order_date: dt.date
    quantity: int = Field(gt=0)
    amount: Decimal = Field(ge=0, max_digits=14, decimal_places=2)
    contract_id: str | None = None
    rep_id: str | None = None


class ContractLineRow(_Row):
    contract_id: str = Field(min_length=1, max_length=32)
    customer_id: str = Field(min_length=1)
    signed_on: dt.date
    product_id: str = Field(min_length=1)
    quantity: int = Field(gt=0)
    unit_price: Decimal = Field(gt=0, max_digits=14, decimal_places=2)
    rep_id: str | None = None
    status: str | None = Field(default=None, max_length=16)
    gifts: list[tuple[str, Decimal]] = Field(default_factory=list)
    attachments: list[tuple[str, str]] = Field(default_factory=list)

    @field_validator("gifts", mode="before")
    @classmethod
    def _gifts(cls, value: Any) -> Any:
        if not isinstance(value, str):
            return value
        out = []
        for part in value.replace("；", ";").split(";"):
            if not part.strip():
                continue
            name, sep, amount = part.rpartition("=")
            if not sep or not name.strip():
                raise ValueError(f"gift {part.strip()!r} is not written as name=value")
            try:
                out.append((name.strip(), Decimal(amount.strip().replace(",", ""))))
            except ArithmeticError as exc:
                raise ValueError(f"gift value {amount.strip()!r} is not a number") from exc
        return out

    @field_validator("attachments", mode="before")
    @classmethod
    def _attachments(cls, value: Any) -> Any:
        if not isinstance(value, str):
            return value
        out = []
        for part in value.replace("；", ";").split(";"):
            if part.strip():
                kind, _, filename = part.partition("=")
                out.append((kind.strip(), filename.strip()))
        return out


# kind -> (row model, field -> accepted headers). A field whose model default exists is optional.
SCHEMAS: dict[str, tuple[type[_Row], dict[str, list[str]]]] = {
    "stock": (
        StockRow,
        {
            "warehouse_id": ["warehouse", "仓库", "仓库编号", "仓库名称"],
            "product_id": ["product", "产品", "产品编号", "产品名称", "物料编号"],
            "on_hand": ["在库", "库存", "现有库存", "在库数量", "qty_on_hand"],
            "on_order": ["在途", "在途数量", "采购在途", "qty_on_order"],
        },
    ),
    "customers": (
        CustomerRow,
        {
            "id": ["customer_id", "客户编号", "医院编号"],
            "name_zh": ["name", "医院名称", "客户名称", "中文名称"],
            "name_en": ["english_name", "英文名称"],
            "province": ["省份", "省"],
            "city": ["城市", "市"],
            "tier": ["等级", "医院等级"],
            "medical_group_id": ["medical_group", "医联体", "医联体编号"],
            "rep_id": ["rep", "代表", "负责代表", "销售代表"],
            "aliases": ["别名", "简称"],
        },
    ),
    "orders": (
        OrderRow,
        {
            "id": ["order_id", "订单号", "订单编号"],
            "customer_id": ["customer", "客户编号", "医院编号"],
            "product_id": ["product", "产品", "产品编号", "产品名称"],
            "order_date": ["date", "订单日期", "日期"],
            "quantity": ["qty", "数量"],
            "amount": ["金额", "订单金额"],
            "contract_id": ["contract", "合同编号"],
            "rep_id": ["rep", "代表", "销售代表"],
        },
    ),
    "contracts": (
        ContractLineRow,
        {
            "contract_id": ["contract", "id", "合同编号"],
            "customer_id": ["customer", "客户编号", "医院编号"],
            "signed_on": ["date", "signed", "签订日期", "签约日期"],
            "product_id": ["product", "产品", "产品编号", "产品名称"],
            "quantity": ["qty", "数量"],
            "unit_price": ["price", "单价"],
            "rep_id": ["rep", "代表", "销售代表"],
            "status": ["状态"],
            "gifts": ["赠品"],
            "attachments": ["附件"],
        },
    ),
}


def header_map(kind: str, headers: list[str]) -> tuple[dict[str, str], list[str], list[str]]:
    """(file header -> field, missing required fields, ignored headers) for a kind's schema."""
    model, aliases = SCHEMAS[kind]
    lookup = {_norm(f): f for f in aliases}
    for field_name, names in aliases.items():
        lookup.update({_norm(n): field_name for n in names})
    mapping: dict[str, str] = {}
    ignored: list[str] = []
    for h in headers:
        found = lookup.get(_norm(h))
        if found is None or found in mapping.values():
            ignored.append(h)
        else:
            mapping[h] = found
    required = [f for f, info in model.model_fields.items() if info.is_required()]
    missing = [f for f in required if f not in mapping.values()]
    return mapping, missing, ignored
