"""Background jobs (document ingestion started over the API) and their progress.

The state lives in the store, not in a worker's memory, so any API worker can report a job that
another worker runs.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from knowledge.store.base import Base


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class Job(Base):
    __tablename__ = "jobs"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    kind: Mapped[str] = mapped_column(String(32), index=True)  # ingest
    status: Mapped[str] = mapped_column(String(16), index=True)  # queued, running, done, failed
    owner_key_id: Mapped[str | None] = mapped_column(String(32), default=None, index=True)
    params: Mapped[dict[str, Any]] = mapped_column(default=dict)
    progress: Mapped[dict[str, Any]] = mapped_column(default=dict)  # stage, done, total
    result: Mapped[dict[str, Any] | None] = mapped_column(default=None)
    error: Mapped[str | None] = mapped_column(Text, default=None)
    created_at: Mapped[dt.datetime] = mapped_column(default=_now)
    updated_at: Mapped[dt.datetime] = mapped_column(default=_now)
