"""Bilingual renderings of the managers' and compliance tools (metrics, contract checks, findings,
workbench items). Every figure printed is a field of the result; rates become percentages."""

from __future__ import annotations

from typing import Any

from copilot.llm.offline.render import fmt_number as n
from copilot.llm.offline.writer import register_renderer

MAX_LINES = 12
_WB = {
    "sales": ("销售", "sales"),
    "marketing": ("市场", "marketing"),
    "medical_affairs": ("医学事务", "medical affairs"),
    "legal_compliance": ("法务合规", "legal & compliance"),
    "manager": ("经理", "manager"),
}
_STATUS = {
    "open": ("未处理", "open"),
    "acknowledged": ("已受理", "acknowledged"),
    "closed": ("已关闭", "closed"),
}
_KIND = {
    "feedback_route": ("反馈转办", "feedback"),
    "escalation": ("升级", "escalation"),
    "compliance_alert": ("合规告警", "compliance alert"),
    "battle_pack": ("作战包", "battle pack"),
    "guard_hold": ("待审回答", "held answer"),
}
_RISK = {"high": ("高", "high"), "medium": ("中", "medium"), "low": ("低", "low")}


def _t(table: dict[str, tuple[str, str]], key: Any, lang: str) -> str:
    pair = table.get(str(key))
    return (pair[0] if lang == "zh" else pair[1]) if pair else str(key)


def _pct(value: Any) -> str:
    return "n/a" if value is None else f"{float(value) * 100:.1f}%"


def _metric_lines(m: dict[str, Any], lang: str) -> dict[str, str]:
    rec = m.get("recommendations") or {}
    hours = m.get("median_response_hours")
    density = m.get("feedback_density")
    iteration = m.get("strategy_iteration_frequency")
    esc = m.get("open_escalations") or []
    esc_titles = "；".join(str(e.get("title", "")).split(" / ")[0 if lang == "zh" else -1] for e in esc[:3])
    if lang == "zh":
        return {
            "adoption": f"AI建议采纳率 {_pct(m.get('adoption_rate'))}（已评判 {rec.get('judged', 0)} 条，采纳 {rec.get('adopted', 0)} 条）",
            "closure": f"协同任务关闭率 {_pct(m.get('closure_rate'))}（新建 {m.get('tasks_created', 0)} 项，已关闭 {m.get('tasks_closed', 0)} 项）",
            "response_time": f"跨部门响应时效（中位数）{n(hours) if hours is not None else 'n/a'} 小时（已受理 {m.get('tasks_acknowledged', 0)} 项）",
            "feedback_density": f"反馈密度 {f'{density:.2f}' if density is not None else 'n/a'} 条/次拜访（拜访 {m.get('visits', 0)} 次，反馈 {m.get('answers', 0)} 条）",
            "iteration": f"策略迭代频率 {n(iteration) if iteration is not None else 'n/a'} 版/作战包（{m.get('battle_pack_versions', 0)} 版，{m.get('battle_pack_subjects', 0)} 个作战包）",
            "escalation": f"未关闭升级 {len(esc)} 项" + (f"：{esc_titles}" if esc_titles else ""),
        }
    return {
        "adoption": f"AI-suggestion adoption rate {_pct(m.get('adoption_rate'))} ({rec.get('adopted', 0)} adopted of {rec.get('judged', 0)} judged)",
        "closure": f"cross-department task closure rate {_pct(m.get('closure_rate'))} ({m.get('tasks_closed', 0)} of {m.get('tasks_created', 0)} closed)",
        "response_time": f"median cross-department response time {n(hours) if hours is not None else 'n/a'} hours ({m.get('tasks_acknowledged', 0)} acknowledged)",
        "feedback_density": f"feedback density {f'{density:.2f}' if density is not None else 'n/a'} answers per visit ({m.get('answers', 0)} answers, {m.get('visits', 0)} visits)",
        "iteration": f"strategy iteration frequency {n(iteration) if iteration is not None else 'n/a'} versions per pack ({m.get('battle_pack_versions', 0)} versions, {m.get('battle_pack_subjects', 0)} packs)",
        "escalation": f"open escalations: {len(esc)}" + (f": {esc_titles}" if esc_titles else ""),
    }


def metrics(r: dict[str, Any], lang: str) -> list[str]:
    m = r.get("metrics") or {}
    period = (m.get("period") or {}).get("label", "")
    filters = m.get("filters") or {}
    where = r.get(f"region_name_{lang}") or filters.get("region") or ""
    scope = " ".join(str(x) for x in (period, where, filters.get("team"), filters.get("rep_id")) if x)
    lines = _metric_lines(m, lang)
    focus = str(r.get("focus") or "all")
    order = [focus] if focus in lines else []
    order += [k for k in lines if k not in order]
    out = [f"{scope}：{lines[order[0]]}。" if lang == "zh" else f"{scope}: {lines[order[0]]}."]
    out += [f"- {lines[k]}" for k in order[1:]]
    rows = r.get("rows") or []
    if rows:
        out.append("分组：" if lang == "zh" else "Breakdown:")
    for row in rows[:MAX_LINES]:
        hours = row.get("median_response_hours")
        h = n(hours) if hours is not None else "n/a"
        if lang == "zh":
            out.append(
                f"- {row.get('key')}：采纳率 {_pct(row.get('adoption_rate'))}，关闭率 {_pct(row.get('closure_rate'))}，响应时效 {h} 小时"
            )
        else:
            out.append(
                f"- {row.get('key')}: adoption {_pct(row.get('adoption_rate'))}, closure {_pct(row.get('closure_rate'))}, response {h} h"
            )
    return out


def _evidence(ev: dict[str, Any], lang: str) -> str:
    parts = []
    for key, value in ev.items():
        if isinstance(value, list):
            shown = ", ".join(str(v) for v in value[:3]) + (" …" if len(value) > 3 else "")
            parts.append(f"{key} [{shown}]")
        elif isinstance(value, dict):
            continue
        else:
            parts.append(f"{key} {n(value)}{'%' if key.endswith('_pct') else ''}")
    return ("，" if lang == "zh" else ", ").join(parts)


def _bi(d: Any, lang: str) -> str:
    return str(d.get(lang) or d.get("zh") or "") if isinstance(d, dict) else str(d or "")


def contract_check(r: dict[str, Any], lang: str) -> list[str]:
    head = f"{r.get('contract_id')}（{r.get('customer_id')}，{r.get('province')}，{r.get('signed_on')}）"
    found = r.get("findings") or []
    rules = len(r.get("rules_evaluated") or [])
    if lang == "zh":
        verdict = (
            f"通过全部合规规则（共检查 {rules} 条）"
            if r.get("passed")
            else f"未通过合规检查（共检查 {rules} 条规则），发现 {len(found)} 项问题："
        )
        out = [f"合同 {head}：{verdict}"]
    else:
        head = head.replace("（", " (").replace("，", ", ").replace("）", ")")
        verdict = (
            f"passes every compliance rule ({rules} rules checked)"
            if r.get("passed")
            else f"fails the compliance check ({rules} rules checked), {len(found)} finding(s):"
        )
        out = [f"Contract {head}: {verdict}"]
    for f in found:
        basis = f.get("legal_basis") or {}
        if lang == "zh":
            out.append(
                f"- [{_t(_RISK, f.get('risk'), lang)}风险] {f.get('code')}：{_bi(f.get('message'), lang)} 证据：{_evidence(f.get('evidence') or {}, lang)}；"
                f"依据：{basis.get('law', '')} {basis.get('article', '')}；要求：{_bi(f.get('action'), lang)}"
            )
        else:
            out.append(
                f"- [{_t(_RISK, f.get('risk'), lang)} risk] {f.get('code')}: {_bi(f.get('message'), lang)} Evidence: {_evidence(f.get('evidence') or {}, lang)}; "
                f"basis: {basis.get('law', '')} {basis.get('article', '')}; action: {_bi(f.get('action'), lang)}"
            )
    return out


def findings(r: dict[str, Any], lang: str) -> list[str]:
    names = r.get("region_names") or {}
    idx = 0 if lang == "zh" else 1

    def region(code: Any) -> str:
        pair = names.get(str(code))
        return (
            f"{pair[idx]}（{code}）"
            if pair and lang == "zh"
            else f"{pair[idx]} ({code})"
            if pair
            else str(code)
        )

    rows = r.get("findings") or []
    if not rows:
        return ["没有发现符合条件的合规风险。" if lang == "zh" else "No compliance findings match."]
    sep = "、" if lang == "zh" else ", "
    regions = sep.join(f"{region(k)} {v}" for k, v in (r.get("by_region") or {}).items())
    scope = " ".join(str(x) for x in (r.get("period"), r.get("province")) if x)
    out = [
        f"{scope} 当前合规风险 {r.get('total')} 项，按区域：{regions}。".strip()
        if lang == "zh"
        else f"{scope} {r.get('total')} current compliance finding(s), by region: {regions}.".strip()
    ]
    for f in rows[:MAX_LINES]:
        title = f.get(f"title_{lang}") or f.get("title_zh")
        status = f.get("alert_status")
        alert = (
            ("，告警" + _t(_STATUS, status, lang) if lang == "zh" else f", alert {status}") if status else ""
        )
        if lang == "zh":
            out.append(
                f"- {region(f.get('province'))} {f.get('occurred_on')} [{_t(_RISK, f.get('risk'), lang)}风险] {title}（{f.get('subject_id')}）：{_evidence(f.get('evidence') or {}, lang)}{alert}"
            )
        else:
            out.append(
                f"- {region(f.get('province'))} {f.get('occurred_on')} [{_t(_RISK, f.get('risk'), lang)} risk] {title} ({f.get('subject_id')}): {_evidence(f.get('evidence') or {}, lang)}{alert}"
            )
    return out


def work_items(r: dict[str, Any], lang: str) -> list[str]:
    sep = "、" if lang == "zh" else "; "
    counts = sep.join(
        f"{_t(_WB, wb, lang)} "
        + (", " if lang == "en" else "，").join(f"{_t(_STATUS, s, lang)} {c}" for s, c in by.items())
        for wb, by in (r.get("counts") or {}).items()
    )
    benches = sep.join(_t(_WB, wb, lang) for wb in r.get("workbenches") or [])
    status = {"active": ("待处理", "open"), "closed": ("已关闭", "closed")}.get(
        str(r.get("status")), ("", "")
    )
    if lang == "zh":
        out = [
            f"{benches} 工作台{status[0]}事项共 {r.get('total')} 项"
            + (f"（{counts}）" if counts else "")
            + "："
        ]
    else:
        out = [
            f"{r.get('total')} {status[1]} item(s) in the {benches} workbench(es)"
            + (f" ({counts})" if counts else "")
            + ":"
        ]
    for i in r.get("items") or []:
        parts = str(i.get("title", "")).split(" / ")
        title = parts[0] if lang == "zh" else parts[-1]
        late = ("，已逾期" if lang == "zh" else ", overdue") if i.get("overdue") else ""
        out.append(
            f"- #{i.get('id')} [{_t(_WB, i.get('workbench'), lang)}·{_t(_KIND, i.get('kind'), lang)}·{_t(_STATUS, i.get('status'), lang)}] "
            f"{title}（{i.get('province') or '-'}，{i.get('created_on')}{late}）"
            if lang == "zh"
            else f"- #{i.get('id')} [{_t(_WB, i.get('workbench'), lang)} · {_t(_KIND, i.get('kind'), lang)} · {_t(_STATUS, i.get('status'), lang)}] "
            f"{title} ({i.get('province') or '-'}, {i.get('created_on')}{late})"
        )
    more = int(r.get("total") or 0) - len(r.get("items") or [])
    if more > 0:
        out.append(f"- …另有 {more} 项" if lang == "zh" else f"- … {more} more")
    return out


for _tool, _fn, _title in (
    ("manager_metrics", metrics, ("管理指标", "Manager metrics")),
    ("contract_compliance_check", contract_check, ("合同合规检查", "Contract compliance check")),
    ("compliance_findings", findings, ("合规风险", "Compliance findings")),
    ("workbench_items", work_items, ("工作台待办", "Workbench items")),
):
    register_renderer(_tool, _fn, _title)
