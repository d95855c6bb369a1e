"""Sales Copilot UI (Streamlit): `streamlit run ui/app.py`. Talks to the API over HTTP only."""

from __future__ import annotations

import streamlit as st

from ui.client import ApiError
from ui.state import NAV_KEY, client, guarded, lang, show_error, tr
from ui.views import battle_pack, chat, compliance, dashboard, visit, workbench

PAGES = {
    "page_chat": chat.render,
    "page_pack": battle_pack.render,
    "page_visit": visit.render,
    "page_workbench": workbench.render,
    "page_compliance": compliance.render,
    "page_dashboard": dashboard.render,
}
PAGE_ICONS = {
    "page_chat": ":material/forum:",
    "page_pack": ":material/swords:",
    "page_visit": ":material/edit_note:",
    "page_workbench": ":material/inbox:",
    "page_compliance": ":material/gavel:",
    "page_dashboard": ":material/monitoring:",
}
# What each role may open; the API enforces the same boundaries (403), the UI just hides the rest.
ROLE_PAGES = {
    "rep": ["page_chat", "page_pack", "page_visit", "page_workbench", "page_compliance"],
    "manager": ["page_dashboard", "page_chat", "page_pack", "page_workbench", "page_compliance"],
    "marketing": ["page_chat", "page_pack", "page_workbench"],
    "medical_affairs": ["page_chat", "page_pack", "page_workbench"],
    "legal_compliance": ["page_compliance", "page_workbench", "page_chat"],
    "admin": list(PAGES),
    "integration": ["page_chat"],
}


# On a phone the sidebar is a drawer; the same pages also show as one row of pills on top.
MOBILE_CSS = "<style>@media (min-width: 768px) { .st-key-mobile-nav { display: none; } }</style>"


def _on_mobile_nav() -> None:
    choice = st.session_state.get("mobile-nav-pills")
    if choice:
        st.session_state["page"] = choice  # callbacks run before the radio exists: allowed


def _mobile_nav(pages: list[str], page: str) -> None:
    st.html(MOBILE_CSS)
    st.session_state["mobile-nav-pills"] = page
    with st.container(key="mobile-nav"):
        st.pills(
            tr("pages"),
            pages,
            format_func=lambda p: f"{PAGE_ICONS[p]} {tr(p)}",
            key="mobile-nav-pills",
            on_change=_on_mobile_nav,
            label_visibility="collapsed",
        )


def sign_in() -> None:
    st.title(tr("title"))
    st.caption(tr("tagline"))
    with st.form("sign-in"):
        key = st.text_input(tr("api_key"), type="password", placeholder="cpk_…")
        submitted = st.form_submit_button(tr("sign_in"), type="primary")
    if submitted and key.strip():
        st.session_state["api_key"] = key.strip()
        try:
            st.session_state["me"] = client().get("/v1/me")
        except ApiError as exc:
            st.session_state.pop("api_key", None)
            show_error(exc, retry_key="retry-sign-in")
            return
        st.rerun()
    st.caption(tr("key_hint"))


def _language() -> None:
    choice = st.radio(
        tr("language"),
        ["中文", "English"],
        horizontal=True,
        index=0 if lang() == "zh" else 1,
        key="lang-radio",
    )
    st.session_state["lang"] = "zh" if choice == "中文" else "en"


def _who(me: dict[str, object]) -> str:
    name = me.get("person_name" if lang() == "zh" else "person_name_en") or me.get("person_name") or ""
    return f"{tr('signed_in_as')}: **{tr('role_' + str(me.get('role')))}** {name}"


def main() -> None:
    st.set_page_config(
        page_title="销售副驾驶 Sales Copilot",
        page_icon=":material/medical_services:",
        layout="wide",
        initial_sidebar_state="auto",
    )
    with st.sidebar:
        _language()
    me = st.session_state.get("me")
    if not me:
        sign_in()
        return
    pages = ROLE_PAGES.get(str(me.get("role", "")), ["page_chat"])
    wanted = st.session_state.pop(NAV_KEY, None)
    if wanted in pages:
        st.session_state["page"] = wanted  # before the radio exists: allowed
    if st.session_state.get("page") not in pages:
        st.session_state["page"] = pages[0]
    with st.sidebar:
        st.markdown(_who(me))
        page = st.radio(
            tr("pages"),
            pages,
            format_func=lambda p: f"{PAGE_ICONS[p]} {tr(p)}",
            label_visibility="collapsed",
            key="page",
        )
        if st.button(tr("sign_out"), key="sign-out"):
            keep = lang()
            st.session_state.clear()
            st.session_state["lang"] = keep
            st.rerun()
    _mobile_nav(pages, page)
    guarded(PAGES[page], me)


main()
