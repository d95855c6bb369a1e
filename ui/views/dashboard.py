"""Manager dashboard: the feedback-loop numbers with trends, escalations, heat map, ad hoc box."""

from __future__ import annotations

from typing import Any

import pandas as pd
import plotly.express as px
import streamlit as st

from ui.state import client, tr
from ui.views.compliance import heatmap_chart

LABELS = {
    "adoption_rate": ("AI 建议采纳率", "AI-suggestion adoption"),
    "closure_rate": ("协同任务闭环率", "Task closure rate"),
    "median_response_hours": ("跨部门响应时效(小时)", "Median response (h)"),
    "feedback_density": ("反馈密度", "Feedback density"),
    "strategy_iteration_frequency": ("策略迭代频率", "Strategy iterations"),
    "open_escalations": ("未关闭升级", "Open escalations"),
}


def _fmt(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.1%}" if value <= 1 else f"{value:.1f}"
    return "—" if value is None else str(value)


def render(me: dict[str, Any]) -> None:
    st.header(tr("page_dashboard"))
    zh = st.session_state.get("lang", "zh") == "zh"
    region = st.selectbox(
        "region", [None, "ZJ", "GD", "SD", "JS", "SH"], format_func=lambda r: r or "全部 / all"
    )
    metrics = client().get("/v1/metrics", region=region)
    values = metrics.get("metrics", metrics)
    cols = st.columns(len(LABELS))
    for col, (key, (zh_label, en_label)) in zip(cols, LABELS.items(), strict=True):
        col.metric(zh_label if zh else en_label, _fmt(values.get(key)))
    trend = client().get("/v1/metrics/trend", region=region).get("data", [])
    if trend:
        df = pd.DataFrame(trend)
        st.plotly_chart(
            px.line(df, x="period", y=[c for c in df.columns if c != "period"], markers=True), width="stretch"
        )
    st.subheader(tr("escalations"))
    items = client().get("/v1/workbench/items", kind="escalation", status="open").get("data", [])
    st.dataframe(
        pd.DataFrame(items)[["id", "workbench", "title", "created_at"]], hide_index=True
    ) if items else st.caption(tr("empty"))
    heatmap_chart()
    st.subheader(tr("adhoc"))
    with st.form("adhoc"):
        q = st.text_input(
            tr("adhoc"), placeholder="上季度广东的跨部门响应时效是多少?", label_visibility="collapsed"
        )
        if st.form_submit_button(tr("submit")) and q:
            st.session_state["pending_question"] = q
            st.session_state["page"] = "page_chat"
            st.rerun()
