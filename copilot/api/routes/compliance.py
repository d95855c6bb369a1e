"""Compliance: check a contract; rules as data (list, get, draft, edit, try, simulate, activate,
retire); alerts and the province x week heat map."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from fastapi import Path as PathParam
from pydantic import BaseModel, ConfigDict, Field
from starlette.concurrency import run_in_threadpool

from copilot.api.deps import AlertReader, ComplianceChecker, ComplianceDep, RuleEditor, RuleReader
from copilot.api.errors import AUTH_ERRORS, BAD_REQUEST, NOT_FOUND
from tools.compliance.models import (
    Alert,
    ComplianceReport,
    ContractIn,
    ExamplesReport,
    Heatmap,
    RuleChange,
    RuleSummary,
    ScanReport,
    SimulationReport,
)
from tools.compliance.schema import RuleDoc

router = APIRouter(prefix="/v1/compliance", tags=["compliance"], responses={**AUTH_ERRORS, **BAD_REQUEST})
RuleId = Annotated[str, PathParam(max_length=64, examples=["GIFT-RATIO"])]
Version = Annotated[int | None, Query(ge=1, le=100_000, description="Default: the latest version.")]

_CONTRACT_EXAMPLE: dict[str, Any] = {
    "contract_id": "C-2026-0311",
    "customer_id": "H-GD-001",
    "signed_on": "2026-03-11",
    "total_amount": 1000000,
    "currency": "CNY",
    "lines": [{"product_id": "HMT-BC-03", "quantity": 800, "unit_price": 1150}],
    "gifts": [{"name": "临床培训模型", "value": 40000}],
    "attachments": [{"kind": "compliance_declaration"}],
}


class ContractCheck(ContractIn):
    model_config = ConfigDict(extra="ignore", json_schema_extra={"examples": [_CONTRACT_EXAMPLE]})


class RuleList(BaseModel):
    object: Literal["list"] = "list"
    data: list[RuleSummary]


class RuleEdit(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{"body": {"params": {"max_ratio": 0.025}}}]})

    body: dict[str, Any] = Field(
        description="Changes deep-merged into the latest version (a whole rule document works too). "
        "Editing an active rule starts a new draft version; what is live never changes in place."
    )


class SimulateIn(BaseModel):
    days: int = Field(default=90, ge=1, le=3650, description="How far back to replay history.")
    version: int | None = Field(default=None, ge=1, le=100_000)


class ActivateIn(BaseModel):
    version: int | None = Field(default=None, ge=1, le=100_000, description="Default: the latest version.")


class AlertList(BaseModel):
    object: Literal["list"] = "list"
    data: list[Alert]


class ChangeList(BaseModel):
    object: Literal["list"] = "list"
    data: list[RuleChange]


@router.post("/check", response_model=ComplianceReport, summary="Check a contract")
async def check_contract(
    body: ContractCheck, principal: ComplianceChecker, service: ComplianceDep
) -> ComplianceReport:
    """Every active rule over the contract: gift caps and catalogue, declarations, VBP price caps.
    The check and its findings are written to the audit chain."""
    payload = body.model_dump(mode="json")
    return await run_in_threadpool(service.check_contract, payload, principal.actor)


@router.get("/rules", response_model=RuleList, summary="List rules")
async def list_rules(
    _principal: RuleReader,
    service: ComplianceDep,
    status: Literal["draft", "active", "retired"] | None = Query(default=None),
    all_versions: bool = Query(default=False),
) -> RuleList:
    return RuleList(data=await run_in_threadpool(service.rules.list_rules, status, all_versions))


@router.get("/rules/{rule_id}", response_model=RuleDoc, summary="Get a rule", responses=NOT_FOUND)
async def get_rule(
    rule_id: RuleId, _principal: RuleReader, service: ComplianceDep, version: Version = None
) -> RuleDoc:
    return await run_in_threadpool(service.rules.show, rule_id, version)


@router.get(
    "/rules/{rule_id}/history",
    response_model=ChangeList,
    summary="A rule's change history",
    responses=NOT_FOUND,
)
async def rule_history(rule_id: RuleId, _principal: RuleReader, service: ComplianceDep) -> ChangeList:
    return ChangeList(data=await run_in_threadpool(service.rules.history, rule_id))


@router.post("/rules", response_model=RuleSummary, status_code=201, summary="Create a draft rule")
async def create_rule(body: RuleDoc, principal: RuleEditor, service: ComplianceDep) -> RuleSummary:
    """A new rule, stored as a draft (validated and compiled first); activate it to enforce it."""
    data = body.model_dump(mode="json")
    return await run_in_threadpool(service.rules.create, data, principal.actor)


@router.put("/rules/{rule_id}", response_model=RuleSummary, summary="Edit a rule", responses=NOT_FOUND)
async def edit_rule(
    rule_id: RuleId, body: RuleEdit, principal: RuleEditor, service: ComplianceDep
) -> RuleSummary:
    return await run_in_threadpool(service.rules.edit, rule_id, body.body, principal.actor)


@router.post(
    "/rules/{rule_id}/examples",
    response_model=ExamplesReport,
    summary="Run a rule's examples",
    responses=NOT_FOUND,
)
async def run_examples(
    rule_id: RuleId, _principal: RuleEditor, service: ComplianceDep, version: Version = None
) -> ExamplesReport:
    return await run_in_threadpool(service.rules.examples, rule_id, version)


@router.post(
    "/rules/{rule_id}/simulate",
    response_model=SimulationReport,
    summary="Simulate a rule on history",
    responses=NOT_FOUND,
)
async def simulate(
    rule_id: RuleId, _principal: RuleEditor, service: ComplianceDep, body: SimulateIn | None = None
) -> SimulationReport:
    """What the version would have flagged over the last `days`, and what is new against the live one."""
    body = body or SimulateIn()
    return await run_in_threadpool(service.rules.simulate, rule_id, body.days, body.version)


@router.post(
    "/rules/{rule_id}/activate", response_model=RuleSummary, summary="Activate a rule", responses=NOT_FOUND
)
async def activate(
    rule_id: RuleId, principal: RuleEditor, service: ComplianceDep, body: ActivateIn | None = None
) -> RuleSummary:
    """Refused (400) when the version's examples fail; the version it replaces is retired."""
    version = body.version if body else None
    return await run_in_threadpool(lambda: service.rules.activate(rule_id, principal.actor, version))


@router.post(
    "/rules/{rule_id}/retire", response_model=RuleSummary, summary="Retire a rule", responses=NOT_FOUND
)
async def retire(rule_id: RuleId, principal: RuleEditor, service: ComplianceDep) -> RuleSummary:
    return await run_in_threadpool(service.rules.retire, rule_id, principal.actor)


@router.post("/scan", response_model=ScanReport, summary="Scan history for violations")
async def scan(principal: RuleEditor, service: ComplianceDep) -> ScanReport:
    """Stored contracts plus history detectors (rebates, prepayments); new findings raise alerts."""
    return await run_in_threadpool(service.scan, principal.actor)


@router.get("/alerts", response_model=AlertList, summary="Compliance alerts")
async def alerts(
    _principal: AlertReader,
    service: ComplianceDep,
    status: Literal["open", "acknowledged", "closed"] | None = Query(default=None),
    limit: int = Query(default=200, ge=1, le=1000),
) -> AlertList:
    return AlertList(data=await run_in_threadpool(service.alerts, status, limit))


@router.get("/heatmap", response_model=Heatmap, summary="Findings per province and week")
async def heatmap(
    _principal: AlertReader,
    service: ComplianceDep,
    since: dt.date | None = Query(default=None, description="Default: `weeks` before `until`."),
    until: dt.date | None = Query(default=None, description="Default: today."),
    weeks: int = Query(default=52, ge=1, le=520),
) -> Heatmap:
    return await run_in_threadpool(service.heatmap, since, until, weeks)
