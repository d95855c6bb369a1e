"""Session helpers shared by the views: the API client, language and the error boundary."""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

import streamlit as st

from ui.client import ApiClient, ApiError
from ui.i18n import t

DEFAULT_API_URL = "http://127.0.0.1:8000"


def api_url() -> str:
    # The UI is configured by the same COPILOT_API_URL the settings table documents; it does not
    # import copilot.config because the UI must stay an HTTP client only.
    return os.environ.get("COPILOT_API_URL", DEFAULT_API_URL)


def client() -> ApiClient:
    return ApiClient(api_url(), st.session_state.get("api_key"))


def lang() -> str:
    return str(st.session_state.get("lang", "zh"))


def tr(key: str) -> str:
    return t(key, lang())


def guarded(view: Callable[..., Any], *args: Any) -> None:
    """Run a view; an API failure becomes a clear message with a retry button, never a traceback."""
    try:
        view(*args)
    except ApiError as exc:
        if exc.status == 401:
            st.error(tr("bad_key"))
            st.session_state.pop("me", None)
        elif exc.unavailable:
            st.error(tr("api_down") + exc.message)
            st.button(tr("retry"), key=f"retry-{view.__name__}")
        else:
            st.warning(exc.message)
