"""Metadata filters and the role clause, as Chroma `where` documents.

Visibility is enforced in the store query: every search sends `roles $contains <caller role>`
to Chroma, so a chunk the caller may not read is never returned by the store, whatever the
prompt says. The same clause is evaluated locally (`matches`) only to pick lexical candidates
before they are fetched back from Chroma *with* the clause.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from knowledge.docs.models import ROLES, SUPER_ROLES

NATIONAL = "CN"
# Province codes as the store uses them; documents and filters may use codes, Chinese or English names.
PROVINCE_CODES: dict[str, str] = {
    "全国": NATIONAL, "national": NATIONAL, "china": NATIONAL, "cn": NATIONAL, "*": NATIONAL,
    "浙江": "ZJ", "浙江省": "ZJ", "zhejiang": "ZJ", "zj": "ZJ",
    "广东": "GD", "广东省": "GD", "guangdong": "GD", "gd": "GD",
    "山东": "SD", "山东省": "SD", "shandong": "SD", "sd": "SD",
    "江苏": "JS", "江苏省": "JS", "jiangsu": "JS", "js": "JS",
    "上海": "SH", "上海市": "SH", "shanghai": "SH", "sh": "SH",
}  # fmt: skip


def province_code(value: str) -> str:
    """`浙江`, `Zhejiang` or `ZJ` → `ZJ`; an unknown province is kept as written."""
    value = value.strip()
    return PROVINCE_CODES.get(value.casefold(), PROVINCE_CODES.get(value, value))


FILTER_KEYS = ("doc_type", "product_id", "province", "language", "effective_on", "effective_after", "doc_id")


class FilterError(ValueError):
    """An unknown filter key or an unusable value."""


def date_ord(value: dt.date | str) -> int:
    """A date as YYYYMMDD, the integer form Chroma can compare with $lte / $gte."""
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value.strip()[:10])
        except ValueError as exc:
            raise FilterError(f"not a date (YYYY-MM-DD): {value!r}") from exc
    return value.year * 10000 + value.month * 100 + value.day


def _as_list(value: Any) -> list[str]:
    if isinstance(value, str):
        return [v.strip() for v in value.split(",") if v.strip()]
    if isinstance(value, list | tuple | set):
        return [str(v) for v in value]
    raise FilterError(f"expected a string or a list, got {value!r}")


def role_clause(roles: str | Sequence[str]) -> dict[str, Any] | None:
    """The visibility clause for a caller holding `roles` (one Role value or several).

    `None` when a super role (admin) is among them: admin reads everything.
    """
    wanted = [str(roles)] if isinstance(roles, str) else [str(r) for r in roles]
    if not wanted:
        raise FilterError("a search needs the caller's role")
    unknown = [r for r in wanted if r not in ROLES]
    if unknown:
        raise FilterError(f"unknown role(s) {unknown}; known: {', '.join(ROLES)}")
    if any(r in SUPER_ROLES for r in wanted):
        return None
    clauses = [{"roles": {"$contains": r}} for r in dict.fromkeys(wanted)]
    return clauses[0] if len(clauses) == 1 else {"$or": clauses}


def caller_roles(roles: str | Sequence[str]) -> list[str] | None:
    """The caller's roles, validated; None for a super role (admin reads everything)."""
    return (
        None
        if role_clause(roles) is None
        else ([str(roles)] if isinstance(roles, str) else [str(r) for r in roles])
    )


def vis_key(role: str) -> str:
    """Metadata key present (value: the chunk id) only on chunks `role` may read."""
    return f"vis_{role}"


def visible_ids_where(
    roles: str | Sequence[str], ids: list[str], filters: dict[str, Any] | None
) -> dict[str, Any]:
    """`where` matching those of `ids` the caller may read (and that pass `filters`).

    The role is checked through per-role keys (`vis_rep: <chunk id>`): a chunk the role may not
    read has no such key, so it cannot match. Chroma answers `vis_rep $in [ids]` by looking at the
    listed ids, whereas `roles $contains rep` first materialises every chunk a rep may read.
    """
    wanted = caller_roles(roles)
    if wanted is None:
        by_role: dict[str, Any] = {"chunk_id": {"$in": ids}}
    else:
        ors = [{vis_key(r): {"$in": ids}} for r in dict.fromkeys(wanted)]
        by_role = ors[0] if len(ors) == 1 else {"$or": ors}
    clauses = filter_clauses(filters)
    return {"$and": [by_role, *clauses]} if clauses else by_role


def filter_clauses(filters: dict[str, Any] | None) -> list[dict[str, Any]]:
    """Clauses for doc_type, product_id, province (national documents always match), language,
    effective_on (in force on that date) and effective_after (effective on or after it)."""
    clauses: list[dict[str, Any]] = []
    for key, value in (filters or {}).items():
        if value is None or value == "" or value == []:
            continue
        if key not in FILTER_KEYS:
            raise FilterError(f"unknown filter {key!r}; known: {', '.join(FILTER_KEYS)}")
        if key in ("doc_type", "language", "doc_id"):
            values = _as_list(value)
            clauses.append({key: values[0]} if len(values) == 1 else {key: {"$in": values}})
        elif key == "product_id":
            values = _as_list(value)
            ors = [{"product_ids": {"$contains": v}} for v in values]
            clauses.append(ors[0] if len(ors) == 1 else {"$or": ors})
        elif key == "province":
            values = [*(province_code(v) for v in _as_list(value)), NATIONAL]
            clauses.append({"$or": [{"provinces": {"$contains": v}} for v in dict.fromkeys(values)]})
        elif key == "effective_on":
            clauses.append({"effective_ord": {"$lte": date_ord(value)}})
        elif key == "effective_after":
            clauses.append({"effective_ord": {"$gte": date_ord(value)}})
    return clauses


def build_where(role: str | Sequence[str], filters: dict[str, Any] | None) -> dict[str, Any] | None:
    clauses = filter_clauses(filters)
    role_part = role_clause(role)
    if role_part is not None:
        clauses.insert(0, role_part)
    if not clauses:
        return None
    return clauses[0] if len(clauses) == 1 else {"$and": clauses}


def matches(meta: dict[str, Any], where: dict[str, Any] | None) -> bool:
    """Evaluate a `where` produced by `build_where` against one metadata dict."""
    if where is None:
        return True
    for key, cond in where.items():
        if key == "$and":
            if not all(matches(meta, c) for c in cond):
                return False
            continue
        if key == "$or":
            if not any(matches(meta, c) for c in cond):
                return False
            continue
        value = meta.get(key)
        if not isinstance(cond, dict):
            if value != cond:
                return False
            continue
        for op, arg in cond.items():
            ok = {
                "$contains": lambda v, a: isinstance(v, list) and a in v,
                "$in": lambda v, a: v in a,
                "$eq": lambda v, a: v == a,
                "$ne": lambda v, a: v != a,
                "$lte": lambda v, a: v is not None and v <= a,
                "$gte": lambda v, a: v is not None and v >= a,
            }[op](value, arg)
            if not ok:
                return False
    return True
