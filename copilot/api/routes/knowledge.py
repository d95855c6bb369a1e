"""Knowledge base: search with citations (only what the key's role may read), list documents,
upload a document (ingested in the background; poll its job for progress)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated, Any, Literal

from fastapi import APIRouter, BackgroundTasks, File, Form, Query, UploadFile
from fastapi import Path as PathParam
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool

from copilot.api.deps import AnyRole, KbDep, KbUploader, SessionFactoryDep, SettingsDep
from copilot.api.errors import AUTH_ERRORS, BAD_REQUEST, NOT_FOUND, ApiError, _doc, _ex, not_found
from copilot.api.jobs import JobOut, create_job, get_job, run_ingest
from knowledge.docs.loaders import SUPPORTED
from knowledge.docs.models import DOC_TYPES, ROLES, DocumentInfo, Hit

router = APIRouter(prefix="/v1/knowledge", tags=["knowledge"], responses={**AUTH_ERRORS, **BAD_REQUEST})
CHUNK = 1 << 20
UNSUPPORTED: dict[int | str, dict[str, Any]] = {
    415: _doc(
        "Not a supported file type.",
        _ex("unsupported file type .exe", "invalid_request_error", "unsupported_file_type"),
    )
}


class SearchResults(BaseModel):
    object: Literal["list"] = "list"
    query: str
    data: list[Hit]


class DocumentList(BaseModel):
    object: Literal["list"] = "list"
    data: list[DocumentInfo]


@router.get("/search", response_model=SearchResults, summary="Search the knowledge base")
async def search(
    principal: AnyRole,
    kb: KbDep,
    q: str = Query(min_length=1, max_length=2000, examples=["瑞畅 12个月晚期管腔丢失"]),
    k: int = Query(default=5, ge=1, le=50),
    doc_type: Literal[DOC_TYPES] | None = Query(default=None),  # type: ignore[valid-type]
    product_id: str | None = Query(default=None, min_length=1, max_length=64, examples=["HMT-DCB-02"]),
    province: str | None = Query(default=None, min_length=1, max_length=16, examples=["ZJ"]),
    language: Literal["zh", "en"] | None = Query(default=None),
) -> SearchResults:
    """Hybrid (dense + BM25) retrieval; each hit carries its citation (document, section, page)."""
    filters = {"doc_type": doc_type, "product_id": product_id, "province": province, "language": language}
    hits = await run_in_threadpool(lambda: kb.search(q, principal.role.value, k=k, filters=filters))
    return SearchResults(query=q, data=hits)


@router.get("/documents", response_model=DocumentList, summary="Documents this key may read")
async def documents(principal: AnyRole, kb: KbDep) -> DocumentList:
    docs = await run_in_threadpool(kb.documents)
    role = principal.role.value
    return DocumentList(data=[d for d in docs if role == "admin" or role in d.roles])


@router.get("/chunks/{chunk_id}", response_model=Hit, summary="Open a cited chunk", responses=NOT_FOUND)
async def chunk(chunk_id: Annotated[str, PathParam(max_length=200)], principal: AnyRole, kb: KbDep) -> Hit:
    """The text of a chunk an answer cites (`sources[].id` of a `chunk` source), with its document,
    section and page; 404 when it does not exist or this key's role may not read it."""
    hit = await run_in_threadpool(kb.chunk, chunk_id, principal.role.value)
    if hit is None:
        raise not_found("chunk", chunk_id)
    return hit


def _safe_name(name: str) -> str:
    base = Path(name.replace("\\", "/")).name
    stem, suffix = Path(base).stem, Path(base).suffix.lower()
    stem = re.sub(r"[^0-9A-Za-z\u3400-\u9fff_.-]+", "-", stem).strip("-.") or "document"
    return f"{stem[:100]}{suffix}"


def _list_field(value: str | None, allowed: tuple[str, ...] | None, field: str) -> list[str]:
    items = [v.strip() for v in (value or "").split(",") if v.strip()]
    if allowed is not None:
        unknown = [v for v in items if v not in allowed]
        if unknown:
            raise ApiError(
                400,
                f"unknown {field}: {unknown}; known: {', '.join(allowed)}",
                code="invalid_value",
                param=field,
            )
    return items


@router.post(
    "/documents",
    response_model=JobOut,
    status_code=202,
    summary="Upload a document",
    responses=UNSUPPORTED,
)
async def upload(
    principal: KbUploader,
    kb: KbDep,
    factory: SessionFactoryDep,
    settings: SettingsDep,
    background: BackgroundTasks,
    file: Annotated[UploadFile, File(description="md, txt, pdf, docx or csv.")],
    title: Annotated[str | None, Form(max_length=256)] = None,
    doc_id: Annotated[str | None, Form(max_length=128, pattern=r"^[0-9A-Za-z_.:-]+$")] = None,
    doc_type: Annotated[Literal[DOC_TYPES] | None, Form()] = None,  # type: ignore[valid-type]
    roles: Annotated[
        str | None, Form(max_length=200, description="Comma-separated roles that may read it; default all.")
    ] = None,
    product_ids: Annotated[
        str | None, Form(max_length=500, description="Comma-separated product ids.")
    ] = None,
    province: Annotated[
        str | None, Form(max_length=100, description="Comma-separated provinces; default national.")
    ] = None,
    language: Annotated[Literal["zh", "en"] | None, Form()] = None,
) -> JobOut:
    """Stores the file and returns `202` with a job; ingestion (chunking, embedding) runs in the
    background. Poll `GET /v1/knowledge/jobs/{id}` for `progress` and the final report."""
    name = _safe_name(file.filename or "document")
    if Path(name).suffix not in SUPPORTED:
        raise ApiError(
            415,
            f"unsupported file type {Path(name).suffix or '(none)'}; use {', '.join(SUPPORTED)}",
            code="unsupported_file_type",
            param="file",
        )
    overrides: dict[str, Any] = {
        "id": doc_id,
        "title": title,
        "doc_type": doc_type,
        "roles": _list_field(roles, ROLES, "roles"),
        "product_ids": _list_field(product_ids, None, "product_ids"),
        "province": _list_field(province, None, "province"),
        "language": language,
    }
    overrides = {k: v for k, v in overrides.items() if v not in (None, "", [])}
    job = await run_in_threadpool(create_job, factory, "ingest", principal, {"filename": name, **overrides})
    folder = settings.data_dir / "uploads" / job.id
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    with path.open("wb") as out:
        while chunk := await file.read(CHUNK):
            out.write(chunk)
    background.add_task(run_ingest, factory, kb, job.id, path.resolve(), overrides)
    return job


@router.get(
    "/jobs/{job_id}", response_model=JobOut, summary="An ingestion job's progress", responses=NOT_FOUND
)
async def job(
    job_id: Annotated[str, PathParam(max_length=40)], principal: KbUploader, factory: SessionFactoryDep
) -> JobOut:
    return await run_in_threadpool(get_job, factory, job_id, principal)
