"""Compliance: check a contract (form or JSON upload), the rules and their editor, alerts, heat map.

Tabs follow the API's role groups: anyone who may check a contract sees the check; rule readers
(legal, managers) see the rules; editors (legal, admin) edit them and rescan history; alert
readers see alerts and the province x week heat map.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pandas as pd
import plotly.express as px
import streamlit as st

from ui.state import client, pick, tr
from ui.views.rule_editor import rule_editor

CHECKERS = {"rep", "manager", "legal_compliance", "admin", "integration"}
RULE_READERS = {"legal_compliance", "manager", "admin"}
EDITORS = {"legal_compliance", "admin"}
ALERT_READERS = {"legal_compliance", "manager", "admin", "integration"}
RISK_COLOURS = {"high": "red", "medium": "orange", "low": "blue"}


def findings(report: dict[str, Any]) -> None:
    """Each finding with its legal basis and the action it requires."""
    if report.get("passed"):
        st.success(f"{report.get('contract_id')}: {tr('passed')}", icon=":material/check_circle:")
    else:
        st.error(
            f"{report.get('contract_id')}: {tr('failed')} ({len(report.get('findings', []))})",
            icon=":material/block:",
        )
    for f in report.get("findings", []):
        basis = f.get("legal_basis") or {}
        with st.container(border=True):
            with st.container(horizontal=True):
                st.badge(tr("risk_" + f.get("risk", "")), color=RISK_COLOURS.get(f.get("risk", ""), "gray"))  # type: ignore[arg-type]
                st.badge(tr("mode_" + f.get("check_mode", "")), color="gray")
                st.markdown(f"`{f.get('code')}`")
            st.markdown(f"**{pick(f.get('title'))}**")
            st.markdown(pick(f.get("message")))
            st.markdown(f":material/arrow_forward: **{tr('required_action')}**: {pick(f.get('action'))}")
            st.markdown(
                f":material/gavel: **{tr('legal_basis')}**: {basis.get('law', '')} {basis.get('article', '')}"
            )
            st.caption(basis.get("summary", ""))
            with st.expander(f"{tr('evidence')} · {f.get('rule_id')} v{f.get('rule_version')}"):
                st.json(f.get("evidence") or {})
    if report.get("rules_evaluated"):
        st.caption(f"{tr('rules_evaluated')}: {', '.join(report['rules_evaluated'])}")


def _check(payload: dict[str, Any]) -> None:
    st.session_state["compliance_report"] = client().post("/v1/compliance/check", payload)


def _upload() -> None:
    upload = st.file_uploader(tr("upload_json"), type=["json"], key="contract-json")
    if upload is None:
        return
    try:
        payload = json.loads(upload.getvalue().decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        st.error(f"{tr('bad_json')}: {exc}")
        return
    if not isinstance(payload, dict):
        st.error(tr("bad_json"))
        return
    if st.button(tr("check_uploaded"), key="check-upload", type="primary"):
        _check(payload)


def _form() -> None:
    api = client()
    customers = api.get("/v1/customers").get("data", [])
    products = [p["id"] for p in api.get("/v1/products").get("data", [])]
    with st.form("contract"):
        c1, c2, c3 = st.columns(3)
        contract_id = c1.text_input(tr("contract_id"), "C-DRAFT-001")
        cust = c2.selectbox(
            tr("customer"), customers, format_func=lambda c: f"{c['name_zh']} · {c['id']}", key="cc-customer"
        )
        signed_on = c3.date_input(tr("signed_on"), dt.date(2026, 11, 30))
        total = st.number_input(tr("total_amount"), min_value=1.0, value=100000.0, step=1000.0)
        st.caption(tr("lines"))
        lines = st.data_editor(
            pd.DataFrame([{"product_id": "HMT-DES-01", "quantity": 100, "unit_price": 780.0}]),
            num_rows="dynamic",
            key="cc-lines",
            column_config={
                "product_id": st.column_config.SelectboxColumn(
                    tr("product"), options=products, required=True
                ),
                "quantity": st.column_config.NumberColumn(tr("quantity"), min_value=1, step=1),
                "unit_price": st.column_config.NumberColumn(tr("unit_price"), min_value=0.0),
            },
        )
        st.caption(tr("gifts"))
        gifts = st.data_editor(
            pd.DataFrame([{"name": "学术会议资料包", "value": 2000.0}]),
            num_rows="dynamic",
            key="cc-gifts",
            column_config={
                "name": st.column_config.TextColumn(tr("gift_name")),
                "value": st.column_config.NumberColumn(tr("gift_value"), min_value=0.0),
            },
        )
        declaration = st.checkbox(tr("declaration"), value=True)
        submitted = st.form_submit_button(tr("check_contract"), type="primary")
    if submitted and cust:
        _check(
            {
                "contract_id": contract_id,
                "customer_id": cust["id"],
                "signed_on": signed_on.isoformat(),
                "total_amount": total,
                "currency": "CNY",
                "lines": lines.dropna().to_dict("records"),
                "gifts": gifts.dropna().to_dict("records"),
                "attachments": [{"kind": "compliance_declaration"}] if declaration else [],
            }
        )


def check_tab() -> None:
    how = st.segmented_control(
        tr("check_contract"),
        ["form", "json"],
        format_func=lambda k: tr("by_" + k),
        default="form",
        key="cc-how",
    )
    if how == "json":
        _upload()
    else:
        _form()
    report = st.session_state.get("compliance_report")
    if report:
        findings(report)


def _weeks(since: str, until: str) -> list[str]:
    """Every ISO week from `since` to `until`, so quiet weeks show as quiet, not missing."""
    day = dt.date.fromisoformat(since)
    day -= dt.timedelta(days=day.weekday())
    end = dt.date.fromisoformat(until)
    out: list[str] = []
    while day <= end:
        year, week, _ = day.isocalendar()
        out.append(f"{year}-W{week:02d}")
        day += dt.timedelta(days=7)
    return out


def heatmap_chart(weeks: int = 52) -> None:
    """Findings per province (rows) and ISO week (columns), every week of the window shown."""
    data = client().get("/v1/compliance/heatmap", weeks=weeks)
    st.markdown(f"**{tr('heatmap')}** · {data['since']} → {data['until']}")
    cells = data.get("cells", [])
    if not cells:
        st.caption(tr("no_findings"))
        return
    df = pd.DataFrame(cells)
    pivot = df.pivot_table(index="province", columns="week", values="count", aggfunc="sum", fill_value=0)
    pivot = pivot.reindex(columns=_weeks(data["since"], data["until"]), fill_value=0)
    fig = px.imshow(
        pivot,
        color_continuous_scale="Reds",
        aspect="auto",
        zmin=0,
        labels={"color": tr("findings"), "x": tr("week"), "y": tr("region")},
    )
    fig.update_layout(height=260, margin={"t": 10, "b": 10, "l": 10, "r": 10})
    st.plotly_chart(fig, key=f"heatmap-{weeks}")
    by_rule = df.groupby(["province", "rule_id"], as_index=False)["count"].sum()
    by_rule.columns = [tr("region"), tr("rule_title"), tr("findings")]
    st.dataframe(by_rule, hide_index=True)


def _alerts() -> None:
    status = st.segmented_control(
        tr("status"), ["open", "acknowledged", "closed"], format_func=tr, default="open", key="al-status"
    )
    rows = client().get("/v1/compliance/alerts", status=status).get("data", [])
    if not rows:
        st.caption(tr("empty"))
        return
    cols = ["item_id", "risk", "title", "province", "occurred_on", "status", "rule_id"]
    st.dataframe(pd.DataFrame(rows)[cols], hide_index=True)
    st.caption(tr("alerts_hint"))


def _rules(me: dict[str, Any]) -> None:
    rules = client().get("/v1/compliance/rules").get("data", [])
    table = [
        {
            "id": r["id"],
            tr("rule_title"): pick(r["title"]),
            "v": r["version"],
            tr("status"): tr(r["status"]),
            tr("risk"): tr("risk_" + r["risk"]),
            tr("check_mode"): tr("mode_" + r["check_mode"]),
            tr("applies_to"): r["applies_to"],
        }
        for r in rules
    ]
    st.dataframe(pd.DataFrame(table), hide_index=True)
    chosen = st.selectbox(
        tr("open_rule"),
        [r["id"] for r in rules],
        index=None,
        key="rule-pick",
        format_func=lambda rid: f"{rid} · {next(pick(r['title']) for r in rules if r['id'] == rid)}",
    )
    if chosen:
        rule_editor(chosen, editable=me.get("role") in EDITORS)


def _scan() -> None:
    if st.button(tr("scan"), key="scan", icon=":material/search:"):
        with st.spinner(tr("scanning")):
            report = client().post("/v1/compliance/scan")
        st.success(tr("scan_done").format(**report))


def render(me: dict[str, Any]) -> None:
    st.header(tr("page_compliance"))
    role = me.get("role")
    tabs: list[str] = []
    if role in CHECKERS:
        tabs.append("check_contract")
    if role in RULE_READERS:
        tabs.append("rules")
    if role in ALERT_READERS:
        tabs += ["alerts", "heatmap"]
    for name, tab in zip(tabs, st.tabs([tr(t) for t in tabs]), strict=True):
        with tab:
            if name == "check_contract":
                check_tab()
            elif name == "rules":
                _rules(me)
            elif name == "alerts":
                _alerts()
            else:
                if role in EDITORS:
                    _scan()
                heatmap_chart()
