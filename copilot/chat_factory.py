"""Builds the chat service from a runtime: tools, entity resolver, models, guard, checkpointer."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from agents.registry import AGENTS
from copilot.chat import GraphChatService
from copilot.checkpoint import open_checkpointer
from copilot.graph import build_graph
from copilot.graph_deps import GraphDeps
from copilot.guard_hook import PassThroughGuard, TextGuard
from copilot.llm.factory import make_models, make_offline
from copilot.llm.hints import handoff_hints, tool_hints
from copilot.llm.offline.embed import EmbedFn
from copilot.tool_exec import ToolExecutor
from tools.entities.resolver import EntityResolver
from tools.registry import all_tools

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel

    from copilot.runtime import Runtime

log = logging.getLogger(__name__)


def _guard(runtime: Runtime) -> TextGuard:
    try:
        return runtime.compliance.guard
    except (ImportError, AttributeError) as exc:  # compliance not installed in this build
        log.warning("no compliance guard, answers pass unchecked", extra={"error": str(exc)})
        return PassThroughGuard()


def build_chat_service(
    runtime: Runtime,
    *,
    primary: BaseChatModel | None = None,
    embed: EmbedFn | None = None,
    checkpointer: Any = None,
) -> GraphChatService:
    """The chat service of a runtime; `primary`/`embed`/`checkpointer` let tests swap parts."""
    settings = runtime.settings
    specs = all_tools()
    resolver = EntityResolver(runtime.session_factory)
    hints = {**tool_hints(specs.values()), **handoff_hints(AGENTS.values(), specs.values())}
    offline = make_offline(
        resolver,
        hints,
        runtime.today,
        embed=embed,
        cache_file=settings.data_dir / "cache" / "route_embeddings.npz",
        default_lang=settings.language.value,
    )
    models = make_models(settings.model_mode.value, offline, settings, primary)
    deps = GraphDeps(
        models=models,
        executor=ToolExecutor(specs, runtime.services, resolver),
        today=runtime.today,
        guard=_guard(runtime),
    )
    close = None
    if checkpointer is None:
        checkpointer, close = open_checkpointer(settings.resolved_database_url, settings.data_dir)
    return GraphChatService(
        build_graph(deps, checkpointer),
        default_mode=settings.model_mode.value,
        max_input_chars=settings.max_input_chars,
        on_close=close,
        resolver=resolver,
        deps=deps,
    )
