"""Reads a tool's JSON argument schema: what kind of value each field wants.

Tools are bound in OpenAI format, so the offline model sees exactly what a hosted model sees: a
JSON schema per tool. Each property is classified by its name, type and description (a field
named `customer_id` or described as "hospital" wants a customer; `period` wants a quarter label)
so the filler can pick the right extractor or entity.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

_KIND_RULES: list[tuple[str, str]] = [
    (r"competitor_?product", "competitor_product"),
    (r"competitor", "competitor"),
    (r"customer|hospital", "customer"),
    (r"warehouse", "warehouse"),
    (r"province|region", "province"),
    (r"product", "product"),
    (r"^rep(_id|s)?$|person|people|owner|^rep_", "person"),
    (r"^contract(_?id)?s?$", "contract"),
    (r"order_?id", "order"),
    (r"visit_?id", "visit"),
    (r"pct|percent|ratio|rate", "percent"),
    (r"amount|total|value|price|budget|threshold", "amount"),
    (r"quarter", "quarter"),
    (r"month", "month"),
    (r"^year$", "year"),
    (r"period", "period"),
    (r"start|from|since|after|begin", "start"),
    (r"end$|end_|until|before|^to$|_to$", "end"),
    (r"date|^on$|^day$|as_of", "date"),
    (r"days|window", "days"),
    (r"^limit$|^top(_?n|_?k)?$|^n$|count$|^k$|^max_", "limit"),
    (r"lang", "language"),
    (r"query|question|text|topic|task|message|keyword|claim|note|request|content|prompt", "text"),
]


@dataclass(frozen=True)
class Field:
    name: str
    kind: str
    type: str  # string, integer, number, boolean, array, object
    required: bool
    enum: tuple[Any, ...] = ()
    description: str = ""
    default: Any = None


def _resolve(schema: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    ref = node.get("$ref")
    if isinstance(ref, str) and ref.startswith("#/$defs/"):
        return dict(schema.get("$defs", {}).get(ref.split("/")[-1], {}))
    return node


def _flatten(schema: dict[str, Any], node: dict[str, Any]) -> tuple[str, tuple[Any, ...], dict[str, Any]]:
    """(type, enum values, items schema) of a property, looking through anyOf/$ref/null."""
    node = _resolve(schema, node)
    options = node.get("anyOf") or node.get("oneOf")
    if options:
        non_null = [_resolve(schema, o) for o in options if o.get("type") != "null"]
        if non_null:
            node = {**node, **non_null[0]}
    enum = tuple(node.get("enum") or ())
    if not enum and "const" in node:
        enum = (node["const"],)
    kind = node.get("type") or ("string" if enum else "object")
    items = _resolve(schema, node.get("items") or {}) if kind == "array" else {}
    return str(kind), enum, items


def classify(name: str, description: str, ftype: str, enum: tuple[Any, ...]) -> str:
    if enum:
        return "enum"
    if ftype == "boolean":
        return "flag"
    low = name.lower()
    for pattern, kind in _KIND_RULES:
        if re.search(pattern, low):
            return kind
    desc = description.lower()
    for word, kind in (("hospital", "customer"), ("customer", "customer"), ("product", "product")):
        if word in desc:
            return kind
    return "text" if ftype == "string" else "other"


def fields(parameters: dict[str, Any]) -> list[Field]:
    """The fields of an OpenAI-format `parameters` schema, classified."""
    props: dict[str, Any] = parameters.get("properties") or {}
    required = set(parameters.get("required") or [])
    out: list[Field] = []
    for name, node in props.items():
        ftype, enum, items = _flatten(parameters, node)
        desc = str(_resolve(parameters, node).get("description") or node.get("description") or "")
        if ftype == "array":
            _itype, ienum, _ = _flatten(parameters, items)
            kind = classify(name.rstrip("s"), desc, str(items.get("type", "string")), ienum)
            enum = ienum
        else:
            kind = classify(name, desc, ftype, enum)
        out.append(Field(name, kind, ftype, name in required, enum, desc, node.get("default")))
    return out
