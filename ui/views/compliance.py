"""Compliance: check a contract, browse and edit rules (business people), alerts and heat map."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pandas as pd
import plotly.express as px
import streamlit as st

from ui.state import client, lang, tr


def _findings(report: dict[str, Any]) -> None:
    ok = report.get("passed")
    (st.success if ok else st.error)(tr("passed") if ok else tr("failed"))
    zh = lang() == "zh"
    for f in report.get("findings", []):
        basis = f.get("legal_basis") or {}
        basis_text = basis if isinstance(basis, str) else f"{basis.get('law', '')} {basis.get('article', '')}"
        with st.container(border=True):
            st.markdown(f"**{f.get('code')}** · {f.get('risk')} · {f.get('check_mode', '')}")
            st.markdown(f.get("message_zh" if zh else "message_en") or f.get("message", ""))
            st.caption(f"{basis_text} · {f.get('rule_id')} v{f.get('rule_version', '')}")
            if f.get("required_action"):
                st.markdown(f"➡️ {f['required_action']}")
            if f.get("evidence"):
                st.json(f["evidence"], expanded=False)


def _check_form() -> None:
    st.subheader(tr("check_contract"))
    upload = st.file_uploader(tr("upload_json"), type=["json"])
    if upload is not None:
        try:
            payload = json.loads(upload.getvalue().decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            st.error(f"JSON: {exc}")
            return
        _findings(client().post("/v1/compliance/check", payload))
        return
    with st.form("contract"):
        c1, c2, c3 = st.columns(3)
        contract_id = c1.text_input("contract_id", "C-DRAFT-001")
        customer_id = c2.text_input("customer_id", "H-ZJ-001")
        signed_on = c3.date_input("signed_on", dt.date(2026, 11, 30))
        total = st.number_input("total_amount (CNY)", min_value=0.0, value=100000.0, step=1000.0)
        lines = st.data_editor(
            pd.DataFrame([{"product_id": "HMT-DES-01", "quantity": 100, "unit_price": 780.0}]),
            num_rows="dynamic",
            key="lines",
        )
        gifts = st.data_editor(
            pd.DataFrame([{"name": "学术会议资料包", "value": 2000.0}]), num_rows="dynamic", key="gifts"
        )
        declaration = st.checkbox("compliance_declaration", value=True)
        if st.form_submit_button(tr("check_contract")):
            payload = {
                "contract_id": contract_id,
                "customer_id": customer_id,
                "signed_on": signed_on.isoformat(),
                "total_amount": total,
                "currency": "CNY",
                "lines": lines.dropna().to_dict("records"),
                "gifts": gifts.dropna().to_dict("records"),
                "attachments": [{"kind": "compliance_declaration"}] if declaration else [],
            }
            _findings(client().post("/v1/compliance/check", payload))


def _rule_editor(rule: dict[str, Any]) -> None:
    api = client()
    rid = rule["id"]
    body = rule.get("body", rule)
    st.caption(f"{rule.get('status')} · v{rule.get('version')} · {body.get('applies_to')}")
    basis = body.get("legal_basis", {})
    st.markdown(f"**{basis.get('law', '')} {basis.get('article', '')}**: {basis.get('summary', '')}")
    table = (body.get("condition") or {}).get("table") or (body.get("condition") or {}).get("rules")
    edited = body
    if isinstance(table, list) and table and isinstance(table[0], dict):
        st.caption(tr("decision_table"))
        grid = st.data_editor(pd.DataFrame(table), num_rows="dynamic", key=f"grid-{rid}")
        edited = {
            **body,
            "condition": {
                **body["condition"],
                "table" if "table" in body["condition"] else "rules": grid.to_dict("records"),
            },
        }
    text = st.text_area(
        "rule (JSON)", json.dumps(edited, ensure_ascii=False, indent=2), height=240, key=f"json-{rid}"
    )
    c1, c2, c3, c4 = st.columns(4)
    if c1.button(tr("save_draft"), key=f"save-{rid}"):
        st.json(api.request("PUT", f"/v1/compliance/rules/{rid}", json={"body": json.loads(text)}))
    if c2.button(tr("run_examples"), key=f"ex-{rid}"):
        st.json(api.post(f"/v1/compliance/rules/{rid}/examples"))
    if c3.button(tr("simulate"), key=f"sim-{rid}"):
        st.json(api.post(f"/v1/compliance/rules/{rid}/simulate", {"days": 90}))
    if c4.button(tr("activate"), key=f"act-{rid}"):
        st.json(api.post(f"/v1/compliance/rules/{rid}/activate"))


def heatmap_chart() -> None:
    cells = client().get("/v1/compliance/heatmap").get("cells", [])
    if not cells:
        st.caption(tr("empty"))
        return
    df = pd.DataFrame(cells)
    pivot = df.pivot_table(index="region", columns="week", values="count", aggfunc="sum", fill_value=0)
    st.plotly_chart(px.imshow(pivot, text_auto=True, aspect="auto", title=tr("heatmap")), width="stretch")


def render(me: dict[str, Any]) -> None:
    st.header(tr("page_compliance"))
    tabs = st.tabs([tr("check_contract"), tr("rules"), tr("alerts"), tr("heatmap")])
    with tabs[0]:
        _check_form()
    with tabs[1]:
        rules = client().get("/v1/compliance/rules").get("data", [])
        zh = lang() == "zh"
        for rule in rules:
            body = rule.get("body", rule)
            title = (body.get("title") or {}).get("zh" if zh else "en", rule["id"])
            with st.expander(f"{rule['id']} · {title} · {body.get('risk', '')}"):
                if me.get("role") in {"legal_compliance", "admin"}:
                    _rule_editor(rule)
                else:
                    st.json(body, expanded=False)
    with tabs[2]:
        alerts = client().get("/v1/compliance/alerts").get("data", [])
        st.dataframe(pd.DataFrame(alerts), hide_index=True, width="stretch") if alerts else st.caption(
            tr("empty")
        )
    with tabs[3]:
        heatmap_chart()
