"""The `openai` mode: `ChatOpenAI` against any OpenAI-compatible endpoint, and what counts as a
provider failure (after the client's own retries) that sends a turn to the offline model."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from langchain_openai import ChatOpenAI

    from copilot.config import Settings


def make_openai(settings: Settings) -> ChatOpenAI:
    """A client with the configured timeout and retries (the openai SDK retries 429/5xx/timeouts)."""
    from langchain_openai import ChatOpenAI

    key = settings.llm_api_key.get_secret_value() if settings.llm_api_key else "not-needed"
    return ChatOpenAI(
        model=settings.llm_model,
        base_url=settings.llm_base_url,
        api_key=key,
        timeout=settings.llm_timeout_s,
        max_retries=settings.llm_max_retries,
        temperature=0,
    )


def provider_errors() -> tuple[type[BaseException], ...]:
    """Exceptions meaning "the provider failed", not "our code is wrong"."""
    import httpx
    import openai

    return (
        openai.APITimeoutError,
        openai.APIConnectionError,
        openai.InternalServerError,
        openai.RateLimitError,
        openai.AuthenticationError,
        openai.PermissionDeniedError,
        openai.NotFoundError,
        openai.APIStatusError,
        openai.APIResponseValidationError,
        httpx.TimeoutException,
        httpx.TransportError,
    )


def describe(exc: BaseException) -> str:
    status: Any = getattr(exc, "status_code", None)
    return f"{type(exc).__name__}{f' {status}' if status else ''}"
