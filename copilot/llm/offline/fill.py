"""Fills a tool's argument schema from the request, the entities in it and the conversation so far.

Each field takes its value from the matching extractor or entity kind. A field the request does
not name can come from the previous turns (a follow-up such as "那广州仓呢" keeps the product of
the turn before) or be derived (a customer implies its province and warehouse; a competitor and
one of our products imply the competitor's product against it). A required field that stays empty,
or an ambiguous name, produces one clarifying question instead of a guess.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from copilot.llm.offline import extract
from copilot.llm.offline.lang import ask_for, ask_which
from copilot.llm.offline.schema import Field
from tools.entities.index import Entity, Mention
from tools.entities.resolver import EntityResolver

ENTITY_KINDS = ("customer", "product", "competitor", "competitor_product", "warehouse", "province", "person")
_IDS = {
    # not \b: CJK characters are word characters, so "合同C-2026-0311有" has no word boundary
    "contract": re.compile(r"(?<![A-Za-z0-9])C-\d{4}-\d{3,4}(?!\d)", re.I),
    "order": re.compile(r"(?<![A-Za-z0-9])O-\d{4}-\d{3,4}(?!\d)", re.I),
    "visit": re.compile(r"\bV-[\w-]+\b", re.I),
}
_ENUM_SYNONYMS: dict[str, tuple[str, ...]] = {
    "nrdl": ("医保", "nrdl", "insurance", "报销"),
    "vbp": ("集采", "vbp", "带量", "volume-based"),
    "tender": ("招标", "挂网", "tender"),
    "adopted": ("采纳", "adopt"),
    "rejected": ("拒绝", "reject"),
    "open": ("未关闭", "待办", "open", "未处理"),
    "closed": ("已关闭", "closed"),
    "zh": ("中文",),
    "en": ("english", "英文"),
    "region": (
        "各区域",
        "区域",
        "大区",
        "各省",
        "各地区",
        "by region",
        "per region",
        "by province",
        "regions",
    ),
    "rep": ("每个代表", "各代表", "按代表", "每位代表", "by rep", "per rep", "each rep"),
    "customer": ("按医院", "各医院", "每家医院", "by customer", "by hospital", "per hospital"),
    "product": ("按产品", "各产品", "每个产品", "by product", "per product"),
    "month": ("按月", "每月", "各月", "月度", "by month", "monthly", "per month"),
    "quarter": ("按季度", "各季度", "by quarter", "quarterly"),
    "week": ("按周", "每周", "by week", "weekly"),
    "day": ("按天", "每天", "按日", "by day", "daily", "per day"),
    "total": ("合计", "总共", "in total"),
    "ifu": ("说明书", "instructions for use", "ifu", "适应症", "禁忌", "indication"),
    "clinical_evidence": ("临床证据", "临床试验", "clinical evidence", "trial", "研究数据"),
    "policy": ("礼品政策", "gift policy", "接待政策", "hospitality"),
    "playbook": ("打法", "playbook", "话术"),
}


@dataclass
class Memory:
    """What earlier turns established: entities by kind and the arguments each tool got."""

    entities: dict[str, list[str]] = field(default_factory=dict)
    args: dict[str, dict[str, Any]] = field(default_factory=dict)
    tools: list[str] = field(default_factory=list)
    agents: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {"entities": self.entities, "args": self.args, "tools": self.tools, "agents": self.agents}

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> Memory:
        data = data or {}
        return cls(
            dict(data.get("entities") or {}),
            dict(data.get("args") or {}),
            list(data.get("tools") or []),
            list(data.get("agents") or []),
        )


@dataclass
class Filled:
    args: dict[str, Any]
    question: str | None = None  # set when one clarifying question is needed
    used: dict[str, list[str]] = field(default_factory=dict)  # entity ids used, by kind


def _by_kind(mentions: list[Mention]) -> dict[str, list[Mention]]:
    out: dict[str, list[Mention]] = {}
    for m in mentions:
        out.setdefault(m.kind, []).append(m)
    return out


def _derive(kind: str, found: dict[str, list[Mention]], resolver: EntityResolver) -> list[str]:
    """A value for `kind` implied by other entities in the request."""
    ents = {k: [m.entity for m in v] for k, v in found.items()}
    if kind == "province":
        for e in ents.get("customer", []):
            if e.attr("province"):
                return [str(e.attr("province"))]
        for e in ents.get("warehouse", []):
            provs = (e.attr("provinces") or "").split(",")
            if len(provs) == 1 and provs[0]:
                return provs
    if kind == "warehouse":
        for e in ents.get("province", []) + ents.get("customer", []):
            prov = e if e.kind == "province" else resolver.entity("province", e.attr("province") or "")
            if prov is not None and prov.attr("warehouse_id"):
                return [str(prov.attr("warehouse_id"))]
    if kind == "product":
        derived = [str(e.attr("against_product_id")) for e in ents.get("competitor_product", [])]
        for comp in ents.get("competitor", []):
            owned = [e for e in resolver.entities("competitor_product") if e.attr("competitor_id") == comp.id]
            if len(owned) == 1:  # a one-product competitor names the product it competes with
                derived.append(str(owned[0].attr("against_product_id")))
        return derived
    if kind == "competitor":
        return [str(e.attr("competitor_id")) for e in ents.get("competitor_product", [])]
    if kind == "competitor_product":
        comps = {e.id for e in ents.get("competitor", [])}
        prods = {e.id for e in ents.get("product", [])}
        pool = resolver.entities("competitor_product")
        hits = [
            e
            for e in pool
            if (not comps or e.attr("competitor_id") in comps)
            and (not prods or e.attr("against_product_id") in prods)
        ]
        if (comps or prods) and len(hits) == 1:
            return [hits[0].id]
    return []


def _described(f: Field) -> dict[str, list[str]]:
    """Synonyms the field description gives: "orders 订单, contracts 合同" -> {orders: [订单]}."""
    out: dict[str, list[str]] = {}
    for m in re.finditer(r"([A-Za-z_]+)\s*(?:\(|（)?\s*([\u4e00-\u9fff/、]+)", f.description):
        out.setdefault(m.group(1).casefold(), []).extend(w for w in re.split(r"[/、]", m.group(2)) if w)
    return out


def _enum_value(f: Field, text: str) -> Any:
    low = text.casefold()
    described = _described(f)
    for value in f.enum:
        sval = str(value).casefold()
        plain = [] if sval in _ENUM_SYNONYMS else [sval, sval.replace("_", " ")]
        words = [*plain, *_ENUM_SYNONYMS.get(sval, ()), *described.get(sval, [])]
        if any(w and w in low for w in words):
            return value
    return None


def _period_value(kind: str, f: Field, text: str, today: dt.date) -> Any:
    found = extract.periods(text, today)
    if not found:
        return None
    if kind == "quarter":
        q = next((p.quarter for p in found if p.quarter), None)
        return q
    if kind == "month":
        p = found[0]
        return p.start.strftime("%Y-%m")
    if kind == "year":
        return found[0].start.year
    if kind == "start":
        return min(p.start for p in found).isoformat()
    if kind == "end":
        return max(p.end for p in found).isoformat()
    if kind == "date":
        return found[0].end.isoformat()
    return found[0].quarter or found[0].label  # period


def _scalar(f: Field, text: str, lang: str, today: dt.date) -> Any:
    kind = f.kind
    if kind in _IDS:
        ids = [m.group().upper() for m in _IDS[kind].finditer(text)]
        return ids if f.type == "array" else (ids[0] if ids else None)
    if kind == "amount":
        vals = extract.amounts(text)
        return vals[0] if vals else None
    if kind == "percent":
        vals = extract.percentages(text)
        return vals[0] if vals else None
    if kind in ("quarter", "month", "year", "period", "start", "end", "date"):
        return _period_value(kind, f, text, today)
    if kind == "days":
        m = extract.periods(text, today)
        span = [p for p in m if p.label.startswith("last ")]
        return (span[0].end - span[0].start).days + 1 if span else None
    if kind == "limit":
        return extract.top_n(text)
    if kind == "language":
        return lang
    if kind == "enum":
        return _enum_value(f, text)
    if kind == "text":
        return text.strip()
    return None


def fill(
    fields: list[Field],
    text: str,
    mentions: list[Mention],
    resolver: EntityResolver,
    today: dt.date,
    lang: str,
    memory: Memory | None = None,
    previous_args: dict[str, Any] | None = None,
) -> Filled:
    """Arguments for one tool call, or the one question to ask when a required value is missing."""
    found = _by_kind(mentions)
    memory = memory or Memory()
    args: dict[str, Any] = {}
    used: dict[str, list[str]] = {}
    for f in fields:
        value: Any = None
        if f.kind in ENTITY_KINDS:
            ms = found.get(f.kind, [])
            ambiguous = next((m for m in ms if m.ambiguous), None)
            if ambiguous is not None and f.required:
                options: list[Entity] = [ambiguous.entity, *ambiguous.alternatives]
                return Filled({}, ask_which(f.kind, options, lang))
            ids = [m.entity.id for m in ms] or _derive(f.kind, found, resolver)
            if not ids and previous_args and f.name in previous_args:
                value = previous_args[f.name]
            elif not ids and f.required:
                ids = memory.entities.get(f.kind, [])[:1]
            if ids:
                value = ids if f.type == "array" else ids[0]
                used[f.kind] = list(ids)
        else:
            value = _scalar(f, text, lang, today)
            if value is None and previous_args and f.name in previous_args and f.kind != "text":
                value = previous_args[f.name]
        if value is None or value == []:
            if f.required:
                if f.kind == "enum" and f.default is not None:
                    args[f.name] = f.default
                    continue
                return Filled({}, ask_for(f, lang, resolver))
            continue
        args[f.name] = value
    return Filled(args, None, used)
