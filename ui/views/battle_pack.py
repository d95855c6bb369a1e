"""Battle pack: pick a hospital and a product (type to search), build, read, download."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import streamlit as st

from ui.client import ApiClient, ApiError
from ui.state import client, lang, tr
from ui.views.pack_view import show_pack

WRITERS = {"rep", "manager", "marketing", "admin", "integration"}


def _label(row: dict[str, Any]) -> str:
    return f"{row['name_zh']} {row['name_en']} · {row['id']}"


def _pickers(api: ApiClient) -> tuple[str | None, str | None]:
    customers = api.get("/v1/customers").get("data", [])
    products = api.get("/v1/products").get("data", [])
    c1, c2 = st.columns(2)
    cust = c1.selectbox(
        tr("customer"),
        customers,
        format_func=_label,
        index=None,
        key="bp-customer",
        placeholder=tr("type_to_search"),
        filter_mode="contains",
    )
    prod = c2.selectbox(
        tr("product"),
        products,
        format_func=_label,
        index=None,
        key="bp-product",
        placeholder=tr("type_to_search"),
        filter_mode="contains",
    )
    return (cust or {}).get("id"), (prod or {}).get("id")


def _earlier(api: ApiClient) -> None:
    packs = api.get("/v1/battle-packs", limit=20).get("data", [])
    if not packs:
        return
    with st.expander(f"{tr('earlier_packs')} ({len(packs)})", icon=":material/table_rows:"):
        for p in packs:
            label = f"{p['customer_id']} × {p['product_id']} · {p['pack_date']} · v{p['version']}"
            if st.button(label, key=f"open-{p['id']}", type="tertiary"):
                st.session_state["pack"] = api.get(f"/v1/battle-packs/{p['id']}")


def _pdf(api: ApiClient, pack_id: str) -> Callable[[], bytes]:
    """Fetched only when the button is pressed (it runs outside the script, so no st.* here)."""

    def fetch() -> bytes:
        try:
            data = api.get(f"/v1/battle-packs/{pack_id}/pdf")
        except ApiError as exc:
            return f"PDF unavailable: {exc.message}".encode()
        return data if isinstance(data, bytes) else str(data).encode()

    return fetch


def _downloads(api: ApiClient, pack: dict[str, Any]) -> None:
    pack_id = pack["meta"]["id"]
    cache: dict[str, str] = st.session_state.setdefault("pack_md", {})
    version = f"{pack_id}@{pack['meta'].get('version')}"
    if version not in cache:
        cache[version] = str(api.get(f"/v1/battle-packs/{pack_id}/markdown"))
    md = cache[version]
    with st.container(horizontal=True):
        st.download_button(
            tr("download_md"),
            md,
            file_name=f"{pack_id}.md",
            mime="text/markdown",
            icon=":material/description:",
            key="dl-md",
        )
        st.download_button(
            tr("download_pdf"),
            _pdf(api, pack_id),
            file_name=f"{pack_id}.pdf",
            mime="application/pdf",
            icon=":material/picture_as_pdf:",
            key="dl-pdf",
        )


def render(me: dict[str, Any]) -> None:
    st.header(tr("page_pack"))
    api = client()
    opened = st.session_state.pop("open_pack_id", None)
    if opened:
        st.session_state["pack"] = api.get(f"/v1/battle-packs/{opened}")
    if me.get("role") in WRITERS:
        customer_id, product_id = _pickers(api)
        ready = bool(customer_id and product_id)
        if st.button(
            tr("build_pack"), type="primary", disabled=not ready, icon=":material/swords:", key="bp-build"
        ):
            with st.spinner(tr("building")):
                st.session_state["pack"] = api.post(
                    "/v1/battle-packs", {"customer_id": customer_id, "product_id": product_id, "lang": lang()}
                )
    _earlier(api)
    pack = st.session_state.get("pack")
    if not pack:
        st.caption(tr("pack_hint"))
        return
    _downloads(api, pack)
    show_pack(pack)
