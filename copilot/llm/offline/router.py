"""Chooses which bound tool(s) a request calls, using examples, keywords, entities and the thread.

1. Every bound tool gets a score: nearest example (embeddings) + keyword hints + a bonus for each
   kind of entity in the request the tool takes as an argument (a warehouse points to stock
   tools, a competitor to competitor tools).
2. A request with several clauses ("博越多少钱？杭州仓还有多少DCB？") is scored clause by clause;
   a clause whose best tool clearly differs from the whole request's adds a second call.
3. A follow-up ("那广州仓呢", "what about Boyue?") that matches nothing confidently repeats the
   previous turn's tool(s); the filler then swaps in the newly named entities.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from copilot.llm.offline.index import ToolIndex
from copilot.llm.offline.schema import fields
from tools.entities.index import Mention

_CLAUSE_SPLIT = re.compile(
    r"[，,；;。？?！!\n]+|另外|同时|并且|以及|顺便|再帮我|再查|\balso\b|\bplus\b|\band then\b|\bas well as\b",
    re.IGNORECASE,
)
_FOLLOW_UP = re.compile(
    r"^\s*(那|那么|那个|换成|改成|同样|and\b|what about|how about|same for|and for|what of|now for)"
    r"|呢[？?]?\s*$|[？?]\s*呢|\balso\b|这个呢|那呢",
    re.IGNORECASE,
)


@dataclass
class RouterConfig:
    floor: float = 0.80  # below this nothing matches: ask what the user wants
    confident: float = 0.87  # a follow-up scoring this high on a new tool switches tools
    short_request: int = 6  # residual characters of an elliptical follow-up
    switch_margin: float = 0.04  # how much better a new tool must be to leave a follow-up's tools
    entity_bonus: float = 0.012
    keyword_bonus: float = 0.025  # per keyword found in the (entity-masked) request, capped
    keyword_cap: int = 3
    use_history: bool = True  # follow-ups reuse the previous turn's tools (off only for ablations)
    clause_min_chars: int = 4
    clause_margin: float = 0.01
    clause_floor: float = 0.84


@dataclass
class Plan:
    calls: list[tuple[str, str]] = field(default_factory=list)  # (tool name, text it serves)
    scores: dict[str, float] = field(default_factory=dict)
    follow_up: bool = False


def tool_name(tool: dict[str, Any]) -> str:
    return str(tool.get("function", tool).get("name", ""))


def tool_params(tool: dict[str, Any]) -> dict[str, Any]:
    return dict(tool.get("function", tool).get("parameters") or {})


def clauses(text: str, min_chars: int) -> list[str]:
    parts = [p.strip() for p in _CLAUSE_SPLIT.split(text)]
    return [p for p in parts if len(p) >= min_chars]


_PARTICLES = re.compile(
    r"[A-Z_]{4,}|[^\w]|_|那么|那个|那|呢|的|跟|和|与|吗|看看|看|查|一下|怎么样|如何|"
    r"\b(what|how|about|and|in|for|the|of|at|with|vs|then|also)\b",
)


def is_follow_up(text: str) -> bool:
    return bool(_FOLLOW_UP.search(text))


def residual(masked: str) -> str:
    """What a request says besides entity names and follow-up particles ("那青岛海湾的呢" -> "")."""
    return _PARTICLES.sub("", masked)


class Router:
    def __init__(self, index: ToolIndex, config: RouterConfig | None = None) -> None:
        self.index = index
        self.config = config or RouterConfig()

    def _kinds(self, tool: dict[str, Any]) -> set[str]:
        hint = self.index.hints.get(tool_name(tool))
        if hint is not None and "kinds" in hint.extra:
            return set(hint.extra["kinds"])
        return {f.kind for f in fields(tool_params(tool))}

    def scores(self, text: str, tools: list[dict[str, Any]], mentions: list[Mention]) -> dict[str, float]:
        names = [tool_name(t) for t in tools]
        cfg = self.config
        base = self.index.semantic(text, names)
        for name in names:
            base[name] += cfg.keyword_bonus * min(cfg.keyword_cap, self.index.keyword_hits(text, name))
        kinds_in_text = {m.kind for m in mentions}
        for tool in tools:
            overlap = kinds_in_text & self._kinds(tool)
            base[tool_name(tool)] += self.config.entity_bonus * len(overlap)
        return base

    def plan(
        self,
        text: str,
        tools: list[dict[str, Any]],
        mentions: list[Mention],
        previous: list[str] | None = None,
    ) -> Plan:
        """The tool calls for a request; `previous` are the bound tools the last turn used."""
        cfg = self.config
        if not tools:
            return Plan()
        scores = self.scores(text, tools, mentions)
        best = max(scores, key=lambda n: scores[n])
        previous = [p for p in previous or [] if p in scores] if cfg.use_history else []
        rest = residual(self.index.masker(text)) if previous else text
        follow = bool(previous) and (is_follow_up(text) or not rest)
        if previous and (follow or scores[best] < cfg.floor):
            kept = max(scores[p] for p in previous)
            # a follow-up keeps the previous tools unless another one is clearly better; one that only
            # swaps entities ("那青岛海湾的呢") always keeps them
            switch = bool(rest) and scores[best] >= cfg.confident and scores[best] - kept >= cfg.switch_margin
            if best in previous or not switch:
                return Plan([(p, text) for p in previous], scores, True)
        if scores[best] < cfg.floor:
            return Plan([], scores)
        # an elliptical request to the same tool ("按天看广东的") keeps the other arguments
        short = best in previous and len(rest) <= cfg.short_request
        calls = [(best, text)]
        parts = clauses(text, cfg.clause_min_chars)
        if len(parts) > 1:
            for part in parts:
                sub = self.scores(part, tools, [m for m in mentions if m.surface in part])
                top = max(sub, key=lambda n: sub[n])
                if top in {c[0] for c in calls} or sub[top] < cfg.clause_floor:
                    continue
                if sub[top] - sub.get(best, 0.0) >= cfg.clause_margin:
                    calls.append((top, part))
        return Plan(calls, scores, follow or short)
