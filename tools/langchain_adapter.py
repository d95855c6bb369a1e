"""Expose a registered `ToolSpec` as a LangChain `StructuredTool` bound to live services.

The tool's content is the typed result as JSON (what a model reads); the typed result itself is
the message's artifact, so graph nodes and evals can read figures and sources without re-parsing.
Domain errors a user can fix (unknown name, no access, bad period, no knowledge base) come back to
the model as a JSON error it can explain or ask back about; anything else propagates.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from langchain_core.tools import StructuredTool, ToolException

from tools.base import AccessDeniedError
from tools.common import NotFoundError, ToolResult
from tools.registry import ToolContext, ToolSpec
from tools.search import KnowledgeBaseUnavailableError

log = logging.getLogger(__name__)


def error_payload(exc: Exception) -> dict[str, Any]:
    """The JSON a model receives for a recoverable tool failure."""
    if isinstance(exc, NotFoundError):
        return {"type": "not_found", "kind": exc.kind, "query": exc.query, "suggestions": exc.suggestions}
    if isinstance(exc, AccessDeniedError):
        return {"type": "access_denied", "kind": exc.kind, "id": exc.key, "message": str(exc)}
    if isinstance(exc, KnowledgeBaseUnavailableError):
        return {"type": "unavailable", "message": str(exc)}
    return {"type": "invalid_request", "message": str(exc)}


RECOVERABLE = (NotFoundError, AccessDeniedError, KnowledgeBaseUnavailableError, ValueError)


def run_tool(spec: ToolSpec, ctx: ToolContext, arguments: dict[str, Any]) -> ToolResult:
    """Validate the arguments against the spec's schema and call it (no LangChain involved)."""
    if spec.roles is not None and ctx.principal.role.value not in spec.roles:
        raise AccessDeniedError("tool", spec.name, ctx.principal.actor)
    args = spec.args_schema.model_validate(arguments)
    return spec.call(ctx, args)


def as_langchain_tool(spec: ToolSpec, ctx: ToolContext) -> StructuredTool:
    """A StructuredTool whose content is the result JSON and whose artifact is the typed result."""

    def _run(**kwargs: Any) -> tuple[str, ToolResult]:
        try:
            result = run_tool(spec, ctx, kwargs)
        except RECOVERABLE as exc:
            log.info("tool_error", extra={"tool": spec.name, "error": type(exc).__name__})
            raise ToolException(json.dumps({"error": error_payload(exc)}, ensure_ascii=False)) from exc
        return result.model_dump_json(), result

    return StructuredTool.from_function(
        func=_run,
        name=spec.name,
        description=spec.description,
        args_schema=spec.args_schema,
        response_format="content_and_artifact",
        handle_tool_error=True,
        handle_validation_error=True,
    )


def langchain_tools(specs: list[ToolSpec], ctx: ToolContext) -> list[StructuredTool]:
    return [as_langchain_tool(s, ctx) for s in specs]
