"""Concise bilingual renderings of the shipped tools' results (the generic renderer is the fallback).

Each function reads fields of one result type and phrases them the way a colleague would answer;
every figure printed is a field of the result. Registered by tool name in `writer.RENDERERS`.
"""

from __future__ import annotations

from typing import Any

from copilot.llm.offline.render import fmt_number as n
from copilot.llm.offline.sanitize import strip_instructions
from copilot.llm.offline.writer import register_renderer

MAX_CONTRACTS = 20
MAX_ROWS = 16


def _nm(d: dict[str, Any], lang: str, key: str = "name") -> str:
    return str(d.get(f"{key}_{lang}") or d.get(f"{key}_zh") or d.get(f"{key}_en") or d.get(key) or "")


def stock(r: dict[str, Any], lang: str) -> list[str]:
    out = []
    for lv in r.get("levels", []):
        wh, prod = _nm(lv, lang, "warehouse_name"), _nm(lv, lang, "product_name")
        if lang == "zh":
            line = f"- {wh} {prod}：现货 {n(lv['on_hand'])}，在途 {n(lv['on_order'])}，安全库存 {n(lv['safety_stock'])}"
            if lv.get("below_safety"):
                line += f"（低于安全库存，缺口 {n(lv['shortfall'])}）"
        else:
            line = f"- {wh} {prod}: {n(lv['on_hand'])} on hand, {n(lv['on_order'])} on order, safety stock {n(lv['safety_stock'])}"
            if lv.get("below_safety"):
                line += f" (below safety stock, short by {n(lv['shortfall'])})"
        out.append(line)
    if not out:
        return ["没有查到库存记录。" if lang == "zh" else "No stock rows found."]
    return ["库存情况：" if lang == "zh" else "Stock:", *out]


def substitutes(r: dict[str, Any], lang: str) -> list[str]:
    req = r.get("requested") or {}
    cust, prod = _nm(r, lang, "customer_name"), _nm(req, lang, "product_name")
    wh = r.get("warehouse_id", "")
    out = []
    if lang == "zh":
        state = "有货" if req.get("in_stock") else f"低于安全库存 {n(req.get('safety_stock', 0))}"
        out.append(
            f"{cust}由 {wh} 供货；{prod} 现货 {n(req.get('on_hand', 0))}（{state}）。可推荐的替代组合："
        )
    else:
        state = "in stock" if req.get("in_stock") else f"below safety stock {n(req.get('safety_stock', 0))}"
        out.append(
            f"{cust} is served by {wh}; {prod} has {n(req.get('on_hand', 0))} on hand ({state}). In-stock alternatives:"
        )
    for i, opt in enumerate(r.get("options", []), start=1):
        names = " + ".join(_nm(line, lang, "product_name") for line in opt.get("lines", []))
        label = _nm(opt, lang, "label")
        price = n(opt.get("bundle_price", ""))
        if lang == "zh":
            out.append(
                f"{i}. {label}：{names}（{' + '.join(opt.get('product_ids', []))}），组合价 {price} 元"
            )
        else:
            out.append(
                f"{i}. {label}: {names} ({' + '.join(opt.get('product_ids', []))}), bundle price {price} CNY"
            )
    reasons = r.get("skip_reasons") or []
    if reasons:
        out.append(("跳过：" if lang == "zh" else "Skipped: ") + "; ".join(reasons))
    return out


def price(r: dict[str, Any], lang: str) -> list[str]:
    where = r.get("customer_id") or r.get("province") or ""
    cap = (r.get("cap") or {}).get("cap") if isinstance(r.get("cap"), dict) else r.get("cap")
    announced = [c for c in r.get("announced_caps", []) if not c.get("in_force")]
    if lang == "zh":
        out = [
            f"{r.get('product_id')} 在 {where} 的可报单价：{n(r['unit_price'])} 元（挂网价 {n(r['list_price'])}，现行集采限价：{n(cap) if cap else '无'}）"
        ]
        for c in announced:
            out.append(
                f"- 已公布未执行：{c.get('programme_name_zh')} 限价 {n(c['cap'])}，{c.get('effective_from')} 起执行"
            )
    else:
        out = [
            f"Unit price for {r.get('product_id')} at {where}: {n(r['unit_price'])} CNY (list price {n(r['list_price'])}, cap in force: {n(cap) if cap else 'none'})"
        ]
        for c in announced:
            out.append(
                f"- Announced, not yet in force: {c.get('programme_name_en')} cap {n(c['cap'])} from {c.get('effective_from')}"
            )
    if r.get("calculation"):
        out.append(("计算：" if lang == "zh" else "Calculation: ") + str(r["calculation"]))
    return out


def profile(r: dict[str, Any], lang: str) -> list[str]:
    a = r.get("activity") or {}
    group = r.get("medical_group") or {}
    rep = r.get("rep") or {}
    related = "、".join(_nm(p, lang) + f"（{p.get('id')}）" for p in r.get("related_parties", []))
    if lang == "zh":
        out = [
            f"{r.get('name_zh')}（{r.get('customer_id')}）：{r.get('province_name_zh', r.get('province'))}，{r.get('tier')}，负责代表 {_nm(rep, lang)}。"
        ]
        if group:
            out.append(f"医联体：{_nm(group, lang)}" + (f"，关联方：{related}" if related else ""))
        out.append(
            f"近12个月：订单 {n(a.get('orders_count', 0))} 笔，金额 {n(a.get('orders_amount', 0))} 元；"
            f"预付款 {n(a.get('prepayments_count', 0))} 笔，{n(a.get('prepayments_amount', 0))} 元；"
            f"拜访 {n(a.get('visits_count', 0))} 次，最近拜访 {a.get('last_visit_date') or '无'}。"
        )
    else:
        out = [
            f"{r.get('name_en')} ({r.get('customer_id')}): {r.get('province')}, tier {r.get('tier')}, rep {_nm(rep, lang)}."
        ]
        if group:
            out.append(
                f"Medical group: {_nm(group, lang)}" + (f"; related parties: {related}" if related else "")
            )
        out.append(
            f"Last 12 months: {n(a.get('orders_count', 0))} orders, {n(a.get('orders_amount', 0))} CNY; "
            f"{n(a.get('prepayments_count', 0))} prepayments, {n(a.get('prepayments_amount', 0))} CNY; "
            f"{n(a.get('visits_count', 0))} visits, last visit {a.get('last_visit_date') or 'none'}."
        )
    return out


def contracts(r: dict[str, Any], lang: str) -> list[str]:
    rows = r.get("contracts", [])
    if lang == "zh":
        out = [f"{r.get('customer_id')} 共 {len(rows)} 份合同，总额 {n(r.get('total_amount', 0))} 元："]
    else:
        out = [f"{r.get('customer_id')}: {len(rows)} contracts, {n(r.get('total_amount', 0))} CNY in total:"]
    for c in rows[:MAX_CONTRACTS]:
        gifts = "；".join(f"{g.get('name')} {g.get('value')}" for g in c.get("gifts", []))
        if lang == "zh":
            out.append(
                f"- {c['id']}（{c.get('signed_on')}）总额 {n(c.get('total_amount'))} 元"
                + (f"，赠品：{gifts}" if gifts else "")
            )
        else:
            out.append(
                f"- {c['id']} ({c.get('signed_on')}) total {n(c.get('total_amount'))} CNY"
                + (f", gifts: {gifts}" if gifts else "")
            )
    if len(rows) > MAX_CONTRACTS:
        more = len(rows) - MAX_CONTRACTS
        out.append(f"- …另有 {more} 份" if lang == "zh" else f"- … {more} more")
    return out


_METRIC = {"orders": "订单", "contracts": "合同", "prepayments": "预付款", "visits": "拜访"}


def _money(value: Any, lang: str) -> str:
    if value is None:
        return ""
    return f"，{n(value)} 元" if lang == "zh" else f", {n(value)} CNY"


def analytics(r: dict[str, Any], lang: str) -> list[str]:
    period = (r.get("period") or {}).get("label", "")
    metric = str(r.get("metric", ""))
    total = n(r.get("total_count", 0))
    if lang == "zh":
        out = [
            f"{period} {_METRIC.get(metric, metric)}：合计 {total} 笔{_money(r.get('total_amount'), lang)}。"
        ]
    else:
        out = [f"{metric} {period}: {total} in total{_money(r.get('total_amount'), lang)}."]
    for row in r.get("rows", [])[:MAX_ROWS]:
        pct = row.get("share_pct")
        share = (f"（{pct}%）" if lang == "zh" else f" ({pct}%)") if pct else ""
        unit = " 笔" if lang == "zh" else ""
        sep = "：" if lang == "zh" else ": "
        out.append(
            f"- {row.get('label')}{sep}{n(row.get('count', 0))}{unit}{_money(row.get('amount'), lang)}{share}"
        )
    return out


def access(r: dict[str, Any], lang: str) -> list[str]:
    prod = _nm(r, lang, "product_name")
    where = r.get("province_name_zh") if lang == "zh" else r.get("province")
    where = where or ("全国" if lang == "zh" else "all provinces")
    raw_cap = r.get("cap_in_force")
    cap = n(raw_cap["cap"] if isinstance(raw_cap, dict) else raw_cap) if raw_cap else None
    out = [
        f"{prod} 在{where}：医保 {r.get('nrdl_category')}；现行集采限价：{cap or '无'}。"
        if lang == "zh"
        else f"{prod} in {where}: NRDL {r.get('nrdl_category')}; VBP cap in force: {cap or 'none'}."
    ]
    for p in r.get("programmes", []):
        ours = p.get("ours") or {}
        comps = "；".join(
            f"{_nm(c, lang, 'competitor_product_name')} {'报价' if lang == 'zh' else 'bid'} {n(c.get('bid_price') or '-')}"
            for c in p.get("competitors", [])
        )
        if lang == "zh":
            line = f"- {p.get('name_zh')}：阶段 {p.get('stage')}"
            if ours:
                line += f"，我方投标 {n(ours.get('bid_price') or '-')}，{'中选' if ours.get('won') else '未中选' if ours.get('won') is False else '未定'}"
                if ours.get("cap"):
                    line += f"，限价 {n(ours['cap'])}（{ours.get('cap_effective_from')} 起{'已执行' if ours.get('cap_in_force') else '，尚未执行'}）"
            if p.get("execution_start"):
                line += f"，执行日期 {p['execution_start']}"
            out.append(line + (f"；竞品：{comps}" if comps else ""))
        else:
            line = f"- {p.get('name_en')}: stage {p.get('stage_en') or p.get('stage')}"
            if ours:
                line += f", our bid {n(ours.get('bid_price') or '-')}, {'won' if ours.get('won') else 'lost' if ours.get('won') is False else 'pending'}"
                if ours.get("cap"):
                    line += f", cap {n(ours['cap'])} from {ours.get('cap_effective_from')} ({'in force' if ours.get('cap_in_force') else 'not yet in force'})"
            if p.get("execution_start"):
                line += f", execution starts {p['execution_start']}"
            out.append(line + (f"; competitors: {comps}" if comps else ""))
    return out


def passages(r: dict[str, Any], lang: str) -> list[str]:
    hits = r.get("hits", [])[:3]
    if not hits:
        return [
            "知识库中没有找到相关内容。"
            if lang == "zh"
            else "Nothing relevant was found in the knowledge base."
        ]
    out = ["根据知识库：" if lang == "zh" else "From the knowledge base:"]
    omitted = False
    for h in hits:
        # Retrieved text is untrusted data: sentences addressed to the assistant are not relayed.
        text, removed = strip_instructions(h.get("text", ""))
        omitted = omitted or bool(removed)
        out.append(f"- {text.strip()} [{h.get('chunk_id', h.get('doc_id', ''))}]")
    if omitted:
        out.append(
            "（资料中有针对助手的指令性文字，已略去。）"
            if lang == "zh"
            else "(Instruction-like text addressed to the assistant was left out of the quoted documents.)"
        )
    return out


def competitors(r: dict[str, Any], lang: str) -> list[str]:
    rows = r.get("entries", [])
    out = []
    for e in rows:
        name, company, against = _nm(e, lang), _nm(e, lang, "company"), _nm(e, lang, "against_name")
        note = _nm(e, lang, "note")
        share = e.get("share_pct")
        if lang == "zh":
            line = f"- {name}（{company}，{e.get('competitor_product_id')}）对标{against}：终端价 {n(e.get('terminal_price'))} 元"
            line += f"，份额 {share}%" if share else ""
        else:
            line = f"- {name} ({company}, {e.get('competitor_product_id')}) vs {against}: terminal price {n(e.get('terminal_price'))} CNY"
            line += f", share {share}%" if share else ""
        out.append(line + (f"。{note}" if note and lang == "zh" else f". {note}" if note else ""))
    if not out:
        return ["没有查到竞品记录。" if lang == "zh" else "No competitor products found."]
    head = _nm(r, lang, "customer_name")
    if head:
        out.insert(0, f"{head} 在用的竞品：" if lang == "zh" else f"Competitor products in use at {head}:")
    return out


def price_gap(r: dict[str, Any], lang: str) -> list[str]:
    out = []
    for row in r.get("rows", []):
        them = _nm(row, lang, "competitor_name") or row.get("competitor_product_id")
        if lang == "zh":
            line = f"- {them} 终端价 {n(row.get('their_price'))} 元，我方 {n(row.get('our_price'))} 元：价差 {n(row.get('gap'))} 元（{row.get('gap_pct')}%）"
            if row.get("our_bid") is not None:
                line += f"；集采投标 我方 {n(row['our_bid'])} vs 对方 {n(row.get('their_bid') or '-')}"
                if row.get("bid_calculation"):
                    line += f"（{row['bid_calculation']}）"
        else:
            line = f"- {them} terminal price {n(row.get('their_price'))} CNY vs ours {n(row.get('our_price'))} CNY: gap {n(row.get('gap'))} CNY ({row.get('gap_pct')}%)"
            if row.get("our_bid") is not None:
                line += f"; VBP bids: ours {n(row['our_bid'])} vs theirs {n(row.get('their_bid') or '-')}"
                if row.get("bid_calculation"):
                    line += f" ({row['bid_calculation']})"
        out.append(line)
    return out or (["没有可比较的竞品价格。"] if lang == "zh" else ["No competitor price to compare."])


def battle_pack(r: dict[str, Any], lang: str) -> list[str]:
    return [str(r.get("markdown") or r.get("summary") or "")]


for _tool, _fn, _title in (
    ("inventory_stock", stock, ("库存", "Stock")),
    ("substitute_offers", substitutes, ("替代方案", "Substitutes")),
    ("price_quote", price, ("报价", "Price quote")),
    ("customer_profile", profile, ("客户档案", "Customer profile")),
    ("customer_contracts", contracts, ("合同", "Contracts")),
    ("store_analytics", analytics, ("统计", "Analytics")),
    ("market_access", access, ("医保与集采", "Market access")),
    ("regulation_lookup", passages, ("法规", "Regulations")),
    ("doc_search", passages, ("资料", "Documents")),
    ("competitor_products", competitors, ("竞品", "Competitors")),
    ("competitor_at_hospital", competitors, ("医院在用竞品", "Competitors at the hospital")),
    ("competitor_price_gap", price_gap, ("价差", "Price gap")),
    ("battle_pack", battle_pack, ("作战包", "Battle pack")),
):
    register_renderer(_tool, _fn, _title)
