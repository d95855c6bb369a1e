"""Sales Copilot UI (Streamlit): `streamlit run ui/app.py`. Talks to the API over HTTP only."""

from __future__ import annotations

import streamlit as st

from ui.client import ApiError
from ui.state import client, guarded, lang, tr
from ui.views import battle_pack, chat, compliance, dashboard, visit, workbench

st.set_page_config(page_title="Sales Copilot 销售副驾驶", page_icon="💊", layout="wide")

PAGES = {
    "page_chat": chat.render,
    "page_pack": battle_pack.render,
    "page_visit": visit.render,
    "page_workbench": workbench.render,
    "page_compliance": compliance.render,
    "page_dashboard": dashboard.render,
}
ROLE_PAGES = {
    "rep": ["page_chat", "page_pack", "page_visit", "page_workbench", "page_compliance"],
    "manager": ["page_dashboard", "page_chat", "page_pack", "page_workbench", "page_compliance"],
    "marketing": ["page_chat", "page_pack", "page_workbench"],
    "medical_affairs": ["page_chat", "page_pack", "page_workbench"],
    "legal_compliance": ["page_compliance", "page_workbench", "page_chat"],
    "admin": list(PAGES),
    "integration": ["page_chat"],
}


def sign_in() -> None:
    st.title(tr("title"))
    with st.form("sign-in"):
        key = st.text_input(tr("api_key"), type="password")
        if st.form_submit_button(tr("sign_in")) and key:
            st.session_state["api_key"] = key.strip()
            try:
                st.session_state["me"] = client().get("/v1/me")
            except ApiError as exc:
                st.session_state.pop("api_key", None)
                st.error(tr("bad_key") if exc.status == 401 else tr("api_down") + exc.message)
                return
            st.rerun()


def main() -> None:
    with st.sidebar:
        choice = st.radio(
            tr("language"), ["中文", "English"], horizontal=True, index=0 if lang() == "zh" else 1
        )
        st.session_state["lang"] = "zh" if choice == "中文" else "en"
    me = st.session_state.get("me")
    if not me:
        sign_in()
        return
    pages = ROLE_PAGES.get(me.get("role", ""), ["page_chat"])
    with st.sidebar:
        st.caption(f"{tr('signed_in_as')}: **{me.get('role')}** {me.get('person_name') or ''}")
        page = st.radio("page", pages, format_func=tr, label_visibility="collapsed", key="page")
        if st.button(tr("sign_out")):
            st.session_state.clear()
            st.rerun()
    guarded(PAGES[page], me)


main()
