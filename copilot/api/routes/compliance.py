"""Compliance: check a contract; rules as data (list, get, draft, edit, try, simulate, activate,
retire); alerts and the province x week heat map."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Body, Query, Response
from fastapi import Path as PathParam
from pydantic import BaseModel, ConfigDict, Field, StrictInt
from starlette.concurrency import run_in_threadpool

from copilot.api.deps import AlertReader, ComplianceChecker, ComplianceDep, RuleEditor, RuleReader
from copilot.api.errors import AUTH_ERRORS, BAD_REQUEST, NOT_FOUND
from copilot.api.schemas.types import IsoDate, UtcDateTime
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
RuleId = Annotated[str, PathParam(max_length=64, openapi_examples={"gift cap": {"value": "GIFT-RATIO"}})]
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


_RULE_EXAMPLE: dict[str, Any] = {
    "id": "GIFT-RATIO-2PCT",
    "code": "gift_ratio_over_2pct",
    "title": {"zh": "赠品总值超过合同金额的 2%", "en": "Gift value above 2% of the contract total"},
    "legal_basis": {
        "law": "反不正当竞争法 Anti-Unfair Competition Law",
        "article": "第七条 art. 7",
        "summary": "赠品超出适度水平视为商业贿赂风险。Gifts beyond a modest level are a bribery risk.",
    },
    "risk": "medium",
    "check_mode": "auto",
    "applies_to": "gift",
    "params": {"max_ratio": 0.02},
    "condition": {
        "expression": "gift_count > 0 and gift_total > total_amount * params.max_ratio",
        "evidence": {"gift_total": "gift_total", "total_amount": "total_amount"},
    },
    "message": {
        "zh": "赠品总值 {{ evidence.gift_total }} 元超过合同金额的 2%。",
        "en": "Gifts worth CNY {{ evidence.gift_total }} exceed 2% of the contract total.",
    },
    "action": {"zh": "削减赠品或报法务审批。", "en": "Reduce the gifts or ask legal for approval."},
    "effective_from": "2027-01-01",
}


class RuleCreate(RuleDoc):
    """A rule document; dates must be written as dates (YYYY-MM-DD)."""

    effective_from: IsoDate
    effective_to: IsoDate | None = None


class ContractCheck(ContractIn):
    model_config = ConfigDict(extra="ignore", json_schema_extra={"examples": [_CONTRACT_EXAMPLE]})

    signed_on: IsoDate


# The compliance models carry the store's timestamps as loaded; the API states them in UTC.
class RuleOut(RuleSummary):
    created_at: UtcDateTime


class AlertOut(Alert):
    created_at: UtcDateTime


class ChangeOut(RuleChange):
    ts: UtcDateTime


def _rule(summary: RuleSummary) -> RuleOut:
    return RuleOut.model_validate(summary.model_dump())


class RuleList(BaseModel):
    object: Literal["list"] = "list"
    data: list[RuleOut]


class RuleEdit(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{"body": {"params": {"max_ratio": 0.025}}}]})

    body: dict[str, Any] = Field(
        description="Changes deep-merged into the latest version (a whole rule document works too). "
        "Editing an active rule starts a new draft version; what is live never changes in place."
    )


class SimulateIn(BaseModel):
    days: StrictInt = Field(default=90, ge=1, le=3650, description="How far back to replay history.")
    version: StrictInt | None = Field(default=None, ge=1, le=100_000)


class ActivateIn(BaseModel):
    version: StrictInt | None = Field(
        default=None, ge=1, le=100_000, description="Default: the latest version."
    )


class AlertList(BaseModel):
    object: Literal["list"] = "list"
    data: list[AlertOut]


class ChangeList(BaseModel):
    object: Literal["list"] = "list"
    data: list[ChangeOut]


@router.post("/check", response_model=ComplianceReport, summary="Check a contract")
async def check_contract(
    body: ContractCheck, principal: ComplianceChecker, service: ComplianceDep
) -> Response:
    """Every active rule over the contract: gift caps and catalogue, declarations, VBP price caps.
    The check and its findings are written to the audit chain."""
    payload = body.model_dump(mode="json")
    report = await run_in_threadpool(service.check_contract, payload, principal.actor)
    # The service returns a validated ComplianceReport; serialising it directly skips FastAPI's
    # second validation of the same object (this is the API's hottest route).
    return Response(report.model_dump_json(), media_type="application/json")


@router.get("/rules", response_model=RuleList, summary="List rules")
async def list_rules(
    _principal: RuleReader,
    service: ComplianceDep,
    status: Literal["draft", "active", "retired"] | None = Query(default=None),
    all_versions: bool = Query(default=False),
) -> RuleList:
    rules = await run_in_threadpool(service.rules.list_rules, status, all_versions)
    return RuleList(data=[_rule(r) for r in rules])


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
    changes = await run_in_threadpool(service.rules.history, rule_id)
    return ChangeList(data=[ChangeOut.model_validate(c.model_dump()) for c in changes])


@router.post("/rules", response_model=RuleOut, status_code=201, summary="Create a draft rule")
async def create_rule(
    body: Annotated[RuleCreate, Body(openapi_examples={"2% gift cap": {"value": _RULE_EXAMPLE}})],
    principal: RuleEditor,
    service: ComplianceDep,
) -> RuleOut:
    """A new rule, stored as a draft (validated and compiled first); activate it to enforce it."""
    data = body.model_dump(mode="json")
    return _rule(await run_in_threadpool(service.rules.create, data, principal.actor))


@router.put("/rules/{rule_id}", response_model=RuleOut, summary="Edit a rule", responses=NOT_FOUND)
async def edit_rule(
    rule_id: RuleId, body: RuleEdit, principal: RuleEditor, service: ComplianceDep
) -> RuleOut:
    return _rule(await run_in_threadpool(service.rules.edit, rule_id, body.body, principal.actor))


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
    "/rules/{rule_id}/activate", response_model=RuleOut, summary="Activate a rule", responses=NOT_FOUND
)
async def activate(
    rule_id: RuleId, principal: RuleEditor, service: ComplianceDep, body: ActivateIn | None = None
) -> RuleOut:
    """Refused (400) when the version's examples fail; the version it replaces is retired."""
    version = body.version if body else None
    return _rule(await run_in_threadpool(lambda: service.rules.activate(rule_id, principal.actor, version)))


@router.post("/rules/{rule_id}/retire", response_model=RuleOut, summary="Retire a rule", responses=NOT_FOUND)
async def retire(rule_id: RuleId, principal: RuleEditor, service: ComplianceDep) -> RuleOut:
    return _rule(await run_in_threadpool(service.rules.retire, rule_id, principal.actor))


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
    found = await run_in_threadpool(service.alerts, status, limit)
    return AlertList(data=[AlertOut.model_validate(a.model_dump()) for a in found])


@router.get("/heatmap", response_model=Heatmap, summary="Findings per province and week")
async def heatmap(
    _principal: AlertReader,
    service: ComplianceDep,
    since: IsoDate | None = Query(default=None, description="Default: `weeks` before `until`."),
    until: IsoDate | None = Query(default=None, description="Default: today."),
    weeks: int = Query(default=52, ge=1, le=520),
) -> Heatmap:
    return await run_in_threadpool(service.heatmap, since, until, weeks)
