"""The managers' and compliance chat tools on the demo world: figures, role scoping and renderings."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from copilot.llm.offline import renderers_manager as rm
from knowledge.store.db import SessionFactory
from tools.analytics.metrics import MetricsService
from tools.base import AccessDeniedError
from tools.common import NotFoundError, Principal, Role
from tools.compliance.service import ComplianceService
from tools.langchain_adapter import run_tool
from tools.registry import ToolContext, all_tools
from tools.services import build_services
from tools.workbench.inbox import WorkbenchService

TODAY = dt.date(2026, 11, 30)
NEW = ("manager_metrics", "contract_compliance_check", "compliance_findings", "workbench_items")


def _ctx(factory: SessionFactory, role: Role, person: str | None = None, **principal: Any) -> ToolContext:
    services = build_services(
        factory,
        TODAY,
        compliance=ComplianceService(factory, TODAY),
        workbench=WorkbenchService(factory, TODAY),
        metrics=MetricsService(factory, TODAY),
    )
    return ToolContext(principal=Principal(role=role, person_id=person, **principal), services=services)


def _run(ctx: ToolContext, name: str, **args: Any) -> dict[str, Any]:
    return run_tool(all_tools()[name], ctx, args).model_dump(mode="json")


def test_specs_are_complete_and_owned_by_sales() -> None:
    tools = all_tools()
    for name in NEW:
        spec = tools[name]
        assert 5 <= len(spec.examples) <= 8 and spec.keywords and len(spec.description) > 120, name
        assert spec.agents == ("sales",), name
    assert tools["manager_metrics"].roles is not None and "rep" not in tools["manager_metrics"].roles
    assert (
        tools["compliance_findings"].roles is not None
        and "legal_compliance" in tools["compliance_findings"].roles
    )
    assert tools["workbench_items"].roles is None  # every role, scoped to its own workbench


def test_metrics_figures_and_rendering(demo_factory: SessionFactory) -> None:
    ctx = _ctx(demo_factory, Role.MANAGER)
    r = _run(ctx, "manager_metrics", metric="response_time", period="上季度", province="广东")
    assert r["metrics"]["period"]["label"] == "2026-Q3" and r["metrics"]["median_response_hours"] == 18.83
    assert r["sources"]
    zh = rm.metrics(r, "zh")
    assert zh[0].startswith("2026-Q3 广东") and "18.83 小时" in zh[0]  # the asked figure leads
    month = _run(ctx, "manager_metrics", metric="adoption")  # default period: this month
    assert month["metrics"]["period"]["label"] == "2026-11"
    assert "25.0%" in rm.metrics(month, "en")[0]
    rows = _run(ctx, "manager_metrics", period="2026-Q3", group_by="region")["rows"]
    assert {row["key"]: row["median_response_hours"] for row in rows}["ZJ"] == 27.11
    with pytest.raises(AccessDeniedError):
        _run(_ctx(demo_factory, Role.REP, "P-ZW"), "manager_metrics")


def test_contract_check_by_id(demo_factory: SessionFactory) -> None:
    ctx = _ctx(demo_factory, Role.LEGAL_COMPLIANCE, "P-SL")
    r = _run(ctx, "contract_compliance_check", contract_id="c-2026-0311")
    assert not r["passed"] and [f["code"] for f in r["findings"]] == ["gift_ratio_exceeded"]
    assert r["findings"][0]["evidence"]["gift_ratio_pct"] == 4.0
    assert "gift_ratio_pct 4%" in "\n".join(rm.contract_check(r, "zh"))
    clean = _run(ctx, "contract_compliance_check", contract_id="C-2026-0501")
    assert clean["passed"] and "passes every compliance rule" in rm.contract_check(clean, "en")[0]
    with pytest.raises(NotFoundError):
        _run(ctx, "contract_compliance_check", contract_id="C-2099-0001")
    rep = _ctx(demo_factory, Role.REP, "P-ZW", customer_ids=["H-ZJ-001"])
    with pytest.raises(AccessDeniedError):  # C-2026-0311 is a Guangdong hospital's contract
        _run(rep, "contract_compliance_check", contract_id="C-2026-0311")


def test_findings_locate_the_prepayment_cluster(demo_factory: SessionFactory) -> None:
    ctx = _ctx(demo_factory, Role.MANAGER)
    r = _run(ctx, "compliance_findings", topic="prepayment")
    assert r["by_region"] == {"GD": 1} and r["findings"][0]["subject_id"] == "GD-2026-Q3"
    assert r["findings"][0]["evidence"]["tail_count"] == 9
    assert "广东（GD）" in rm.findings(r, "zh")[0]
    zj = _run(ctx, "compliance_findings", province="浙江")
    assert {f["subject_id"] for f in zj["findings"]} == {"C-2026-0415", "RB-2026-H-ZJ-001"}
    q2 = _run(ctx, "compliance_findings", period="2026-Q2")  # when the risk arose: signing dates
    assert {f["subject_id"] for f in q2["findings"]} == {"C-2026-0412", "C-2026-0415"}


def test_workbench_items_are_scoped_to_the_role(demo_factory: SessionFactory) -> None:
    legal = _run(_ctx(demo_factory, Role.LEGAL_COMPLIANCE, "P-SL"), "workbench_items")
    assert legal["workbenches"] == ["legal_compliance"]
    assert {i["workbench"] for i in legal["items"]} == {"legal_compliance"}
    assert any(i["kind"] == "escalation" and i["province"] == "SD" for i in legal["items"])
    flags = [i["overdue"] for i in legal["items"]]
    assert flags[0] and flags == sorted(flags, reverse=True)  # overdue first
    manager = _run(_ctx(demo_factory, Role.MANAGER), "workbench_items", source="feedback")
    assert len(manager["workbenches"]) == 5 and manager["total"] == 33
    assert "共 33 项" in rm.work_items(manager, "zh")[0]
    with pytest.raises(PermissionError):  # legal may not read marketing's inbox
        _run(_ctx(demo_factory, Role.LEGAL_COMPLIANCE, "P-SL"), "workbench_items", workbench="marketing")
