"""Renders a tool's typed result (as JSON) into readable lines in Chinese or English.

Results are pydantic models with predictable field names (`name_zh`/`name_en` pairs, `on_hand`,
`terminal_price`, lists of rows). The renderer keeps the language's half of each name pair, labels
known fields in the user's language, formats money with thousands separators and flattens one or
two levels of rows. It never invents content: every figure it prints is a field of the result.
"""

from __future__ import annotations

import re
from typing import Any

MAX_ROWS = 12
_HIDDEN = {"sources", "summary", "summary_zh", "summary_en", "chunk_id", "score", "rank_score", "id_list"}
_NUMERIC = re.compile(r"^-?\d+(\.\d+)?$")

LABELS: dict[str, tuple[str, str]] = {
    "on_hand": ("现货", "on hand"),
    "on_order": ("在途", "on order"),
    "safety_stock": ("安全库存", "safety stock"),
    "shortfall": ("缺口", "shortfall"),
    "below_safety": ("低于安全库存", "below safety stock"),
    "in_stock": ("有货", "in stock"),
    "list_price": ("挂网价", "list price"),
    "terminal_price": ("终端价", "terminal price"),
    "unit_price": ("单价", "unit price"),
    "bundle_price": ("组合价", "bundle price"),
    "bid_price": ("投标价", "bid price"),
    "price_cap": ("限价", "price cap"),
    "cap": ("限价", "cap"),
    "price_gap": ("价差", "price gap"),
    "price_gap_pct": ("价差%", "price gap %"),
    "total_amount": ("合同总额", "contract total"),
    "amount": ("金额", "amount"),
    "total": ("合计", "total"),
    "quantity": ("数量", "quantity"),
    "category": ("类别", "category"),
    "nrdl_category": ("医保类别", "NRDL category"),
    "stage": ("阶段", "stage"),
    "stage_en": ("阶段", "stage"),
    "won": ("中选", "won"),
    "in_force": ("已执行", "in force"),
    "effective_from": ("生效日期", "effective from"),
    "execution_start": ("执行日期", "execution start"),
    "province": ("省份", "province"),
    "warehouse_id": ("仓库", "warehouse"),
    "tier": ("等级", "tier"),
    "rep": ("负责代表", "rep"),
    "status": ("状态", "status"),
    "signed_on": ("签订日期", "signed on"),
    "order_date": ("订单日期", "order date"),
    "visit_date": ("拜访日期", "visit date"),
    "count": ("数量", "count"),
    "rate": ("比率", "rate"),
    "share_pct": ("份额%", "share %"),
    "note": ("备注", "note"),
    "text": ("内容", "text"),
    "title": ("标题", "title"),
    "limit": ("数量上限", "limit"),
    "reasons": ("原因", "reasons"),
    "skip_reasons": ("跳过原因", "skipped because"),
    "label": ("方案", "option"),
    "rationale": ("理由", "rationale"),
    "origin": ("来源", "origin"),
    "claim": ("说法", "claim"),
    "evidence": ("证据", "evidence"),
    "risk": ("风险", "risk"),
    "message": ("说明", "message"),
}
_BOOL = {True: ("是", "yes"), False: ("否", "no")}


def _label(key: str, lang: str) -> str:
    if key in LABELS:
        return LABELS[key][0 if lang == "zh" else 1]
    base = re.sub(r"_(zh|en)$", "", key)
    if base in LABELS:
        return LABELS[base][0 if lang == "zh" else 1]
    return base.replace("_", " ")


def fmt_number(value: Any) -> str:
    """12345 -> 12,345; '6800.00' -> 6,800; 0.035 stays 0.035."""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, str):
        if not _NUMERIC.match(value):
            return value
        value = float(value)
    if isinstance(value, float):
        if value.is_integer():
            return f"{int(value):,}"
        return f"{value:,.2f}".rstrip("0").rstrip(".")
    if isinstance(value, int):
        return f"{value:,}" if abs(value) >= 10000 else str(value)
    return str(value)


def _pick_lang(data: dict[str, Any], lang: str) -> dict[str, Any]:
    """Drop the other language's half of *_zh / *_en pairs."""
    other = "_en" if lang == "zh" else "_zh"
    mine = "_zh" if lang == "zh" else "_en"
    out: dict[str, Any] = {}
    for key, value in data.items():
        if key.endswith(other) and key[: -len(other)] + mine in data:
            continue
        out[key] = value
    return out


def _scalar(key: str, value: Any, lang: str) -> str | None:
    if value is None or value == "" or key in _HIDDEN:
        return None
    if isinstance(value, bool):
        if key in ("below_safety",):
            return _label(key, lang) if value else None
        return f"{_label(key, lang)}: {_BOOL[value][0 if lang == 'zh' else 1]}"
    if isinstance(value, list):
        if not value:
            return None
        return f"{_label(key, lang)}: {('、' if lang == 'zh' else ', ').join(fmt_number(v) for v in value)}"
    if key.endswith(("name_zh", "name_en", "name")) or key in ("label_zh", "label_en", "label"):
        return str(value)
    return f"{_label(key, lang)}: {fmt_number(value)}"


def _inline(data: dict[str, Any], lang: str) -> str:
    """One row: names first, then the other scalar fields."""
    data = _pick_lang(data, lang)
    names = [
        k
        for k in data
        if k.endswith(("name_zh", "name_en", "_name")) or k in ("name", "label_zh", "label_en")
    ]
    ordered = names + [k for k in data if k not in names]
    parts: list[str] = []
    for key in ordered:
        value = data[key]
        if isinstance(value, dict):
            inner = _inline(value, lang)
            if inner:
                parts.append(
                    f"{_label(key, lang)}（{inner}）" if lang == "zh" else f"{_label(key, lang)} ({inner})"
                )
            continue
        if isinstance(value, list) and value and isinstance(value[0], dict):
            rows = [_inline(v, lang) for v in value[:4]]
            parts.append(f"{_label(key, lang)}: " + (" | ".join(rows)))
            continue
        text = _scalar(key, value, lang)
        if text:
            parts.append(text)
    sep = "，" if lang == "zh" else ", "
    return sep.join(parts)


def render_result(result: dict[str, Any], lang: str) -> list[str]:
    """Lines for one tool result: a header line of scalars, then one line per row of each table."""
    data = _pick_lang(result, lang)
    lines: list[str] = []
    head = {k: v for k, v in data.items() if not (isinstance(v, list) and v and isinstance(v[0], dict))}
    head = {k: v for k, v in head.items() if not isinstance(v, dict)}
    first = _inline(head, lang)
    if first:
        lines.append(first)
    for key, value in data.items():
        if isinstance(value, dict) and key not in _HIDDEN:
            inner = _inline(value, lang)
            if inner:
                lines.append(f"{_label(key, lang)}: {inner}")
        if isinstance(value, list) and value and isinstance(value[0], dict) and key not in _HIDDEN:
            if len(data) > 1:
                lines.append(f"{_label(key, lang)}:")
            for row in value[:MAX_ROWS]:
                lines.append(f"- {_inline(row, lang)}")
            if len(value) > MAX_ROWS:
                more = len(value) - MAX_ROWS
                lines.append(f"- …另有 {more} 条" if lang == "zh" else f"- … {more} more")
    return lines
