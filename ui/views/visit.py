"""Visit feedback, phone first: record the visit, then 3 one-tap questions, then who acts on them.

One column, no tables, big radio targets and the optional fields folded away, so a rep can do
it standing in a hospital corridor.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from ui.state import client, lang, pick, tr


def _record() -> None:
    api = client()
    customers = api.get("/v1/customers").get("data", [])
    products = api.get("/v1/products").get("data", [])
    name = "name_zh" if lang() == "zh" else "name_en"
    with st.form("visit-form"):
        cust = st.selectbox(
            tr("customer"),
            customers,
            format_func=lambda c: c[name],
            index=None,
            placeholder=tr("type_to_search"),
            filter_mode="contains",
            key="v-customer",
        )
        prod = st.selectbox(
            tr("product"),
            products,
            format_func=lambda p: p[name],
            index=None,
            placeholder=tr("optional"),
            key="v-product",
        )
        people = st.text_input(tr("people_met"), placeholder=tr("people_hint"), key="v-people")
        with st.expander(tr("more")):
            day = st.date_input(tr("visit_date"), value=None, key="v-date")
            note = st.text_area(tr("note"), key="v-note", placeholder=tr("note_hint"))
        submitted = st.form_submit_button(tr("next"), type="primary", width="stretch")
    if not submitted:
        return
    if not cust:
        st.warning(tr("pick_customer"))
        return
    st.session_state["visit"] = api.post(
        "/v1/visits",
        {
            "customer_id": cust["id"],
            "product_id": prod["id"] if prod else None,
            "visit_date": day.isoformat() if day else None,
            "people_met": [p.strip() for p in people.replace("，", ",").split(",") if p.strip()],
            "note": note,
        },
    )
    st.rerun()


def _questions(visit: dict[str, Any]) -> None:
    st.caption(f"{visit['visit_id']} · {visit['customer_id']} · {visit['visit_date']}")
    if visit.get("redactions"):
        st.info(f"{tr('redacted')}: {', '.join(visit['redactions'])}", icon=":material/shield:")
    st.subheader(tr("questions"))
    answers: dict[str, str] = {}
    questions = visit.get("questions", [])
    for n, q in enumerate(questions, 1):
        options = {o["id"]: pick(o["text"]) for o in q.get("options", [])}
        choice = st.radio(
            f"{n}. {pick(q['text'])}",
            list(options),
            format_func=options.__getitem__,
            index=None,
            key=f"q-{visit['visit_id']}-{q['id']}",
        )
        if choice:
            answers[q["id"]] = choice
    done = len(answers) == len(questions)
    if st.button(tr("submit"), type="primary", disabled=not done, key="answer-submit", width="stretch"):
        receipt = client().post(
            f"/v1/visits/{visit['visit_id']}/feedback",
            {"answers": [{"question_id": q, "option_id": o} for q, o in answers.items()]},
        )
        st.session_state["visit_receipt"] = receipt
        st.session_state.pop("visit", None)
        st.rerun()
    if st.button(tr("cancel"), key="visit-cancel", type="tertiary"):
        st.session_state.pop("visit", None)
        st.rerun()


def _receipt(receipt: dict[str, Any]) -> None:
    st.success(tr("thanks"), icon=":material/check_circle:")
    for a in receipt.get("answers", []):
        if a.get("team"):
            owner = f" · {a['owner_id']}" if a.get("owner_id") else ""
            st.markdown(
                f":material/send: **{tr('bench_' + a['team'])}**{owner} · #{a.get('work_item_id')} · `{a['theme']}`"
            )
        else:
            st.markdown(f":material/remove: `{a['question_id']}`: {tr('no_action')}")
    for e in receipt.get("escalations", []):
        st.warning(
            f":material/arrow_upward: {tr('escalated')}: {tr('bench_' + e['workbench'])} #{e['work_item_id']} · `{e['theme']}`"
        )
    if st.button(tr("another_visit"), key="visit-again", type="primary", width="stretch"):
        st.session_state.pop("visit_receipt", None)
        st.rerun()


def render(me: dict[str, Any]) -> None:
    st.header(tr("page_visit"))
    receipt = st.session_state.get("visit_receipt")
    visit = st.session_state.get("visit")
    if receipt:
        _receipt(receipt)
    elif visit:
        _questions(visit)
    else:
        _record()
