"""Markdown rendering of a pack, for people (chat, workbench, `--md`) and for the PDF.

Sources are shown as short tags ([S1], [S2] ...) resolved in the source list at the end, so a
table cell can cite without a long id. Bookkeeping (compliance status, push targets, source list)
sits in the last two sections ("Compliance", "Sources"), which the grounding scorer skips: they are
not claims about the world. The header names the pack id, its date and version.
"""

from __future__ import annotations

from tools.battle_pack.models import BattlePackDoc

LETTERS = "ABCDEFGHIJ"

_L = {
    "zh": {
        "title": "作战包",
        "item": "项目",
        "fact": "情况",
        "src": "来源",
        "applies": "适用情形",
        "points": "话术要点",
        "objection": "可能异议",
        "answer": "应答",
        "evidence": "依据",
        "strategy": "策略",
        "option": "组合",
        "products": "产品",
        "price": "组合价（元）",
        "why": "为何合适",
        "skipped": "未选用（库存不足）",
        "attribute": "属性",
        "study": "来源研究",
        "status": "状态",
        "pushed": "已推送至",
        "none": "无",
        "warnings": "提示",
    },
    "en": {
        "title": "Battle pack",
        "item": "Item",
        "fact": "Situation",
        "src": "Sources",
        "applies": "When it applies",
        "points": "Talking points",
        "objection": "Likely objection",
        "answer": "Answer",
        "evidence": "Evidence",
        "strategy": "Strategy",
        "option": "Option",
        "products": "Products",
        "price": "Bundle price (CNY)",
        "why": "Why it fits",
        "skipped": "Not offered (short of stock)",
        "attribute": "Attribute",
        "study": "Source study",
        "status": "Status",
        "pushed": "Pushed to",
        "none": "none",
        "warnings": "Notes",
    },
}


def _cell(text: str) -> str:
    return " ".join(str(text).replace("|", "\\|").split())


def render(pack: BattlePackDoc) -> str:
    lang = pack.meta.lang
    t = _L[lang]
    tags = {s.key: f"S{i}" for i, s in enumerate(pack.sources, start=1)}

    def cite(keys: list[str]) -> str:
        shown = [tags[k] for k in dict.fromkeys(keys) if k in tags]
        return f"[{', '.join(shown)}]" if shown else ""

    colon = "：" if lang == "zh" else ": "
    out: list[str] = [f"# {t['title']}{colon}{pack.customer_name} × {pack.product_name}", ""]
    out += [f"`{pack.meta.id}` · {pack.meta.pack_date} · v{pack.meta.version}", ""]

    out += ["## 形势 Situation", "", f"| {t['item']} | {t['fact']} | {t['src']} |", "|---|---|---|"]
    out += [f"| {_cell(s.label)} | {_cell(s.text)} | {cite(s.sources)} |" for s in pack.situation]
    out.append("")

    out += ["## 谈判策略 Negotiation strategies", ""]
    for letter, s in zip(LETTERS, pack.strategies, strict=False):
        out += [f"### {t['strategy']} {letter}：{s.title}", "", f"- **{t['applies']}**：{s.applies_when}"]
        out.append(f"- **{t['points']}**：")
        out += [f"  - {p}" for p in s.talking_points]
        out += [f"- **{t['objection']}**：{s.objection}", f"- **{t['answer']}**：{s.answer}"]
        out.append(f"- **{t['evidence']}**：")
        out += [f"  - {e.text} {cite(e.sources)}" for e in s.evidence]
        out.append("")

    out += ["## 替代产品组合 Substitute combinations", ""]
    out += [
        f"| {t['option']} | {t['products']} | {t['price']} | {t['why']} | {t['src']} |",
        "|---|---|---|---|---|",
    ]
    for letter, sub in zip(LETTERS, pack.substitutes, strict=False):
        products = " + ".join(f"{ln.name} ({ln.product_id})" for ln in sub.lines)
        out.append(
            f"| {letter}：{_cell(sub.label)} | {_cell(products)} | {sub.bundle_price} | {_cell(sub.why)} | {cite(sub.sources)} |"
        )
    if pack.skipped_substitutes:
        out += ["", f"**{t['skipped']}**：", ""]
        out += [
            f"- {s.label}（{' + '.join(s.products)}）：{s.reason} {cite(s.sources)}"
            for s in pack.skipped_substitutes
        ]
    out.append("")

    cc = pack.clinical_comparison
    out += ["## 临床价值对比 Clinical value comparison", "", cc.summary, ""]
    out += [
        f"| {t['attribute']} | {_cell(cc.product_name)} | {_cell(cc.competitor_name)} | {t['study']} | {t['src']} |"
    ]
    out.append("|---|---|---|---|---|")
    for r in cc.rows:
        keys = [*r.ours.sources, *r.competitor.sources]
        out.append(
            f"| {_cell(r.attribute)} | {_cell(r.ours.value)} | {_cell(r.competitor.value)} | {_cell(r.study)} | {cite(keys)} |"
        )
    out.append("")

    if pack.calculations:
        out += ["## 计算 Calculations", ""]
        out += [f"- {c.label}：{c.shown} {cite(c.sources)}" for c in pack.calculations]
        out.append("")

    out += ["## 合规 Compliance", "", f"- {t['status']}：**{pack.compliance.status}**"]
    for f in pack.compliance.findings:
        code = f.get("code") or f.get("rule_id") or "finding"
        message = f.get("message_zh" if lang == "zh" else "message_en") or f.get("message") or ""
        out.append(f"  - {code}: {message}" if message else f"  - {code}")
    out += [f"- {t['pushed']}：{', '.join(pack.pushed_to) or t['none']}"]
    if pack.meta.warnings:
        out += [f"- {t['warnings']}：{'; '.join(pack.meta.warnings)}"]
    out += ["", "## 来源 Sources", ""]
    for src in pack.sources:
        extra = " — ".join(x for x in (src.title, src.detail) if x)
        out.append(f"- [{tags[src.key]}] {src.kind} `{src.key}`" + (f" — {extra}" if extra else ""))
    out.append("")
    return "\n".join(out)
