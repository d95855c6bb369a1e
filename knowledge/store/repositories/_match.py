"""Name matching shared by the `find_*` helpers: ids, names and aliases, ignoring case and spaces."""

from __future__ import annotations

from collections.abc import Iterable


def norm(text: str) -> str:
    return "".join(text.split()).casefold()


def matches(query: str, candidates: Iterable[str | None]) -> bool:
    q = norm(query)
    return bool(q) and any(c is not None and norm(c) == q for c in candidates)
