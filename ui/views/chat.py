"""Chat: the answer streams in while each agent's and tool's step shows as it happens.

A turn is one `POST /v1/threads/{id}/runs` read as server-sent events: `agent_started`,
`tool_called`, `tool_result`, `artifact` and `notice` go into an `st.status` box, `token` grows
the answer, `done` carries the full result (answer, sources, artifacts, guard decision).
"""

from __future__ import annotations

import json
import re
from typing import Any

import streamlit as st

from ui.client import ApiError
from ui.state import client, error_text, goto, pick, tr
from ui.views.common import judge_buttons, sources_block

CITATION = re.compile(r"\[([A-Za-z0-9_.-]+:c\d+)\]")


def tidy(answer: str) -> str:
    """Markdown as it should render: a table written as a list item becomes a table (a citation
    in an extra cell moves below it), and a chunk citation `[doc:c003]` becomes a badge (the
    sources box below the answer opens it)."""
    lines: list[str] = []
    moved: list[str] = []
    width = 0  # cells in the current table's header row
    for line in [*answer.splitlines(), ""]:
        if line.startswith("- |"):
            line = line[2:]
            if lines and not lines[-1].startswith("|"):
                lines.append("")
        if line.startswith("|"):
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            width = width or len(cells)
            if len(cells) > width and CITATION.fullmatch(cells[-1]):
                moved.append(cells[-1])
                line = "| " + " | ".join(cells[:-1]) + " |"
        else:
            width = 0
            if moved:
                lines += ["", " ".join(moved)]
                moved = []
        lines.append(line)
    return CITATION.sub(r":blue-badge[\1]", "\n".join(lines).rstrip("\n"))


def _agent(name: Any) -> str:
    return tr(f"agent_{name}") if name else ""


def step_text(event: str, data: dict[str, Any]) -> str | None:
    """One line for the steps box, or None for events that are not steps."""
    if event == "agent_started":
        return f":material/explore: {_agent(data.get('agent'))} · {tr('step_agent')}"
    if event == "tool_called":
        args = json.dumps(data.get("args") or {}, ensure_ascii=False)
        return f":material/build: {_agent(data.get('agent'))} → `{data.get('tool')}` {args[:160]}"
    if event == "tool_result":
        ok = ":material/check_circle:" if data.get("ok", True) else ":material/cancel:"
        return f":material/inventory_2: `{data.get('tool')}` {ok} · {tr('sources')} {data.get('sources', 0)}"
    if event == "artifact":
        return f":material/attach_file: {data.get('type', 'artifact')} {data.get('id', '')}"
    if event == "notice":
        return f":material/warning: {data.get('text') or data.get('message') or ''}"
    return None


def _threads_sidebar() -> None:
    with st.sidebar:
        st.divider()
        st.markdown(f"**{tr('threads')}**")
        if st.button(tr("new_thread"), key="new-thread", icon=":material/add:", width="stretch"):
            st.session_state.pop("thread_id", None)
            st.session_state["messages"] = []
            st.rerun()
        current = st.session_state.get("thread_id")
        for th in client().get("/v1/threads", limit=20).get("data", []):
            label = th.get("title") or th["id"][-8:]
            if st.button(
                label[:28],
                key=f"th-{th['id']}",
                type="primary" if th["id"] == current else "tertiary",
                width="stretch",
            ):
                open_thread(th["id"])


def open_thread(thread_id: str) -> None:
    history = client().get(f"/v1/threads/{thread_id}/messages").get("data", [])
    st.session_state["thread_id"] = thread_id
    st.session_state["messages"] = [dict(m) for m in history]
    st.rerun()


def _artifacts(msg: dict[str, Any], idx: int) -> None:
    for j, art in enumerate(msg.get("artifacts") or []):
        is_pack = art.get("type") == "battle_pack" and art.get("id")
        if is_pack and st.button(
            f":material/attach_file: {tr('open_pack')} {art['id']}", key=f"art-{idx}-{j}"
        ):
            goto("page_pack", open_pack_id=art["id"])


def _show(msg: dict[str, Any], idx: int) -> None:
    with st.chat_message(msg["role"]):
        st.markdown(tidy(msg.get("content", "")) if msg["role"] == "assistant" else msg.get("content", ""))
        if msg["role"] != "assistant":
            return
        steps = msg.get("steps") or []
        if steps:
            with st.expander(f"{tr('steps')} ({len(steps)})", icon=":material/explore:"):
                st.markdown("  \n".join(steps))
        for note in msg.get("notices") or []:
            st.info(note, icon=":material/warning:")
        sources_block(msg.get("sources") or [], key=f"m{idx}")
        _artifacts(msg, idx)
        thread_id = st.session_state.get("thread_id", "")
        judge_buttons(f"judge-{thread_id}-{idx}", source_id=f"{thread_id}:{idx}", text=msg.get("content", ""))


def _error_message(data: dict[str, Any]) -> str:
    err = data.get("error")
    if isinstance(err, dict):
        return str(err.get("message") or err)
    return str(data.get("message") or data)


def _guard_note(guard: dict[str, Any]) -> str | None:
    if guard.get("action") in (None, "allow"):
        return None
    return pick(guard.get("notice")) or f"{tr('guard')}: {guard.get('action')}"


def ask(text: str) -> None:
    """Send one turn and render its events live; the finished turn joins the history."""
    api = client()
    if not st.session_state.get("thread_id"):
        st.session_state["thread_id"] = api.post("/v1/threads", {"title": text[:40]})["id"]
    messages: list[dict[str, Any]] = st.session_state.setdefault("messages", [])
    messages.append({"role": "user", "content": text})
    with st.chat_message("user"):
        st.markdown(text)
    steps: list[str] = []
    answer, result = "", None
    with st.chat_message("assistant"):
        status = st.status(tr("thinking"), expanded=True)
        placeholder = st.empty()
        try:
            run = f"/v1/threads/{st.session_state['thread_id']}/runs"
            for ev in api.stream(run, {"input": text, "stream": True}):
                line = step_text(ev.event, ev.data)
                if line:
                    steps.append(line)
                    status.markdown(line)
                elif ev.event == "token":
                    answer += str(ev.data.get("text", ""))
                    placeholder.markdown(tidy(answer) + " ▌")
                elif ev.event == "done":
                    result = ev.data
                elif ev.event == "error":
                    status.update(label=tr("turn_failed"), state="error")
                    st.error(_error_message(ev.data))
                    return
        except ApiError as exc:
            messages.pop()
            st.session_state["failed_turn"] = {"text": text, "error": error_text(exc), "detail": exc.message}
            st.rerun()
        if result is None:
            status.update(label=tr("turn_failed"), state="error")
            return
        agents = " · ".join(_agent(a) for a in result.get("agents", []))
        status.update(label=f"{tr('done')} · {agents}", state="complete", expanded=False)
        answer = str(result.get("answer") or answer)
        placeholder.markdown(tidy(answer))
    notices = [*result.get("notices", [])]
    guard = _guard_note(result.get("guard") or {})
    if guard:
        notices.append(guard)
    messages.append(
        {
            "role": "assistant",
            "content": answer,
            "sources": result.get("sources", []),
            "artifacts": result.get("artifacts", []),
            "agents": result.get("agents", []),
            "steps": steps,
            "notices": notices,
        }
    )
    st.rerun()


def render(me: dict[str, Any]) -> None:
    st.header(tr("page_chat"))
    _threads_sidebar()
    messages = st.session_state.get("messages", [])
    if not messages:
        st.caption(tr("chat_hint"))
    for i, msg in enumerate(messages):
        _show(msg, i)
    failed = st.session_state.get("failed_turn")
    retry = False
    if failed:
        st.error(f"{failed['error']}\n\n`{failed['detail']}`")
        retry = st.button(tr("retry"), key="retry-turn", icon=":material/refresh:")
    typed = st.chat_input(tr("ask_placeholder"), key="chat-box")
    pending = None if typed else st.session_state.pop("pending_question", None)
    text = typed or pending or (failed["text"] if retry and failed else None)
    if text:
        st.session_state.pop("failed_turn", None)
    if text:
        ask(text)
