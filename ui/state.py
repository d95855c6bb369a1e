"""Session helpers shared by the views: the API client, language, navigation and the error boundary."""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Callable
from typing import Any

import streamlit as st

from ui.client import ApiClient, ApiError
from ui.i18n import t

log = logging.getLogger(__name__)

DEFAULT_API_URL = "http://127.0.0.1:8000"
NAV_KEY = "nav_to"


def api_url() -> str:
    # The UI is configured by the same COPILOT_API_URL the settings table documents; it does not
    # import copilot.config because the UI must stay an HTTP client only.
    return os.environ.get("COPILOT_API_URL", DEFAULT_API_URL)


def api_timeout() -> float:
    """Seconds to wait for an ordinary request before saying the API is slow."""
    try:
        return float(os.environ.get("COPILOT_UI_TIMEOUT_S", "30"))
    except ValueError:
        return 30.0


def client() -> ApiClient:
    return ApiClient(api_url(), st.session_state.get("api_key"), api_timeout())


def lang() -> str:
    return str(st.session_state.get("lang", "zh"))


def tr(key: str) -> str:
    return t(key, lang())


def pick(text: dict[str, Any] | str | None) -> str:
    """The current language's side of a bilingual `{"zh", "en"}` value."""
    if isinstance(text, dict):
        return str(text.get(lang()) or text.get("zh") or text.get("en") or "")
    return text or ""


def side(text: str) -> str:
    """The current language's half of a "中文 / English" title (as feedback items write them)."""
    parts = text.split(" / ")
    if (
        len(parts) == 2
        and re.search(r"[\u3400-\u9fff]", parts[0])
        and not re.search(r"[\u3400-\u9fff]", parts[1])
    ):
        return parts[1] if lang() == "en" else parts[0]
    return text


def goto(page: str, **state: Any) -> None:
    """Switch page on the next run.

    The page radio owns `st.session_state["page"]` once it is drawn, and Streamlit forbids
    writing a widget's key after it exists in the run; so the wish is parked under NAV_KEY and
    the app applies it before the radio is created.
    """
    st.session_state[NAV_KEY] = page
    st.session_state.update(state)
    st.rerun()


def error_text(exc: ApiError) -> str:
    return {
        "down": tr("api_down"),
        "timeout": tr("api_slow"),
        "auth": tr("bad_key"),
        "forbidden": tr("forbidden"),
        "not_found": tr("not_found"),
        "invalid": tr("invalid_request"),
        "server": tr("api_error"),
    }[exc.kind]


def show_error(exc: ApiError, retry_key: str) -> None:
    """One clear message; a retry button when trying again may help."""
    if exc.unavailable:
        st.error(f"{error_text(exc)}\n\n`{exc.message}`")
        if st.button(tr("retry"), key=retry_key, icon=":material/refresh:"):
            st.rerun()
    else:
        st.warning(f"{error_text(exc)} {exc.message}")


def guarded(view: Callable[..., Any], *args: Any) -> None:
    """Run a view; an API failure becomes a clear message with a retry button, never a traceback."""
    try:
        view(*args)
    except ApiError as exc:
        if exc.kind == "auth":
            st.session_state.pop("me", None)
            st.session_state.pop("api_key", None)
        show_error(exc, retry_key=f"retry-{getattr(view, '__module__', 'view')}")
    except Exception:  # the last line of defence: log it, show a message, offer a retry
        log.exception("page failed")
        st.error(tr("unexpected"))
        if st.button(tr("retry"), key="retry-unexpected", icon=":material/refresh:"):
            st.rerun()
