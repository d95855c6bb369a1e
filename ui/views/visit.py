"""Visit feedback: record a visit, then answer 3 multiple-choice questions in a few taps."""

from __future__ import annotations

import datetime as dt
from typing import Any

import streamlit as st

from ui.state import client, lang, tr


def _record_form() -> None:
    customers = client().get("/v1/customers").get("data", [])
    products = client().get("/v1/products").get("data", [])
    with st.form("visit"):
        cust = st.selectbox(tr("customer"), customers, format_func=lambda c: f"{c['name_zh']} ({c['id']})")
        prod = st.selectbox(
            tr("product"),
            [None, *products],
            format_func=lambda p: "—" if p is None else f"{p['name_zh']} ({p['id']})",
        )
        day = st.date_input(tr("visit_date"), dt.date.today())
        people = st.text_input(tr("people_met"))
        note = st.text_area(tr("note"))
        if st.form_submit_button(tr("submit"), type="primary") and cust:
            st.session_state["visit"] = client().post(
                "/v1/visits",
                {
                    "customer_id": cust["id"],
                    "product_id": prod["id"] if prod else None,
                    "visit_date": day.isoformat(),
                    "people_met": [p.strip() for p in people.split(",") if p.strip()],
                    "note": note,
                },
            )
            st.rerun()


def _questions(visit: dict[str, Any]) -> None:
    zh = lang() == "zh"
    st.subheader(tr("questions"))
    answers: dict[str, str] = {}
    for q in visit.get("questions", []):
        options = q.get("options", [])
        choice = st.radio(
            q.get("text_zh" if zh else "text_en") or q.get("text", q["id"]),
            options,
            format_func=lambda o: o.get("text_zh" if zh else "text_en") or o.get("text", o["id"]),
            index=None,
            key=f"q-{visit['id']}-{q['id']}",
        )
        if choice:
            answers[q["id"]] = choice["id"]
    if st.button(
        tr("submit"),
        type="primary",
        disabled=len(answers) < len(visit.get("questions", [])),
        key="answer-submit",
    ):
        result = client().post(
            f"/v1/visits/{visit['id']}/feedback",
            {
                "answers": [{"question_id": q, "option_id": o} for q, o in answers.items()],
            },
        )
        routed = result.get("routed") or result.get("work_items") or []
        st.success(f"{tr('routed')}: {len(routed)}")
        for item in routed:
            st.markdown(f"- {item.get('workbench')}: {item.get('title')}")
        st.session_state.pop("visit", None)


def render(me: dict[str, Any]) -> None:
    st.header(tr("page_visit"))
    visit = st.session_state.get("visit")
    if visit:
        _questions(visit)
    else:
        _record_form()
