"""Writes the final answer of an agent from its tools' typed results, in the user's language.

Tool messages carry a JSON envelope (see `copilot.tool_exec`): `{"ok": true, "tool", "result"}`
or `{"ok": false, "tool", "error": {"kind", "message", ...}}`. A result is rendered by a
tool-specific renderer when one is registered, else by the generic renderer. A `not_found` error
becomes a clarifying question with the closest names; a refusal is stated plainly.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from copilot.llm.offline import lang as phrases
from copilot.llm.offline.render import render_result

log = logging.getLogger(__name__)

Renderer = Callable[[dict[str, Any], str], list[str]]
RENDERERS: dict[str, Renderer] = {}
TITLES: dict[str, tuple[str, str]] = {}


def register_renderer(tool: str, fn: Renderer, title: tuple[str, str] | None = None) -> None:
    RENDERERS[tool] = fn
    if title:
        TITLES[tool] = title


@dataclass
class Outcome:
    tool: str
    payload: dict[str, Any]

    @property
    def ok(self) -> bool:
        return bool(self.payload.get("ok"))


def parse(tool: str, content: Any) -> Outcome:
    if isinstance(content, dict):
        return Outcome(tool, content)
    try:
        data = json.loads(str(content))
    except (TypeError, ValueError):
        return Outcome(tool, {"ok": True, "tool": tool, "result": {"text": str(content)}})
    if not isinstance(data, dict) or "ok" not in data:
        return Outcome(
            tool, {"ok": True, "tool": tool, "result": data if isinstance(data, dict) else {"value": data}}
        )
    return Outcome(tool, data)


def _error_text(out: Outcome, lang: str) -> str:
    err = out.payload.get("error") or {}
    kind = err.get("kind", "failed")
    if kind == "not_found":
        return phrases.not_found(
            err.get("entity", ""), err.get("query", ""), err.get("suggestions") or [], lang
        )
    if kind == "refused":
        reason = err.get("message", "")
        return f"抱歉，无法执行该操作：{reason}" if lang == "zh" else f"Sorry, I cannot do that: {reason}"
    reason = err.get("message", "")
    return f"查询未能完成：{reason}" if lang == "zh" else f"The look-up could not be completed: {reason}"


def _render(tool: str, result: dict[str, Any], lang: str) -> list[str]:
    renderer = RENDERERS.get(tool)
    if renderer is not None:
        try:
            return renderer(result, lang)
        except (KeyError, TypeError, ValueError, AttributeError) as exc:  # result shape changed
            log.warning("renderer for %s failed (%r), using the generic one", tool, exc)
    return render_result(result, lang)


def write(outcomes: list[Outcome], lang: str) -> str:
    """The answer text: one section per tool result, errors phrased as questions or refusals."""
    sections: list[str] = []
    for out in outcomes:
        if not out.ok:
            sections.append(_error_text(out, lang))
            continue
        result = out.payload.get("result") or {}
        lines = _render(out.tool, result, lang)
        title = TITLES.get(out.tool)
        if title and len(outcomes) > 1:
            lines.insert(0, f"**{title[0] if lang == 'zh' else title[1]}**")
        if not lines:
            lines = ["没有查到相关记录。" if lang == "zh" else "No matching records were found."]
        sections.append("\n".join(lines))
    return "\n\n".join(sections)
