"""Scores how well a request matches each bound tool: nearest example plus keyword hints.

Entity names are masked (瑞畅 -> PRODUCT, 杭州仓 -> WAREHOUSE) in requests and examples alike
before embedding: otherwise "RuiTong DES stock" lands next to any example naming the RuiTong DES,
whatever it asks. The entities still count, through the router's entity bonus.

A tool (or an agent hand-off) is described by a `ToolHint`: its description, example requests in
Chinese and English, and keywords/aliases. The semantic score is the cosine similarity between
the request and the tool's closest example (or description); a keyword found in the request adds
a small, capped bonus. Entity bonuses (a warehouse in the request favours tools that take one)
are added by the router, which knows the tools' argument schemas.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

import numpy as np

from copilot.llm.offline.embed import CachedEmbedder
from tools.entities.index import normalize

_PLACEHOLDERS = re.compile(r"(?<![A-Za-z])[A-Z_]{4,}(?![A-Za-z])")


@dataclass(frozen=True)
class ToolHint:
    name: str
    description: str
    examples: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    agents: tuple[str, ...] = ()
    penalty: float = 0.0  # subtracted from the score (shared tools weigh less for an agent hand-off)
    extra: Mapping[str, tuple[str, ...]] = field(default_factory=dict)


class ToolIndex:
    """Example embeddings per tool, computed lazily and shared by every model instance."""

    def __init__(
        self,
        embedder: CachedEmbedder,
        hints: Mapping[str, ToolHint],
        masker: Callable[[str], str] | None = None,
    ) -> None:
        self.embedder = embedder
        self.hints = dict(hints)
        self.masker = masker or (lambda text: text)
        self._vectors: dict[str, np.ndarray] = {}
        self._lock = threading.Lock()

    def add(self, hint: ToolHint) -> None:
        with self._lock:
            self.hints[hint.name] = hint
            self._vectors.pop(hint.name, None)

    def _texts(self, hint: ToolHint) -> list[str]:
        first = hint.description.split("\n")[0][:300]
        return [self.masker(t) for t in (*hint.examples, first) if t.strip()]

    def warm(self, names: Iterable[str] | None = None) -> None:
        """Embed the examples of the given tools (all when None) in one batch."""
        wanted = [n for n in (names or self.hints) if n in self.hints and n not in self._vectors]
        if not wanted:
            return
        texts = [t for n in wanted for t in self._texts(self.hints[n])]
        matrix = self.embedder.many(texts)
        with self._lock:
            row = 0
            for name in wanted:
                count = len(self._texts(self.hints[name]))
                self._vectors[name] = matrix[row : row + count]
                row += count

    def semantic(self, text: str, names: list[str]) -> dict[str, float]:
        """Cosine of the request with each tool's nearest example (0 for tools without hints)."""
        known = [n for n in names if n in self.hints]
        self.warm(known)
        if not known:
            return dict.fromkeys(names, 0.0)
        query = self.embedder.one(self.masker(text))
        scores = dict.fromkeys(names, 0.0)
        for name in known:
            sims = self._vectors[name] @ query
            top = np.sort(sims)[-2:]
            # nearest example, nudged by the runner-up so one lucky example does not dominate
            scores[name] = float(top[-1] * 0.8 + top.mean() * 0.2) - self.hints[name].penalty
        return scores

    def keyword_hits(self, text: str, name: str) -> int:
        hint = self.hints.get(name)
        if hint is None:
            return 0
        # entity names are not intent words: "博越" in the request is the entity bonus's business
        norm = normalize(_PLACEHOLDERS.sub(" ", self.masker(text)))
        return sum(1 for kw in hint.keywords if kw and normalize(kw) in norm)
