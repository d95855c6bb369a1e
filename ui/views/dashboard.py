"""Manager dashboard: the feedback-loop numbers with their monthly trends, open escalations, the
compliance heat map, and a box whose questions go to the chat."""

from __future__ import annotations

from typing import Any

import pandas as pd
import plotly.express as px
import streamlit as st

from ui.state import client, goto, side, tr
from ui.views.compliance import heatmap_chart

# key: (label key, shown as a percentage)
FIGURES = {
    "adoption_rate": ("m_adoption", True),
    "closure_rate": ("m_closure", True),
    "median_response_hours": ("m_response", False),
    "feedback_density": ("m_density", False),
    "strategy_iteration_frequency": ("m_iteration", False),
    "open_escalations": ("m_escalations", False),
}
PERIODS = ["ytd", "this quarter", "last quarter", "this month", "last month"]
REGIONS = [None, "ZJ", "GD", "SD", "JS", "SH"]
SAMPLES = ("sample_q1", "sample_q2", "sample_q3")


def fmt(value: Any, pct: bool) -> str:
    if value is None:
        return "—"
    if pct:
        return f"{float(value):.1%}"
    return f"{value:.2f}" if isinstance(value, float) else str(value)


def _tiles(metrics: dict[str, Any], trend: list[dict[str, Any]]) -> None:
    cols = st.columns(3)
    for i, (key, (label, pct)) in enumerate(FIGURES.items()):
        value = metrics.get(key)
        if key == "open_escalations":
            value = len(value or [])
        series = [p.get(key) for p in trend if p.get(key) is not None]
        cols[i % 3].metric(
            tr(label),
            fmt(value, pct),
            help=(metrics.get("definitions") or {}).get(key),
            border=True,
            chart_data=series or None,
            chart_type="bar" if key == "open_escalations" else "line",
        )


def _trend_charts(trend: list[dict[str, Any]]) -> None:
    if not trend:
        return
    df = pd.DataFrame(trend)
    rates = df.melt(
        id_vars="period", value_vars=["adoption_rate", "closure_rate"], var_name="m", value_name="v"
    )
    rates["m"] = rates["m"].map(lambda k: tr(FIGURES[k][0]))
    left, right = st.columns(2)
    fig = px.line(rates, x="period", y="v", color="m", markers=True, labels={"v": "", "period": "", "m": ""})
    fig.update_layout(
        yaxis_tickformat=".0%", height=280, margin={"t": 30, "b": 10}, legend={"orientation": "h"}
    )
    fig.update_layout(title=tr("trend_rates"))
    left.plotly_chart(fig, key="trend-rates")
    other = df.melt(
        id_vars="period",
        value_vars=["median_response_hours", "feedback_density"],
        var_name="m",
        value_name="v",
    )
    other["m"] = other["m"].map(lambda k: tr(FIGURES[k][0]))
    fig2 = px.line(other, x="period", y="v", color="m", markers=True, labels={"v": "", "period": "", "m": ""})
    fig2.update_layout(
        height=280, margin={"t": 30, "b": 10}, legend={"orientation": "h"}, title=tr("trend_other")
    )
    right.plotly_chart(fig2, key="trend-other")


def _escalations(metrics: dict[str, Any]) -> None:
    st.subheader(tr("escalations"))
    rows = metrics.get("open_escalations") or []
    if not rows:
        st.caption(tr("empty"))
        return
    for e in rows:
        with st.container(border=True):
            st.markdown(f"**#{e['id']}** {side(e['title'])}")
            st.caption(
                f"{tr('bench_' + e['workbench'])} · {e.get('owner_id') or ''} · {e.get('province') or ''} · "
                f"{e['created_at'][:10]} · {tr(e['status'])}"
            )


def _adhoc() -> None:
    st.subheader(tr("adhoc"))
    with st.form("adhoc", clear_on_submit=True):
        q = st.text_input(
            tr("adhoc"), placeholder=tr("adhoc_placeholder"), label_visibility="collapsed", key="adhoc-q"
        )
        asked = st.form_submit_button(tr("ask"), type="primary", icon=":material/forum:")
    sample = st.pills(tr("samples"), [tr(s) for s in SAMPLES], key="adhoc-sample")
    question = q.strip() if asked and q.strip() else sample
    if question:
        goto("page_chat", pending_question=question, thread_id=None, messages=[])


def render(me: dict[str, Any]) -> None:
    st.header(tr("page_dashboard"))
    c1, c2 = st.columns(2)
    period = c1.selectbox(
        tr("period"), PERIODS, format_func=lambda p: tr("p_" + p.replace(" ", "_")), key="db-period"
    )
    region = c2.selectbox(
        tr("region"),
        REGIONS,
        format_func=lambda r: tr("all") if r is None else tr("prov_" + r),
        key="db-region",
    )
    api = client()
    metrics = api.get("/v1/metrics", period=period, region=region)
    trend = api.get("/v1/metrics/trend", region=region).get("data", [])
    st.caption(f"{metrics['period']['start']} → {metrics['period']['end']}")
    _tiles(metrics, trend)
    _trend_charts(trend)
    _escalations(metrics)
    heatmap_chart()
    _adhoc()
