"""Chat: streamed answers with each agent's and tool's step shown as it happens."""

from __future__ import annotations

from typing import Any

import streamlit as st

from ui.state import client, tr
from ui.views.common import judge_buttons, sources_block

STEP_ICONS = {
    "agent_started": "🧭",
    "tool_called": "🔧",
    "tool_result": "📦",
    "artifact": "📎",
    "notice": "⚠️",
}


def _threads_sidebar() -> None:
    with st.sidebar:
        st.subheader(tr("threads"))
        if st.button(tr("new_thread"), key="new-thread"):
            st.session_state.pop("thread_id", None)
            st.session_state["messages"] = []
        for th in client().get("/v1/threads").get("data", [])[:20]:
            if st.button(th.get("title") or th["id"][:8], key=f"th-{th['id']}"):
                st.session_state["thread_id"] = th["id"]
                st.session_state["messages"] = client().get(f"/v1/threads/{th['id']}").get("messages", [])


def _show(msg: dict[str, Any], idx: int) -> None:
    with st.chat_message(msg["role"]):
        st.markdown(msg["content"])
        if msg["role"] == "assistant":
            sources_block(msg.get("sources", []), key=f"m{idx}")
            judge_buttons(
                "next_step",
                "chat",
                f"{st.session_state.get('thread_id')}:{idx}",
                msg["content"],
                key=f"judge-{idx}",
            )


def ask(text: str) -> None:
    """Send one turn and render its events live."""
    api = client()
    if "thread_id" not in st.session_state:
        st.session_state["thread_id"] = api.post("/v1/threads", {"title": text[:40]})["id"]
    messages = st.session_state.setdefault("messages", [])
    messages.append({"role": "user", "content": text})
    with st.chat_message("user"):
        st.markdown(text)
    with st.chat_message("assistant"):
        status = st.status(tr("thinking"), expanded=False)
        placeholder = st.empty()
        answer, result = "", {}
        for ev in api.stream(f"/v1/threads/{st.session_state['thread_id']}/runs", {"input": text}):
            if ev.event in STEP_ICONS:
                name = ev.data.get("agent") or ev.data.get("tool") or ev.data.get("name") or ""
                status.write(f"{STEP_ICONS[ev.event]} {ev.event} {name}")
            elif ev.event == "token":
                answer += ev.data.get("text", "")
                placeholder.markdown(answer)
            elif ev.event == "done":
                result = ev.data
            elif ev.event == "error":
                status.update(label=ev.data.get("message", "error"), state="error")
                return
        status.update(label=tr("done"), state="complete")
        answer = result.get("answer", answer)
        placeholder.markdown(answer)
    messages.append({"role": "assistant", "content": answer, "sources": result.get("sources", [])})
    st.rerun()


def render(me: dict[str, Any]) -> None:
    st.header(tr("page_chat"))
    _threads_sidebar()
    for i, msg in enumerate(st.session_state.get("messages", [])):
        _show(msg, i)
    pending = st.session_state.pop("pending_question", None)
    text = st.chat_input(tr("ask_placeholder")) or pending
    if text:
        ask(text)
