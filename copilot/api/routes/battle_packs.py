"""Battle packs: build one for (customer, product), read it back, export Markdown or PDF."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from fastapi import Path as PathParam
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import select
from starlette.concurrency import run_in_threadpool

from copilot.api.deps import AnyRole, BattlePackDep, BattlePackWriter, RuntimeDep, SessionFactoryDep
from copilot.api.errors import AUTH_ERRORS, BAD_REQUEST, NOT_FOUND, ApiError, not_found
from copilot.api.schemas.types import UtcDateTime
from knowledge.store.db import SessionFactory
from knowledge.store.models import BattlePack
from tools.battle_pack import BattlePackDoc, BattlePackService
from tools.common import Principal

router = APIRouter(prefix="/v1/battle-packs", tags=["battle packs"], responses={**AUTH_ERRORS, **NOT_FOUND})
PackId = Annotated[
    str, PathParam(max_length=64, openapi_examples={"demo": {"value": "BP-H-ZJ-001-HMT-DCB-02-20261130"}})
]


class PackCreate(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{"customer_id": "H-ZJ-001", "product_id": "HMT-DCB-02", "lang": "zh"}]
        }
    )

    customer_id: str = Field(
        min_length=1, max_length=128, description="Customer id or name (杭州滨江中心医院)."
    )
    product_id: str = Field(
        min_length=1, max_length=128, description="Product id or name (瑞畅 / RuiChang DCB)."
    )
    lang: Literal["zh", "en"] = "zh"


class PackSummary(BaseModel):
    id: str
    customer_id: str
    product_id: str
    pack_date: dt.date
    version: int
    created_by: str | None
    updated_at: UtcDateTime


class PackList(BaseModel):
    object: Literal["list"] = "list"
    data: list[PackSummary]


def _visible(service: BattlePackService, pack_id: str, principal: Principal) -> BattlePackDoc:
    pack = service.get(pack_id)
    if pack is None or not principal.can_see_customer(pack.customer_id):
        raise not_found("battle pack", pack_id)
    return pack


@router.post(
    "",
    response_model=BattlePackDoc,
    status_code=201,
    summary="Build a battle pack",
    responses=BAD_REQUEST,
)
async def create_pack(body: PackCreate, principal: BattlePackWriter, runtime: RuntimeDep) -> BattlePackDoc:
    """Situation, three strategies, two in-stock substitutes and a clinical comparison, every
    figure cited; saved, pushed to the workbenches concerned, and checked by the compliance guard."""
    return await run_in_threadpool(
        lambda: runtime.build_battle_pack(body.customer_id, body.product_id, principal, body.lang)
    )


def _list(
    factory: SessionFactory, principal: Principal, customer_id: str | None, product_id: str | None, limit: int
) -> PackList:
    query = select(BattlePack).order_by(BattlePack.updated_at.desc(), BattlePack.id)
    if customer_id:
        query = query.where(BattlePack.customer_id == customer_id)
    if product_id:
        query = query.where(BattlePack.product_id == product_id)
    if principal.customer_ids is not None:
        query = query.where(BattlePack.customer_id.in_(principal.customer_ids))
    with factory() as session:
        rows = session.execute(query.limit(limit)).scalars()
        return PackList(data=[PackSummary.model_validate(r, from_attributes=True) for r in rows])


@router.get("", response_model=PackList, summary="List battle packs")
async def list_packs(
    principal: AnyRole,
    factory: SessionFactoryDep,
    customer_id: str | None = Query(default=None, min_length=1, max_length=64),
    product_id: str | None = Query(default=None, min_length=1, max_length=64),
    limit: int = Query(default=50, ge=1, le=500),
) -> PackList:
    """Newest first; a rep sees the packs of their own customers."""
    return await run_in_threadpool(_list, factory, principal, customer_id, product_id, limit)


@router.get("/{pack_id}", response_model=BattlePackDoc, summary="Get a battle pack")
async def get_pack(pack_id: PackId, principal: AnyRole, service: BattlePackDep) -> BattlePackDoc:
    return await run_in_threadpool(_visible, service, pack_id, principal)


@router.get(
    "/{pack_id}/markdown",
    summary="A battle pack as Markdown",
    response_class=Response,
    responses={
        200: {"content": {"text/markdown": {"schema": {"type": "string"}}}, "description": "Markdown."}
    },
)
async def pack_markdown(pack_id: PackId, principal: AnyRole, service: BattlePackDep) -> Response:
    from tools.battle_pack.render_md import render

    pack = await run_in_threadpool(_visible, service, pack_id, principal)
    return Response(render(pack), media_type="text/markdown; charset=utf-8", headers=_download(pack_id, "md"))


def _pdf(pack: BattlePackDoc) -> bytes:
    from tools.battle_pack.render_pdf import FontNotFoundError, render

    with tempfile.TemporaryDirectory() as tmp:
        try:
            out = render(pack, Path(tmp) / "pack.pdf")
        except FontNotFoundError as exc:
            raise ApiError(503, str(exc), code="pdf_unavailable") from exc
        return out.read_bytes()


@router.get(
    "/{pack_id}/pdf",
    summary="A battle pack as PDF",
    response_class=Response,
    responses={
        200: {
            "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
            "description": "PDF.",
        }
    },
)
async def pack_pdf(pack_id: PackId, principal: AnyRole, service: BattlePackDep) -> Response:
    pack = await run_in_threadpool(_visible, service, pack_id, principal)
    return Response(
        await run_in_threadpool(_pdf, pack), media_type="application/pdf", headers=_download(pack_id, "pdf")
    )


def _download(pack_id: str, ext: str) -> dict[str, Any]:
    safe = "".join(c if c.isalnum() or c in "-_." else "_" for c in pack_id)
    return {"content-disposition": f'attachment; filename="{safe}.{ext}"'}
