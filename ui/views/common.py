"""Small widgets shared by several views."""

from __future__ import annotations

from typing import Any

import streamlit as st

from ui.state import client, tr


def sources_block(sources: list[dict[str, Any]], key: str) -> None:
    """Citations; a document chunk opens its text, a record shows its table and key."""
    if not sources:
        return
    with st.expander(f"{tr('sources')} ({len(sources)})"):
        for i, src in enumerate(sources):
            label = src.get("title") or f"{src.get('ref')}:{src.get('id')}"
            detail = src.get("detail") or ""
            if src.get("kind") == "chunk":
                with st.popover(f"📄 {label} {detail}", key=f"{key}-src-{i}"):
                    st.caption(f"{src.get('ref')} · {src.get('id')}")
                    text = src.get("text") or src.get("snippet")
                    if text:
                        st.markdown(text)
            else:
                st.markdown(
                    f"🗂️ `{src.get('ref')}` **{src.get('id')}** {label if label != src.get('id') else ''} {detail}"
                )


def judge_buttons(
    kind: str, source_type: str, source_id: str, text: str, key: str, recommendation_id: str | None = None
) -> None:
    """Adopted / rejected / invalid with a reason: the reps' judgement of a suggestion."""
    cols = st.columns([1, 1, 1, 3])
    reason = cols[3].text_input(
        tr("reason"), key=f"{key}-reason", label_visibility="collapsed", placeholder=tr("reason")
    )
    for col, judgement in zip(cols[:3], ("adopted", "rejected", "invalid"), strict=True):
        label = {"adopted": tr("adopt"), "rejected": tr("reject"), "invalid": tr("invalid")}[judgement]
        if col.button(label, key=f"{key}-{judgement}"):
            client().post(
                "/v1/recommendations/judgements",
                {
                    "recommendation_id": recommendation_id,
                    "kind": kind,
                    "source_type": source_type,
                    "source_id": source_id,
                    "text": text[:2000],
                    "judgement": judgement,
                    "reason": reason or None,
                },
            )
            st.toast(tr("saved"))
