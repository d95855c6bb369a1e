"""Workbench: the role's inbox; acknowledge and close items."""

from __future__ import annotations

from typing import Any

import streamlit as st

from ui.state import client, tr

ROLE_BENCH = {
    "rep": "sales",
    "manager": "manager",
    "marketing": "marketing",
    "medical_affairs": "medical_affairs",
    "legal_compliance": "legal_compliance",
}


def render(me: dict[str, Any]) -> None:
    st.header(tr("page_workbench"))
    benches = list(dict.fromkeys(ROLE_BENCH.values()))
    bench = ROLE_BENCH.get(me.get("role", ""))
    if bench is None:
        bench = st.selectbox("workbench", benches)
    status = st.segmented_control("status", ["open", "acknowledged", "closed"], default="open")
    items = client().get("/v1/workbench/items", workbench=bench, status=status).get("data", [])
    if not items:
        st.caption(tr("empty"))
    for item in items:
        with st.container(border=True):
            st.markdown(
                f"**{item.get('title')}**  \n`{item.get('kind')}` · {item.get('status')} · {item.get('created_at', '')[:16]}"
            )
            body = item.get("body") or {}
            if body:
                st.json(body, expanded=False)
            c1, c2, c3 = st.columns([1, 3, 1])
            if item.get("status") == "open" and c1.button(tr("acknowledge"), key=f"ack-{item['id']}"):
                client().post(f"/v1/workbench/items/{item['id']}/ack")
                st.rerun()
            if item.get("status") != "closed":
                note = c2.text_input(
                    tr("close_note"),
                    key=f"note-{item['id']}",
                    label_visibility="collapsed",
                    placeholder=tr("close_note"),
                )
                if c3.button(tr("close"), key=f"close-{item['id']}"):
                    client().post(f"/v1/workbench/items/{item['id']}/close", {"note": note})
                    st.rerun()
