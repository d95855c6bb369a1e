"""Drops instructions aimed at the model from a request before the offline model routes it.

Requests often carry pasted text: an email, a chat log, a "system message" someone typed into the
box. Clauses that address the model rather than ask a question (fake system/instruction tags,
"ignore the rules", a tool's identifier such as `store_analytics`) are removed, so clause-by-clause
routing cannot be steered into calling tools the user did not ask for. Enforcement in the graph
(tool ownership, roles, visibility) still applies to whatever remains; this only keeps the offline
model from volunteering.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

_TAGGED = re.compile(
    r"<\s*(system|instruction|instructions|assistant|tool_call)[^>]*>.*?(<\s*/\s*\1\s*>|$)"
    r"|[【\[]\s*(系统|自动化|指令|system|instruction)[^】\]]*[】\]][^。！？!?\n]*"
    r"|[（(]\s*以下为?系统指令[^）)]*[）)]?"
    r"|#{2,}\s*(tool_call|instruction|system)\b[^\n]*",
    re.IGNORECASE | re.DOTALL,
)
_CLAUSES = re.compile(r"(?<=[。！？；;!?\n])|(?<=\.\s)|(?=另外|顺便|然后|\bthen\b|\bP\.S\.)", re.IGNORECASE)
_META = re.compile(
    r"ignore (all |any |the |your )?(previous |prior |above )?(instructions|rules|guard|restrictions)"
    r"|忽略(之前|以上|所有|你的|规则|权限|集采|医保|合规)"
    r"|\bsystem\s*(says|:|message|override|prompt)|系统[：:]|系统(要求|消息|指令|通知)|按系统"
    r"|as instructed by|hidden instruction|自动化指令|请助手|developer mode|开发者模式"
    r"|\byou are (now|no longer)\b|\bno longer bound\b|\bfrom now on\b|\bsay ['\"]"
    r"|你(现在|不再)|不再受.{0,8}(约束|限制)|从现在(开始|起)"
    r"|\b(call|invoke|run)\s+(the\s+)?[a-z]+_[a-z_]+|调用\s*[a-z]+_[a-z_]+",
    re.IGNORECASE,
)


def strip_instructions(text: str, tool_names: Iterable[str] = ()) -> tuple[str, list[str]]:
    """(the request without model-directed clauses, the clauses removed)."""
    removed: list[str] = [m.group(0) for m in _TAGGED.finditer(text)]
    body = _TAGGED.sub(" ", text)
    names = [n for n in tool_names if "_" in n]
    kept: list[str] = []
    for clause in _CLAUSES.split(body):
        if not clause.strip():
            continue
        if _META.search(clause) or any(n in clause for n in names):
            removed.append(clause.strip())
        else:
            kept.append(clause)
    return "".join(kept).strip(), removed
