"""Reading a cited source back, independently of the code that cited it (for the grounding scorer).

Records are fetched by table name and primary key straight from the store (`stock` keys are
`warehouse/product`); chunks through a lookup the knowledge base provides. What comes back is
the text whose figures may ground a pack: every column value of the row, or the chunk's text.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from sqlalchemy import and_, select

from knowledge.store.base import Base
from knowledge.store.db import SessionFactory
from tools.common import Source

ChunkText = Callable[[str], str | None]


def _value(value: Any) -> str:
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False, default=str)
    if hasattr(value, "isoformat"):
        return str(value.isoformat())
    return str(value)


class StoreSourceText:
    """`SourceText` over the store and an optional chunk lookup; caches what it has read."""

    def __init__(self, session_factory: SessionFactory, chunk_text: ChunkText | None = None) -> None:
        import knowledge.store.models  # noqa: F401  (registers every table)

        self.session_factory = session_factory
        self.chunk_text = chunk_text
        self._cache: dict[str, str | None] = {}

    def __call__(self, source: Source) -> str | None:
        if source.key not in self._cache:
            self._cache[source.key] = self._read(source)
        return self._cache[source.key]

    def _read(self, source: Source) -> str | None:
        if source.kind == "chunk":
            return self.chunk_text(source.id) if self.chunk_text else None
        table = Base.metadata.tables.get(source.ref)
        if table is None:
            return None
        pk = list(table.primary_key.columns)
        parts = source.id.split("/") if len(pk) > 1 else [source.id]
        if len(parts) != len(pk):
            return None
        try:
            keys = [col.type.python_type(p) for col, p in zip(pk, parts, strict=True)]
        except (ValueError, NotImplementedError):
            keys = parts
        with self.session_factory() as session:
            row = session.execute(
                select(table).where(and_(*(col == key for col, key in zip(pk, keys, strict=True))))
            ).first()
        if row is None:
            return None
        return "; ".join(f"{k}={_value(v)}" for k, v in row._mapping.items() if v is not None)


def kb_chunk_text(kb: Any) -> ChunkText:
    """Chunk text by id from the knowledge base (read as admin: the scorer audits, it does not serve)."""

    def lookup(chunk_id: str) -> str | None:
        hit = kb.chunk(chunk_id, "admin")
        return str(hit.text) if hit is not None else None

    return lookup
