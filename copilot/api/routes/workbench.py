"""Role workbenches: list items, acknowledge, close with a note."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query
from pydantic import BaseModel, ConfigDict, Field
from starlette.concurrency import run_in_threadpool

from copilot.api.deps import AnyRole, WorkbenchDep, WorkbenchUser
from copilot.api.errors import AUTH_ERRORS, BAD_REQUEST, CONFLICT, NOT_FOUND
from tools.common import ROLE_WORKBENCH, Principal, Role, Workbench
from tools.workbench.inbox import WorkbenchService, WorkItemView

router = APIRouter(prefix="/v1/workbench", tags=["workbench"], responses={**AUTH_ERRORS, **NOT_FOUND})

ItemId = Annotated[
    int, Path(ge=1, le=2_147_483_647, description="Work item id.", openapi_examples={"first": {"value": 1}})
]
# Roles that oversee every inbox: without `workbench` they see them all.
OVERSEERS = frozenset({Role.MANAGER, Role.ADMIN, Role.INTEGRATION})
Status = Literal["open", "acknowledged", "closed", "active"]


class WorkItemList(BaseModel):
    object: Literal["list"] = "list"
    data: list[WorkItemView]
    counts: dict[str, dict[str, int]] = Field(description="Items per status, per workbench listed.")


class CloseIn(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"note": "已与法务确认合同模板条款，下周发布新版"}]}
    )

    note: str = Field(min_length=1, max_length=2000, description="What was done.")


def _list(
    service: WorkbenchService,
    principal: Principal,
    workbench: Workbench | None,
    status: str | None,
    kind: str | None,
    province: str | None,
    limit: int,
) -> WorkItemList:
    own = ROLE_WORKBENCH.get(principal.role)
    oversees = principal.role in OVERSEERS or own is None
    benches: list[Workbench] = (
        [workbench] if workbench else (list(Workbench) if oversees or own is None else [own])
    )
    items: list[WorkItemView] = []
    counts: dict[str, dict[str, int]] = {}
    for wb in benches:
        result = service.list(
            wb, status=status, kind=kind, province=province, limit=limit, principal=principal
        )
        items += result.items
        counts[wb.value] = result.counts
    if principal.role is Role.REP:  # a rep works the sales bench, but only their own items
        items = [i for i in items if i.owner_id in (None, principal.person_id)]
    items.sort(key=lambda i: (i.created_at, i.id), reverse=True)
    return WorkItemList(data=items[:limit], counts=counts)


@router.get("/items", response_model=WorkItemList, summary="List work items")
async def list_items(
    principal: AnyRole,
    service: WorkbenchDep,
    workbench: Workbench | None = Query(
        default=None, description="Default: the key's own workbench (all for manager, admin, integration)."
    ),
    status: Status | None = Query(default=None, description="`active` = open or acknowledged."),
    kind: str | None = Query(default=None, min_length=1, max_length=32, examples=["escalation"]),
    province: str | None = Query(default=None, min_length=1, max_length=8, examples=["SD"]),
    limit: int = Query(default=100, ge=1, le=500),
) -> WorkItemList:
    """Newest first. Reps, marketing, medical affairs and legal read their own workbench; managers,
    admins and integrations read every workbench (all of them unless `workbench` is given)."""
    return await run_in_threadpool(_list, service, principal, workbench, status, kind, province, limit)


def _visible(service: WorkbenchService, item_id: int, principal: Principal) -> WorkItemView:
    item = service.get(item_id, principal=principal)
    if principal.role is Role.REP and item.owner_id not in (None, principal.person_id):
        raise PermissionError("a rep sees only their own sales items")
    return item


@router.get("/items/{item_id}", response_model=WorkItemView, summary="Get a work item")
async def get_item(item_id: ItemId, principal: AnyRole, service: WorkbenchDep) -> WorkItemView:
    return await run_in_threadpool(_visible, service, item_id, principal)


@router.post("/items/{item_id}/ack", response_model=WorkItemView, summary="Acknowledge a work item")
async def acknowledge(item_id: ItemId, principal: WorkbenchUser, service: WorkbenchDep) -> WorkItemView:
    """Say someone has it; acknowledging twice keeps the first time."""
    return await run_in_threadpool(
        lambda: service.acknowledge(item_id, actor=principal.actor, principal=principal)
    )


@router.post(
    "/items/{item_id}/close",
    response_model=WorkItemView,
    summary="Close a work item",
    responses={**CONFLICT, **BAD_REQUEST},
)
async def close(
    item_id: ItemId, body: CloseIn, principal: WorkbenchUser, service: WorkbenchDep
) -> WorkItemView:
    """Close with a note of what was done; the same close sent twice is harmless."""
    return await run_in_threadpool(
        lambda: service.close(item_id, note=body.note, actor=principal.actor, principal=principal)
    )
