"""Battle pack: pick a hospital and product, see the pack as cards and tables, download it."""

from __future__ import annotations

from typing import Any

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from ui.state import client, lang, tr
from ui.views.common import judge_buttons, sources_block


def _name(row: dict[str, Any]) -> str:
    return f"{row.get('name_zh', '')} {row.get('name_en', '')} ({row['id']})".strip()


def _pickers() -> tuple[str | None, str | None]:
    api = client()
    customers = api.get("/v1/customers").get("data", [])
    products = api.get("/v1/products").get("data", [])
    c1, c2 = st.columns(2)
    cust = c1.selectbox(tr("customer"), customers, format_func=_name, index=None, key="bp-customer")
    prod = c2.selectbox(tr("product"), products, format_func=_name, index=None, key="bp-product")
    return (cust or {}).get("id"), (prod or {}).get("id")


def _price_chart(pack: dict[str, Any]) -> None:
    rows = pack.get("price_comparison") or []
    if not rows:
        return
    fig = go.Figure(
        go.Bar(
            x=[r["label"] for r in rows],
            y=[r["price"] for r in rows],
            text=[f"{r['price']:,.0f}" for r in rows],
            textposition="auto",
        )
    )
    fig.update_layout(title=tr("price_chart"), height=300, margin={"t": 40, "b": 10})
    st.plotly_chart(fig, width="stretch")


def show_pack(pack: dict[str, Any]) -> None:
    zh = lang() == "zh"
    st.subheader(pack.get("title_zh" if zh else "title_en") or pack.get("title") or pack.get("id", ""))
    situation = pack.get("situation") or {}
    with st.container(border=True):
        st.markdown(f"**{tr('situation')}**")
        for line in situation.get("lines_zh" if zh else "lines_en") or situation.get("lines") or []:
            st.markdown(f"- {line}")
        stock = situation.get("stock") or []
        if stock:
            st.caption(tr("stock"))
            st.dataframe(pd.DataFrame(stock), hide_index=True, width="stretch")
    _price_chart(pack)
    st.markdown(f"### {tr('strategies')}")
    for i, s in enumerate(pack.get("strategies", [])):
        with st.container(border=True):
            st.markdown(f"**{i + 1}. {s.get('title')}**")
            if s.get("when"):
                st.caption(s["when"])
            for p in s.get("talking_points", []):
                st.markdown(f"- {p}")
            if s.get("objection"):
                st.markdown(f"> {s['objection']}\n\n{s.get('answer', '')}")
            judge_buttons(
                "strategy",
                "battle_pack",
                pack.get("id", ""),
                s.get("title", ""),
                key=f"bp-s{i}",
                recommendation_id=s.get("recommendation_id"),
            )
    st.markdown(f"### {tr('substitutes')}")
    for i, sub in enumerate(pack.get("substitutes", [])):
        with st.container(border=True):
            st.markdown(f"**{' + '.join(sub.get('products', []))}** {sub.get('label', '')}")
            if sub.get("why"):
                st.caption(sub["why"])
            judge_buttons(
                "substitute",
                "battle_pack",
                pack.get("id", ""),
                " + ".join(sub.get("products", [])),
                key=f"bp-sub{i}",
                recommendation_id=sub.get("recommendation_id"),
            )
    clinical = pack.get("clinical_comparison") or {}
    st.markdown(f"### {tr('clinical')} · {clinical.get('competitor_product', '')}")
    if clinical.get("rows"):
        st.dataframe(pd.DataFrame(clinical["rows"]), hide_index=True, width="stretch")
    st.info(f"{tr('pushed_to')}: {', '.join(pack.get('pushed_to', []))}")
    compliance = pack.get("compliance") or {}
    if compliance:
        st.caption(f"compliance: {compliance.get('action') or compliance.get('status') or compliance}")
    sources_block(pack.get("sources", []), key="bp")


def render(me: dict[str, Any]) -> None:
    st.header(tr("page_pack"))
    customer_id, product_id = _pickers()
    if st.button(tr("build_pack"), type="primary", disabled=not (customer_id and product_id)):
        with st.spinner(tr("thinking")):
            st.session_state["pack"] = client().post(
                "/v1/battle-packs", {"customer_id": customer_id, "product_id": product_id}
            )
    pack = st.session_state.get("pack")
    if not pack:
        return
    show_pack(pack)
    api = client()
    c1, c2 = st.columns(2)
    c1.download_button(
        tr("download_md"), api.get(f"/v1/battle-packs/{pack['id']}/markdown"), file_name=f"{pack['id']}.md"
    )
    if c2.button(tr("download_pdf")):
        c2.download_button(
            "PDF", api.get(f"/v1/battle-packs/{pack['id']}/pdf"), file_name=f"{pack['id']}.pdf"
        )
