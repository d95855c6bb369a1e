"""A battle pack drawn as cards and tables (the `BattlePackDoc` JSON of `tools/battle_pack`).

Three sections as the pack's agents wrote them: the market situation (with the price and stock
charts), the sales side (strategies and in-stock substitutes, each with judgement buttons) and
the medical side (the clinical value comparison). Every figure keeps its source keys.
"""

from __future__ import annotations

import re
from typing import Any

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from ui.state import client, lang, tr
from ui.views.common import judge_buttons, number, sources_block

CHART_LAYOUT: dict[str, Any] = {
    "height": 330,
    "margin": {"t": 40, "b": 10, "l": 10, "r": 10},
    "legend": {"orientation": "h", "y": 1.15, "x": 0},
}
STATUS_COLOURS = {"pass": "green", "warn": "orange", "hold": "orange", "block": "red", "unchecked": "gray"}


def _rec_id(pack: dict[str, Any], suffix: str) -> str | None:
    rec = f"{pack.get('meta', {}).get('id', '')}-{suffix}"
    return rec if rec in pack.get("meta", {}).get("recommendation_ids", []) else None


def price_rows(pack: dict[str, Any]) -> list[dict[str, Any]]:
    """Economic rows of the clinical comparison whose two cells are both figures."""
    out = []
    for row in pack.get("clinical_comparison", {}).get("rows", []):
        ours, theirs = number(row["ours"]["value"]), number(row["competitor"]["value"])
        if row.get("kind") == "economic" and ours is not None and theirs is not None:
            out.append({"attribute": row["attribute"], "ours": ours, "competitor": theirs})
    return out


def short_label(attribute: str) -> str:
    """The attribute in the page's language: "集采中选价 VBP award price" has both halves."""
    cjk = re.match(r"^(.*[\u3400-\u9fff\uff00-\uffef]\S*)\s+([\x20-\x7e]+)$", attribute)
    if not cjk:
        return attribute
    return cjk.group(2) if lang() == "en" else cjk.group(1)


def _price_chart(pack: dict[str, Any]) -> None:
    rows = price_rows(pack)
    st.markdown(f"**{tr('price_chart')}**")
    if not rows:
        st.caption(tr("empty"))
        return
    cc = pack["clinical_comparison"]
    labels = [short_label(r["attribute"]) for r in rows]
    fig = go.Figure()
    for side, name, colour in (
        ("ours", cc["product_name"], "#1f77b4"),
        ("competitor", cc["competitor_name"], "#d62728"),
    ):
        values = [r[side] for r in rows]
        fig.add_bar(name=name, x=labels, y=values, text=[f"{v:,.0f}" for v in values], marker_color=colour)
    fig.update_traces(textposition="outside", cliponaxis=False)
    fig.update_layout(barmode="group", **CHART_LAYOUT)
    st.plotly_chart(fig, key=f"price-{pack['meta']['id']}")


def serving_warehouse(pack: dict[str, Any]) -> str | None:
    for line in pack.get("situation", []):
        for key in line.get("sources", []):
            if key.startswith("warehouses:"):
                return str(key.split(":", 1)[1])
    return None


def _stock(pack: dict[str, Any]) -> None:
    st.markdown(f"**{tr('stock_by_warehouse')}**")
    product = pack["product_id"]
    levels = client().get("/v1/stock", product_id=product).get("levels", [])
    if not levels:
        st.caption(tr("empty"))
        return
    serving = serving_warehouse(pack)
    names = [f"{'★ ' if lv['warehouse_id'] == serving else ''}{lv['warehouse_name_zh']}" for lv in levels]
    fig = go.Figure()
    fig.add_bar(
        name=tr("on_hand"),
        x=names,
        y=[lv["on_hand"] for lv in levels],
        marker_color=["#d62728" if lv["below_safety"] else "#2ca02c" for lv in levels],
        text=[lv["on_hand"] for lv in levels],
        textposition="inside",
        insidetextanchor="start",
    )
    fig.add_bar(
        name=tr("on_order"),
        x=names,
        y=[lv["on_order"] for lv in levels],
        marker_color="#aec7e8",
        text=[lv["on_order"] or "" for lv in levels],
    )
    fig.add_hline(
        y=levels[0]["safety_stock"],
        line_dash="dash",
        annotation_text=f"{tr('safety_stock')} {levels[0]['safety_stock']}",
        annotation_position="top left",
    )
    fig.update_layout(barmode="stack", **CHART_LAYOUT)
    st.plotly_chart(fig, key=f"stock-{pack['meta']['id']}")
    served = next((lv["warehouse_name_zh"] for lv in levels if lv["warehouse_id"] == serving), serving)
    if served:
        st.caption(f"★ {tr('serving_warehouse')}: {served} · {tr('stock_legend')}")


def situation(pack: dict[str, Any]) -> None:
    st.subheader(f"① {tr('situation')}")
    lines = pack.get("situation", [])
    cols = st.columns(min(3, max(1, len(lines))))
    for i, line in enumerate(lines):
        with cols[i % len(cols)].container(border=True):
            st.markdown(f"**{line['label']}**")
            st.markdown(line["text"])
            st.caption(" · ".join(line.get("sources", [])))
    left, right = st.columns(2)
    with left:
        _price_chart(pack)
    with right:
        _stock(pack)


def strategies(pack: dict[str, Any]) -> None:
    st.subheader(f"② {tr('strategies')}")
    for i, s in enumerate(pack.get("strategies", []), 1):
        with st.container(border=True):
            st.markdown(f"**{i}. {s['title']}**")
            st.caption(s.get("applies_when", ""))
            st.markdown("\n".join(f"- {p}" for p in s.get("talking_points", [])))
            if s.get("objection"):
                st.markdown(
                    f"> **{tr('objection')}**: {s['objection']}\n>\n> **{tr('answer')}**: {s.get('answer', '')}"
                )
            if s.get("evidence"):
                with st.expander(tr("evidence")):
                    st.dataframe(
                        pd.DataFrame(
                            [{"text": e["text"], "sources": ", ".join(e["sources"])} for e in s["evidence"]]
                        ),
                        hide_index=True,
                    )
            judge_buttons(
                f"bp-{pack['meta']['id']}-S{i}",
                recommendation_id=_rec_id(pack, f"S{i}"),
                kind="strategy",
                source_type="battle_pack",
                source_id=pack["meta"]["id"],
                text=s["title"],
            )


def substitutes(pack: dict[str, Any]) -> None:
    st.subheader(tr("substitutes"))
    for i, sub in enumerate(pack.get("substitutes", []), 1):
        with st.container(border=True):
            st.markdown(f"**{i}. {sub['label']}** · {' + '.join(sub['products'])}")
            st.caption(sub.get("why", ""))
            rows = [
                {
                    tr("product"): f"{ln['name']} ({ln['product_id']})",
                    tr("on_hand"): ln["on_hand"],
                    tr("safety_stock"): ln["safety_stock"],
                    tr("list_price"): ln["list_price"],
                    tr("cap"): ln.get("cap") or "—",
                    tr("unit_price"): ln["unit_price"],
                }
                for ln in sub.get("lines", [])
            ]
            st.dataframe(pd.DataFrame(rows), hide_index=True)
            st.markdown(f"{tr('bundle_price')}: **{sub['bundle_price']}**")
            judge_buttons(
                f"bp-{pack['meta']['id']}-X{i}",
                recommendation_id=_rec_id(pack, f"X{i}"),
                kind="substitute",
                source_type="battle_pack",
                source_id=pack["meta"]["id"],
                text=" + ".join(sub["products"]),
            )
    for sk in pack.get("skipped_substitutes", []):
        st.caption(f":material/block: {sk['label']} ({' + '.join(sk['products'])}): {sk['reason']}")


def clinical(pack: dict[str, Any]) -> None:
    cc = pack.get("clinical_comparison") or {}
    st.subheader(f"③ {tr('clinical')}")
    st.caption(f"{cc.get('product_name', '')} vs {cc.get('competitor_name', '')} · {cc.get('summary', '')}")
    rows = [
        {
            tr("attribute"): r["attribute"],
            cc.get("product_name", "ours"): r["ours"]["value"],
            cc.get("competitor_name", "competitor"): r["competitor"]["value"],
            tr("study"): r.get("study", ""),
        }
        for r in cc.get("rows", [])
    ]
    if rows:
        st.dataframe(pd.DataFrame(rows), hide_index=True)


def bookkeeping(pack: dict[str, Any]) -> None:
    meta = pack.get("meta", {})
    calcs = pack.get("calculations", [])
    if calcs:
        with st.expander(f"{tr('calculations')} ({len(calcs)})", icon=":material/calculate:"):
            st.dataframe(
                pd.DataFrame(
                    [{"label": c["label"], "=": f"{c['result']} = {c['expression']}"} for c in calcs]
                ),
                hide_index=True,
            )
    items = meta.get("work_items", {})
    pushed = [
        f"{tr('bench_' + wb)} #{items[wb]}" if wb in items else tr("bench_" + wb)
        for wb in pack.get("pushed_to", [])
    ]
    if pushed:
        st.success(f"{tr('pushed_to')}: {', '.join(pushed)}", icon=":material/send:")
    else:
        st.info(tr("not_pushed"), icon=":material/send:")
    compliance = pack.get("compliance") or {}
    for f in compliance.get("findings", []):
        st.warning(
            f"{f.get('code')}: {f.get('message', {}).get('zh', '') if isinstance(f.get('message'), dict) else f.get('message', '')}"
        )
    for w in meta.get("warnings", []):
        st.caption(f":material/warning: {w}")
    sources_block(pack.get("sources", []), key=f"bp-{meta.get('id', '')}")


def show_pack(pack: dict[str, Any]) -> None:
    meta = pack.get("meta", {})
    st.markdown(f"### {pack['customer_name']} × {pack['product_name']}")
    status = (pack.get("compliance") or {}).get("status", "unchecked")
    with st.container(horizontal=True):
        st.badge(f"{tr('compliance')}: {tr('pack_' + status)}", color=STATUS_COLOURS.get(status, "gray"))  # type: ignore[arg-type]
        st.badge(
            f"{meta.get('id', '')} · v{meta.get('version', 1)} · {meta.get('pack_date', '')}", color="gray"
        )
    situation(pack)
    strategies(pack)
    substitutes(pack)
    clinical(pack)
    bookkeeping(pack)
