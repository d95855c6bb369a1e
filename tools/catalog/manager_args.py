"""Argument and result schemas of the manager, compliance and workbench chat tools.

Enum values double as the offline filler's vocabulary: a value is matched by its own words and
by the Chinese words its field description lists after it ("adoption 采纳率/采纳"), so the
values are plain English words managers type ("adoption", "response_time", "legal").
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, Field

from tools.analytics.metrics_models import Metrics
from tools.catalog.args import PERIOD, PROVINCE
from tools.common import ToolResult

Team = Literal["sales", "marketing", "medical_affairs", "legal", "manager"]
TEAM_DESC = (
    "sales 销售, marketing 市场, medical_affairs 医学事务/医学部, legal 法务/合规, manager 经理/管理层"
)


def team_value(team: str | None) -> str | None:
    """The workbench / team value the services use ("legal" is short for legal_compliance)."""
    return "legal_compliance" if team == "legal" else team


class MetricsArgs(BaseModel):
    metric: Literal[
        "adoption", "closure", "response_time", "feedback_density", "iteration", "escalation", "all"
    ] = Field(
        "all",
        description=(
            "The figure asked about: adoption 采纳率/采纳, closure 关闭率/闭环率/办结率, response_time "
            "响应时效/响应时间/响应速度/时效, feedback_density 反馈密度, iteration 策略迭代/迭代频率, "
            "escalation 升级/未关闭升级, all 全部指标/各项指标."
        ),
    )
    period: str | None = Field(None, description=PERIOD + " Default: this month.")
    province: str | None = Field(None, description=PROVINCE)
    team: Team | None = Field(None, description="Team filter: " + TEAM_DESC + ".")
    rep_id: str | None = Field(None, description="Sales rep id or name, e.g. 张伟 / Zhang Wei.")
    group_by: Literal["region", "team", "rep", "month", "quarter"] | None = Field(
        None, description="Break the figures down: region, team 各团队/按团队/各部门, rep, month, quarter."
    )


class ContractCheckArgs(BaseModel):
    contract_id: str = Field(description="Stored contract id, e.g. C-2026-0311.")


class FindingsArgs(BaseModel):
    topic: Literal["gift", "prepayment", "rebate", "price", "all"] = Field(
        "all",
        description=(
            "Kind of risk: gift 赠品/礼品, prepayment 预付款/预付/季末, rebate 返利/返点, price "
            "价格/限价/超限价, all 全部/所有."
        ),
    )
    period: str | None = Field(None, description=PERIOD + " When the risk arose; omit for all.")
    province: str | None = Field(None, description=PROVINCE)


class WorkItemsArgs(BaseModel):
    workbench: Team | None = Field(
        None, description="Whose workbench: " + TEAM_DESC + ". Default: the caller's own (managers: all)."
    )
    status: Literal["active", "closed", "any_status"] = Field(
        "active",
        description="active 待处理/待办/未关闭/未处理/未完成 (open or acknowledged), closed 已关闭/已完成/已办结, "
        "any_status 全部状态/所有状态.",
    )
    source: Literal["feedback", "compliance", "battle_pack", "any_source"] = Field(
        "any_source",
        description="Where items came from: feedback 反馈/拜访反馈/升级, compliance 合规告警/告警, "
        "battle_pack 作战包, any_source.",
    )
    province: str | None = Field(None, description=PROVINCE)


class MetricsResult(ToolResult):
    focus: str
    region_name_zh: str | None = None
    region_name_en: str | None = None
    metrics: Metrics
    rows: list[dict[str, Any]] = Field(default_factory=list)
    summary: str = ""


class ContractCheckResult(ToolResult):
    contract_id: str
    customer_id: str
    province: str | None
    signed_on: dt.date
    passed: bool
    findings: list[dict[str, Any]]
    rules_evaluated: list[str]
    summary: str = ""


class FindingsResult(ToolResult):
    topic: str
    period: str | None
    province: str | None
    total: int
    by_region: dict[str, int]
    by_code: dict[str, int]
    region_names: dict[str, list[str]] = Field(default_factory=dict, description="code -> [zh, en]")
    findings: list[dict[str, Any]]
    summary: str = ""


class WorkItemsResult(ToolResult):
    workbenches: list[str]
    status: str
    source: str
    total: int
    counts: dict[str, dict[str, int]] = Field(description="workbench -> status -> items (all of them)")
    items: list[dict[str, Any]]
    summary: str = ""
