"""Background document ingestion: a job row per upload, progress written as the work advances.

The upload request returns at once with the job id; the ingestion runs in the worker's thread
pool after the response is sent. Its state is in the `jobs` table, so a client polling any
worker sees the same progress. A worker that dies mid-job leaves the job `running`; its
`updated_at` stops moving, which is how an operator spots it.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
import uuid
from pathlib import Path
from typing import Any, Literal, Protocol

from pydantic import BaseModel, Field

from copilot.api.errors import not_found
from copilot.api.schemas.types import UtcDateTime
from knowledge.store.db import SessionFactory, transaction
from knowledge.store.models import Job
from tools.common import Principal, Role

log = logging.getLogger(__name__)
PROGRESS_EVERY_S = 0.5


class Ingestor(Protocol):
    def ingest(self, paths: Any, overrides: dict[str, Any] | None = None, progress: Any = None) -> Any: ...


class JobOut(BaseModel):
    id: str = Field(examples=["job_0f8e2c1d4b5a49e7a3c2"])
    object: Literal["job"] = "job"
    kind: str
    status: Literal["queued", "running", "done", "failed"]
    progress: dict[str, Any] = Field(description="`stage`, `done` and `total` chunks embedded.")
    params: dict[str, Any]
    result: dict[str, Any] | None = Field(default=None, description="The ingestion report when done.")
    error: str | None = None
    created_at: UtcDateTime
    updated_at: UtcDateTime

    @classmethod
    def of(cls, row: Job) -> JobOut:
        return cls.model_validate(row, from_attributes=True)


def create_job(factory: SessionFactory, kind: str, principal: Principal, params: dict[str, Any]) -> JobOut:
    now = dt.datetime.now(dt.UTC)
    row = Job(
        id=f"job_{uuid.uuid4().hex[:20]}",
        kind=kind,
        status="queued",
        owner_key_id=principal.key_id,
        params=params,
        progress={"stage": "queued", "done": 0, "total": 0},
        created_at=now,
        updated_at=now,
    )
    with transaction(factory) as session:
        session.add(row)
    return JobOut.of(row)


def get_job(factory: SessionFactory, job_id: str, principal: Principal) -> JobOut:
    """The caller's job (admins see every job); anyone else's is 404."""
    with factory() as session:
        row = session.get(Job, job_id)
        if row is None or (row.owner_key_id != principal.key_id and principal.role is not Role.ADMIN):
            raise not_found("job", job_id)
        return JobOut.of(row)


def _update(factory: SessionFactory, job_id: str, **fields: Any) -> None:
    with transaction(factory) as session:
        row = session.get(Job, job_id)
        if row is None:
            return
        for key, value in fields.items():
            setattr(row, key, value)
        row.updated_at = dt.datetime.now(dt.UTC)


def run_ingest(
    factory: SessionFactory, kb: Ingestor, job_id: str, path: Path, overrides: dict[str, Any]
) -> None:
    """Ingest one uploaded file, recording progress at most every PROGRESS_EVERY_S seconds."""
    _update(factory, job_id, status="running", progress={"stage": "reading", "done": 0, "total": 0})
    last = 0.0

    def progress(stage: str, done: int, total: int) -> None:
        nonlocal last
        now = time.monotonic()
        if now - last >= PROGRESS_EVERY_S or (total and done >= total):
            last = now
            _update(factory, job_id, progress={"stage": stage, "done": done, "total": total})

    try:
        report = kb.ingest([path], overrides, progress=progress)
    except Exception as exc:  # recorded on the job: the client polls for it, nobody else is waiting
        log.exception("ingest job %s failed", job_id)
        _update(factory, job_id, status="failed", error=f"{type(exc).__name__}: {exc}")
        return
    body = report.model_dump(mode="json")
    errors = [f"{f.path}: {f.error}" for f in report.errors()]
    done = {"stage": "done", "done": report.chunks_embedded, "total": report.chunks_embedded}
    if errors:
        _update(factory, job_id, status="failed", result=body, error="; ".join(errors), progress=done)
    else:
        _update(factory, job_id, status="done", result=body, progress=done)
    log.info("ingest job %s: %s", job_id, report.counts)
