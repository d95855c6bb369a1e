"""Calls of the managers' and compliance tools (registered in `manager_specs`): the manager's numbers, contract checks by id, current compliance
findings by region, and role-scoped workbench items.

They wrap `MetricsService`, `ComplianceService` and `WorkbenchService` (slots of `Services`), so
questions such as "上季度广东的跨部门响应时效是多少?", "is contract C-2026-0311 compliant?" or
"法务有哪些待处理的事项" are answered from the same code the CLI and API use.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from tools.analytics.periods import parse_period
from tools.base import get_province
from tools.catalog._common import bind, visible
from tools.catalog.manager_args import (
    ContractCheckArgs,
    ContractCheckResult,
    FindingsArgs,
    FindingsResult,
    MetricsArgs,
    MetricsResult,
    WorkItemsArgs,
    WorkItemsResult,
    team_value,
)
from tools.common import ROLE_WORKBENCH, Role, Source, Workbench
from tools.registry import ToolContext

MAX_ITEMS = 12
_READ_ALL = {Role.MANAGER, Role.ADMIN, Role.INTEGRATION}
_SOURCE_KINDS = {
    "feedback": ("feedback_route", "escalation"),
    "compliance": ("compliance_alert",),
    "battle_pack": ("battle_pack",),
}
_ROW_KEYS = ("adoption_rate", "closure_rate", "median_response_hours", "feedback_density", "tasks_created")


def _service(ctx: ToolContext, slot: str) -> Any:
    service = getattr(ctx.services, slot, None)
    if service is None:
        raise ValueError(f"the {slot} service is not available in this deployment")
    return service


def _province(ctx: ToolContext, text: str | None) -> tuple[str | None, str | None, str | None]:
    if not text:
        return None, None, None
    with ctx.services.inventory.session_factory() as session:
        p = get_province(session, text)
        return p.code, p.name_zh, p.name_en


def _province_names(ctx: ToolContext) -> dict[str, list[str]]:
    from sqlalchemy import select

    from knowledge.store.models import Province

    with ctx.services.inventory.session_factory() as session:
        rows = session.execute(select(Province.code, Province.name_zh, Province.name_en)).all()
    return {code: [zh, en] for code, zh, en in rows}


def _metrics(ctx: ToolContext, a: MetricsArgs) -> MetricsResult:
    service = _service(ctx, "metrics")
    period = parse_period(a.period or "this month", ctx.services.today)
    code, name_zh, name_en = _province(ctx, a.province)
    team = team_value(a.team)
    rep = a.rep_id
    m = service.metrics(period.start, period.end, region=code, team=team, rep_id=rep)
    rows: list[dict[str, Any]] = []
    sources = list(m.sources)
    if a.group_by:
        for row in service.breakdown(
            period.start, period.end, a.group_by, region=code, team=team, rep_id=rep
        ):
            rows.append({"key": row.key, **{k: getattr(row.metrics, k) for k in _ROW_KEYS}})
    return MetricsResult(
        focus=a.metric,
        region_name_zh=name_zh,
        region_name_en=name_en,
        metrics=m.model_copy(update={"sources": []}),
        rows=rows,
        summary=m.summary,
        sources=sources,
    )


def _check(ctx: ToolContext, a: ContractCheckArgs) -> ContractCheckResult:
    service = _service(ctx, "compliance")
    payload = service.stored_contract(a.contract_id)
    visible(ctx, str(payload["customer_id"]))  # a rep checks only their own hospitals' contracts
    report = service.check_contract(payload, ctx.principal.actor)
    findings = [f.model_dump(mode="json") for f in report.findings]
    verdict = "passed" if report.passed else ", ".join(f.code for f in report.findings)
    return ContractCheckResult(
        contract_id=report.contract_id,
        customer_id=report.customer_id,
        province=report.province,
        signed_on=report.signed_on,
        passed=report.passed,
        findings=findings,
        rules_evaluated=report.rules_evaluated,
        summary=f"{report.contract_id}: {verdict}",
        sources=[Source(kind="record", ref="contracts", id=report.contract_id, detail="compliance check")],
    )


def _findings(ctx: ToolContext, a: FindingsArgs) -> FindingsResult:
    service = _service(ctx, "compliance")
    code, _, _ = _province(ctx, a.province)
    window = parse_period(a.period, ctx.services.today) if a.period else None
    alerts = {(al.code, al.subject_id): al for al in service.alerts(limit=1000)}
    rows: list[dict[str, Any]] = []
    for f in service.current_findings():
        if a.topic != "all" and not f.code.startswith(a.topic):
            continue
        if code and f.province != code:
            continue
        if window and (f.occurred_on is None or not window.contains(f.occurred_on)):
            continue
        alert = alerts.get((f.code, f.subject_id))
        rows.append(
            {
                "code": f.code,
                "rule_id": f.rule_id,
                "title_zh": f.title.zh,
                "title_en": f.title.en,
                "risk": f.risk.value,
                "subject_type": f.subject_type,
                "subject_id": f.subject_id,
                "province": f.province,
                "occurred_on": f.occurred_on.isoformat() if f.occurred_on else None,
                "evidence": f.evidence,
                "alert_status": alert.status if alert else None,
            }
        )
    rows.sort(key=lambda r: (r["occurred_on"] or "", r["subject_id"]), reverse=True)
    by_region = Counter(str(r["province"] or "-") for r in rows)
    return FindingsResult(
        topic=a.topic,
        period=window.label if window else None,
        province=code,
        total=len(rows),
        by_region=dict(by_region.most_common()),
        by_code=dict(Counter(str(r["code"]) for r in rows).most_common()),
        region_names=_province_names(ctx),
        findings=rows,
        summary=f"{len(rows)} findings; by region {dict(by_region)}",
        sources=[
            Source(kind="record", ref=str(r["subject_type"]), id=str(r["subject_id"]), detail=str(r["code"]))
            for r in rows
        ],
    )


def _own_workbenches(ctx: ToolContext, asked: str | None) -> list[Workbench]:
    role = ctx.principal.role
    if asked:
        return [Workbench(team_value(asked) or asked)]
    if role in _READ_ALL:
        return list(Workbench)
    own = ROLE_WORKBENCH.get(role)
    return [own] if own else list(Workbench)


def _work_items(ctx: ToolContext, a: WorkItemsArgs) -> WorkItemsResult:
    service = _service(ctx, "workbench")
    code, _, _ = _province(ctx, a.province)
    status = {"active": "active", "closed": "closed"}.get(a.status)
    kinds = _SOURCE_KINDS.get(a.source)
    owner = ctx.principal.person_id if ctx.principal.role is Role.REP else None
    benches = _own_workbenches(ctx, a.workbench)
    items: list[Any] = []
    counts: dict[str, dict[str, int]] = {}
    for wb in benches:
        listed = service.list(wb, status=status, owner_id=owner, province=code, principal=ctx.principal)
        chosen = [i for i in listed.items if kinds is None or i.kind in kinds]
        items += chosen
        counts[wb.value] = dict(Counter(i.status for i in chosen))
    items.sort(key=lambda i: (i.created_at, i.id), reverse=True)
    items.sort(key=lambda i: not i.overdue)  # what needs doing first: overdue, then newest
    rows = [
        {
            "id": i.id,
            "workbench": i.workbench,
            "kind": i.kind,
            "title": i.title,
            "status": i.status,
            "province": i.province,
            "created_on": i.created_at.date().isoformat(),
            "overdue": i.overdue,
        }
        for i in items
    ]
    return WorkItemsResult(
        workbenches=[wb.value for wb in benches],
        status=a.status,
        source=a.source,
        total=len(rows),
        counts={k: v for k, v in counts.items() if v},
        items=rows[:MAX_ITEMS],
        summary=f"{len(rows)} {a.status} items in {', '.join(wb.value for wb in benches)}",
        sources=[Source(kind="record", ref="work_items", id=str(r["id"])) for r in rows[:MAX_ITEMS]],
    )


METRICS_CALL = bind(MetricsArgs, _metrics)
CHECK_CALL = bind(ContractCheckArgs, _check)
FINDINGS_CALL = bind(FindingsArgs, _findings)
WORK_ITEMS_CALL = bind(WorkItemsArgs, _work_items)
