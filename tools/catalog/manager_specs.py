"""Registers the managers' and compliance tools (calls in `tools.catalog.manager`).

All sit with the sales agent, which already owns analytics, contracts and visits: metrics and
findings are for managers and legal, contract checks also for reps (their own hospitals), and
workbench items for every role, scoped to the caller's own workbench.
"""

from __future__ import annotations

from tools.catalog.manager import CHECK_CALL, FINDINGS_CALL, METRICS_CALL, WORK_ITEMS_CALL
from tools.catalog.manager_args import ContractCheckArgs, FindingsArgs, MetricsArgs, WorkItemsArgs
from tools.registry import ToolSpec, register

OVERSIGHT = ("manager", "admin", "integration")

METRICS = register(
    ToolSpec(
        name="manager_metrics",
        description=(
            "The manager's collaboration KPIs for a period and optional region, team or rep: AI-suggestion "
            "adoption rate (采纳率), closure rate of cross-department tasks, median cross-department response "
            "time in hours (跨部门响应时效), feedback density (answers per visit), strategy iteration "
            "frequency of battle packs and open escalations; optionally broken down by region, team, rep, "
            "month or quarter. Not for order, contract or prepayment amounts (store_analytics)."
        ),
        args_schema=MetricsArgs,
        call=METRICS_CALL,
        agents=("sales",),
        examples=(
            "上季度广东的跨部门响应时效是多少？",
            "这个月AI建议的采纳率是多少？",
            "法务的响应时间是多少小时？",
            "现在还有多少未关闭的升级事项？",
            "本季度各项协作指标怎么样",
            "What is our AI-suggestion adoption rate this month?",
            "Median cross-department response time by region last quarter",
            "feedback density and closure rate for Zhang Wei this year",
        ),
        keywords=(
            "采纳率",
            "采纳",
            "响应时效",
            "响应时间",
            "关闭率",
            "闭环率",
            "反馈密度",
            "迭代频率",
            "升级",
            "跨部门",
            "协作指标",
            "协同",
            "adoption",
            "response time",
            "closure rate",
            "feedback density",
            "iteration",
            "escalation",
            "kpi",
        ),
        roles=OVERSIGHT,
        tags=frozenset({"manager"}),
    )
)

CHECK = register(
    ToolSpec(
        name="contract_compliance_check",
        description=(
            "Check one stored contract by id (C-2026-0311) against every active compliance rule: gift value "
            "over 3% of the total, gifts outside the registered catalogue, missing compliance declaration, "
            "unit prices above the VBP cap; returns pass/fail with each finding, its evidence, legal basis "
            "and the required action. The check is recorded in the audit log."
        ),
        args_schema=ContractCheckArgs,
        call=CHECK_CALL,
        agents=("sales",),
        examples=(
            "C-2026-0412 合规吗？",
            "帮我检查一下合同C-2026-0311有没有合规问题",
            "合同 C-2026-0415 能过合规审查吗",
            "C-2026-0501 这份合同有没有违规",
            "Is contract C-2026-0311 compliant?",
            "Run a compliance check on C-2026-0412",
            "does C-2026-0415 pass the gift rules?",
        ),
        keywords=("合规", "违规", "合规审查", "合规检查", "compliant", "compliance check", "violation"),
        roles=("rep", "legal_compliance", *OVERSIGHT),
    )
)

FINDINGS = register(
    ToolSpec(
        name="compliance_findings",
        description=(
            "Current compliance risks found over stored contracts and history, by region (heat map): "
            "quarter-end prepayment clusters, gift-ratio, gift-catalogue and declaration breaches, rebates "
            "reached with another year's or a related party's orders, prices above VBP caps; filter by "
            "kind, period and province; shows the evidence and whether legal's alert is open."
        ),
        args_schema=FindingsArgs,
        call=FINDINGS_CALL,
        agents=("sales",),
        examples=(
            "哪个区域出现了季末预付款集中的异常？",
            "现在有哪些合规风险？按区域看",
            "返利有没有跨年或关联方凑单的问题？",
            "浙江有哪些合规告警",
            "Which region had a quarter-end prepayment spike?",
            "compliance risk heat map by region",
            "any rebate compliance findings this year?",
        ),
        keywords=(
            "合规风险",
            "合规告警",
            "风险",
            "异常",
            "季末",
            "集中",
            "热力图",
            "凑单",
            "spike",
            "cluster",
            "heat map",
            "risk",
            "findings",
            "red flag",
        ),
        roles=("legal_compliance", *OVERSIGHT),
    )
)

WORK_ITEMS = register(
    ToolSpec(
        name="workbench_items",
        description=(
            "Action items in the workbenches (待办): items routed from visit feedback, pattern escalations, "
            "compliance alerts and battle packs, with status (open / acknowledged / closed), region and "
            "whether they are overdue. Defaults to the caller's own workbench; managers see every team's."
        ),
        args_schema=WorkItemsArgs,
        call=WORK_ITEMS_CALL,
        agents=("sales",),
        examples=(
            "法务有哪些待处理的事项？",
            "拜访反馈产生了哪些未关闭的待办？",
            "我的工作台还有什么待办",
            "医学部还有几个没处理的反馈",
            "Open action items from visit feedback?",
            "What is waiting in the legal workbench?",
            "show my open work items",
        ),
        keywords=(
            "待办",
            "待处理",
            "工作台",
            "事项",
            "未处理",
            "action item",
            "work item",
            "workbench",
            "inbox",
            "to do",
            "pending",
        ),
    )
)
