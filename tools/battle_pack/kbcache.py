"""A short-lived cache in front of document search, for the pack's fixed look-ups.

A pack asks the knowledge base the same few questions for every hospital (the clinical table of a
product, the written playbook of a situation); answers only change when documents are ingested.
Caching them for a few minutes, per caller role set, takes the search (an embedding and a Chroma
query) off the path of every pack after the first; a freshly ingested document shows up within
`ttl_s`.
"""

from __future__ import annotations

import json
import threading
import time
from collections import OrderedDict
from typing import Any

from tools.common import Principal
from tools.search import DocSearchResult, DocSearchService, roles_for


class CachedSearch:
    def __init__(self, search: DocSearchService, ttl_s: float = 300.0, size: int = 256) -> None:
        self.inner = search
        self.ttl_s = ttl_s
        self.size = size
        self._items: OrderedDict[str, tuple[float, DocSearchResult]] = OrderedDict()
        self._lock = threading.Lock()

    @property
    def available(self) -> bool:
        return self.inner.available

    def search(
        self,
        query: str,
        principal: Principal | None = None,
        k: int = 5,
        filters: dict[str, Any] | None = None,
    ) -> DocSearchResult:
        key = json.dumps(
            [query, sorted(roles_for(principal)), k, filters], sort_keys=True, ensure_ascii=False
        )
        now = time.monotonic()
        with self._lock:
            hit = self._items.get(key)
            if hit is not None and now - hit[0] < self.ttl_s:
                self._items.move_to_end(key)
                return hit[1]
        result = self.inner.search(query, principal, k=k, filters=filters)
        with self._lock:
            self._items[key] = (now, result)
            while len(self._items) > self.size:
                self._items.popitem(last=False)
        return result


SearchLike = DocSearchService | CachedSearch
