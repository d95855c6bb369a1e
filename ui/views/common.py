"""Small widgets shared by several views: citations that open, judgement buttons, number parsing."""

from __future__ import annotations

import re
from typing import Any

import streamlit as st

from ui.client import ApiError
from ui.state import client, pick, show_error, tr

JUDGEMENTS = ("adopted", "rejected", "invalid")
JUDGE_ICONS = {
    "adopted": ":material/thumb_up:",
    "rejected": ":material/thumb_down:",
    "invalid": ":material/block:",
}


def number(text: Any) -> float | None:
    """The first number in a figure as shown ("6,800", "5,600 元（最低报价）", "21.4%")."""
    if isinstance(text, int | float):
        return float(text)
    m = re.search(r"-?\d[\d,]*(?:\.\d+)?", str(text or ""))
    return float(m.group(0).replace(",", "")) if m else None


def _chunk_text(chunk_id: str) -> dict[str, Any]:
    cache: dict[str, dict[str, Any]] = st.session_state.setdefault("chunk_cache", {})
    if chunk_id not in cache:
        cache[chunk_id] = client().get(f"/v1/knowledge/chunks/{chunk_id}")
    return cache[chunk_id]


def _open_chunk(src: dict[str, Any], key: str) -> None:
    title = src.get("title") or src.get("ref")
    label = f":material/article: {title}" + (f" › {src['detail']}" if src.get("detail") else "")
    pop = st.popover(label, key=key, on_change="rerun", width="stretch")
    if not pop.open:
        return
    with pop:
        try:
            hit = _chunk_text(str(src.get("id")))
        except ApiError as exc:
            show_error(exc, retry_key=f"{key}-retry")
            return
        st.caption(hit.get("citation") or src.get("id"))
        st.markdown(hit.get("text", ""))


def record_label(src: dict[str, Any]) -> str:
    title = f" {src['title']}" if src.get("title") else ""
    detail = f" · {src['detail']}" if src.get("detail") else ""
    return f":material/table_rows: `{src.get('ref')}:{src.get('id')}`{title}{detail}"


def sources_block(sources: list[dict[str, Any]], key: str, expanded: bool = False) -> None:
    """Citations: a document chunk opens its text (fetched when opened), a record names its row."""
    if not sources:
        return
    chunks = [s for s in sources if s.get("kind") == "chunk"]
    records = [s for s in sources if s.get("kind") != "chunk"]
    with st.expander(f"{tr('sources')} ({len(sources)})", expanded=expanded, icon=":material/menu_book:"):
        for i, src in enumerate(chunks):
            _open_chunk(src, key=f"{key}-src-{i}")
        if records:
            st.markdown("  \n".join(record_label(s) for s in records))


def judge_buttons(
    key: str,
    *,
    recommendation_id: str | None = None,
    kind: str = "next_step",
    source_type: str = "chat",
    source_id: str = "",
    text: str = "",
) -> None:
    """Adopted / rejected / invalid (with a reason): the rep's judgement of one suggestion."""
    judged: dict[str, str] = st.session_state.setdefault("judged", {})
    if key in judged:
        st.caption(f":material/check_circle: {tr('saved')}: {tr(judged[key])}")
        return
    with st.container(horizontal=True, key=f"{key}-row", vertical_alignment="center"):
        clicked = [j for j in JUDGEMENTS if st.button(tr(j), key=f"{key}-{j}", icon=JUDGE_ICONS[j])]
        reason = st.text_input(
            tr("reason"), key=f"{key}-reason", label_visibility="collapsed", placeholder=tr("reason_hint")
        )
    if not clicked:
        return
    judgement = clicked[0]
    if judgement == "invalid" and not reason.strip():
        st.warning(tr("reason_needed"))
        return
    body: dict[str, Any] = {"judgement": judgement, "reason": reason.strip() or None}
    if recommendation_id:
        body["recommendation_id"] = recommendation_id
    else:
        body.update(kind=kind, source_type=source_type, source_id=source_id[:64], text=text[:2000])
    try:
        client().post("/v1/recommendations/judgements", body)
    except ApiError as exc:
        show_error(exc, retry_key=f"{key}-retry")
        return
    judged[key] = judgement
    st.toast(f"{tr('saved')}: {tr(judgement)}")
    st.rerun()


def bilingual(value: Any) -> str:
    return pick(value) if isinstance(value, dict) else str(value or "")
