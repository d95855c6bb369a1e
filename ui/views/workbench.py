"""Workbench: the role's inbox; acknowledge an item, close it with a note of what was done."""

from __future__ import annotations

from typing import Any

import streamlit as st

from ui.client import ApiError
from ui.state import client, goto, pick, show_error, side, tr

BENCHES = ["sales", "marketing", "medical_affairs", "legal_compliance", "manager"]
OVERSEERS = {"manager", "admin", "integration"}
ACTORS = {"rep", "manager", "marketing", "medical_affairs", "legal_compliance", "admin"}
STATUSES = ["active", "open", "acknowledged", "closed"]
STATUS_COLOURS = {"open": "red", "acknowledged": "orange", "closed": "green"}


def _act(path: str, body: dict[str, Any] | None = None) -> None:
    try:
        client().post(path, body)
    except ApiError as exc:
        show_error(exc, retry_key=f"retry-{path}")
        return
    st.toast(tr("saved"))
    st.rerun()


def _body(item: dict[str, Any]) -> None:
    body = item.get("body") or {}
    lines = []
    for key in ("question", "answer", "action", "customer_id", "visit_id", "theme", "count", "risk"):
        value = body.get(key)
        if value:
            lines.append(f"- **{key}**: {pick(value) if isinstance(value, dict) else value}")
    if lines:
        st.markdown("\n".join(lines))
    if body:
        with st.expander(tr("details")):
            st.json(body)
    if body.get("pack_id") and st.button(
        tr("open_pack"), key=f"pack-{item['id']}", icon=":material/attach_file:"
    ):
        goto("page_pack", open_pack_id=body["pack_id"])


def _item(item: dict[str, Any], can_act: bool) -> None:
    iid = item["id"]
    with st.container(border=True):
        st.markdown(f"**#{iid} {side(item['title'])}**")
        with st.container(horizontal=True):
            st.badge(tr(item["status"]), color=STATUS_COLOURS.get(item["status"], "gray"))  # type: ignore[arg-type]
            st.badge(f"{tr('bench_' + item['workbench'])} · {item['kind']}", color="blue")
            if item.get("overdue"):
                st.badge(tr("overdue"), color="red", icon=":material/alarm:")
        due = (item.get("sla_due") or "")[:16].replace("T", " ")
        st.caption(
            f"{item['created_at'][:16].replace('T', ' ')} · {tr('sla_due')} {due} · {item.get('province') or ''}"
        )
        _body(item)
        if item.get("close_note"):
            st.markdown(f":material/check_circle: {item['close_note']} ({item.get('closed_by') or ''})")
        if not can_act or item["status"] == "closed":
            return
        with st.container(horizontal=True, vertical_alignment="bottom"):
            if item["status"] == "open" and st.button(
                tr("acknowledge"), key=f"ack-{iid}", icon=":material/visibility:"
            ):
                _act(f"/v1/workbench/items/{iid}/ack")
            note = st.text_input(tr("close_note"), key=f"note-{iid}", placeholder=tr("close_note_hint"))
            if st.button(tr("close"), key=f"close-{iid}", icon=":material/done:"):
                if note.strip():
                    _act(f"/v1/workbench/items/{iid}/close", {"note": note.strip()})
                else:
                    st.warning(tr("note_needed"))


def render(me: dict[str, Any]) -> None:
    st.header(tr("page_workbench"))
    role = me.get("role")
    bench = None
    if role in OVERSEERS:
        bench = st.selectbox(
            tr("workbench"),
            [None, *BENCHES],
            format_func=lambda b: tr("all") if b is None else tr("bench_" + b),
            key="wb-bench",
        )
    status = st.segmented_control(tr("status"), STATUSES, format_func=tr, default="active", key="wb-status")
    data = client().get("/v1/workbench/items", workbench=bench, status=status, limit=100)
    totals: dict[str, int] = {}
    for counts in data.get("counts", {}).values():
        for k, v in counts.items():
            totals[k] = totals.get(k, 0) + v
    cols = st.columns(3)
    for col, key in zip(cols, ("open", "acknowledged", "closed"), strict=True):
        col.metric(tr(key), totals.get(key, 0))
    items = data.get("data", [])
    if not items:
        st.caption(tr("empty"))
    for item in items:
        _item(item, role in ACTORS)
