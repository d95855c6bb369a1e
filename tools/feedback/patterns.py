"""Pattern detection over feedback answers: a theme that keeps coming back is escalated once.

Two rules, evaluated per scope (a region = the customer's province, or a team = the rep's team):
- run: the same routed theme is the answer to the same question N times in a row (default 5);
  any other answer to that question in the scope breaks the run;
- window: the same routed theme is answered M times within W days (default 8 in 30), counting
  only answers not already behind an escalation of that theme.
Each firing raises one `escalation` work item to the theme's owner, linking the answers that
raised it. "Never twice": the dedupe key names the run by its first answer
(`escalation:<scope>:<theme>:<first answer id>`), and a run whose answers already sit behind an
escalation of the theme (raised in another scope, or seeded) is not raised again.
The detector replays the scope's history in order (regions before teams); the check after each
submission looks at the submitting region and team, and a full scan afterwards raises nothing new
(its runs are either keyed already or share answers with a raised item).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from knowledge.store.models import FeedbackAnswer, Person, Province, WorkItem
from tools.feedback.bank import QuestionBank
from tools.workbench.clock import as_utc
from tools.workbench.push import push_item

ESCALATION_KIND = "escalation"
SOURCE_TYPE = "feedback_pattern"


@dataclass
class Firing:
    """A rule that fired: the answers behind it and the key that makes it raise once."""

    key: str
    rule: str  # run | window
    scope: str  # region | team
    scope_value: str
    theme: str
    answers: list[FeedbackAnswer]


@dataclass
class _Run:
    theme: str
    members: list[FeedbackAnswer] = field(default_factory=list)


def scope_label(scope: str, value: str) -> str:
    return value if scope == "region" else f"team-{value}"


def _linked_answers(session: Session) -> tuple[set[str], dict[str, set[int]]]:
    """Keys of existing escalations and, per theme, the answer ids already behind one."""
    keys: set[str] = set()
    linked: dict[str, set[int]] = defaultdict(set)
    items = session.execute(select(WorkItem).where(WorkItem.kind == ESCALATION_KIND)).scalars()
    for item in items:
        if not item.dedupe_key or not item.dedupe_key.startswith("escalation:"):
            continue
        keys.add(item.dedupe_key)
        parts = item.dedupe_key.split(":")
        theme = str((item.body or {}).get("theme") or (parts[2] if len(parts) > 3 else ""))
        ids = {int(i) for i in (item.body or {}).get("answer_ids", []) if str(i).isdigit()}
        if parts[-1].isdigit():
            ids.add(int(parts[-1]))
        linked[theme] |= ids
    return keys, linked


def detect(
    session: Session,
    bank: QuestionBank,
    *,
    regions: set[str] | None = None,
    teams: set[str] | None = None,
) -> list[Firing]:
    """Replay history per scope and return the firings not raised yet (None = every scope)."""
    cfg = bank.patterns
    keys, linked = _linked_answers(session)
    rows = session.execute(
        select(FeedbackAnswer, Person.team).join(Person, Person.id == FeedbackAnswer.rep_id)
    ).all()
    groups: dict[tuple[str, str], list[FeedbackAnswer]] = defaultdict(list)
    for answer, team in rows:
        if "region" in cfg.scopes and (regions is None or answer.province in regions):
            groups[("region", answer.province)].append(answer)
        if "team" in cfg.scopes and team and (teams is None or team in teams):
            groups[("team", team)].append(answer)
    firings: list[Firing] = []
    for scope, value in sorted(groups, key=lambda sv: (sv[0] != "region", sv[1])):
        seq = sorted(groups[(scope, value)], key=lambda a: (as_utc(a.answered_at), a.id))
        firings.extend(_replay(scope, value, seq, bank, keys, linked))
    return firings


def _replay(
    scope: str,
    value: str,
    seq: list[FeedbackAnswer],
    bank: QuestionBank,
    keys: set[str],
    linked: dict[str, set[int]],
) -> list[Firing]:
    cfg = bank.patterns
    label = scope_label(scope, value)
    window = dt.timedelta(days=cfg.window_days)
    runs: dict[str, _Run] = {}
    by_theme: dict[str, list[FeedbackAnswer]] = defaultdict(list)
    out: list[Firing] = []

    def fire(key: str, rule: str, theme: str, members: list[FeedbackAnswer]) -> None:
        keys.add(key)
        linked[theme] |= {m.id for m in members}
        out.append(Firing(key, rule, scope, value, theme, list(members)))

    for answer in seq:
        run = runs.get(answer.question_id)
        if run is None or run.theme != answer.theme:
            run = runs[answer.question_id] = _Run(answer.theme)
        run.members.append(answer)
        if answer.team is None:  # a theme that needs nobody never escalates
            continue
        theme = answer.theme
        if len(run.members) >= cfg.run_length:
            head = run.members[: cfg.run_length]
            key = f"escalation:{label}:{theme}:{head[0].id}"
            if key not in keys and not linked[theme] & {m.id for m in head}:
                fire(key, "run", theme, head)
        by_theme[theme].append(answer)
        since = as_utc(answer.answered_at) - window
        recent = [a for a in by_theme[theme] if as_utc(a.answered_at) >= since and a.id not in linked[theme]]
        if len(recent) >= cfg.window_count:
            key = f"escalation:{label}:{theme}:window:{recent[0].id}"
            if key not in keys:
                fire(key, "window", theme, recent)
    return out


def raise_escalation(
    session: Session, bank: QuestionBank, firing: Firing, *, actor: str, now: dt.datetime
) -> tuple[WorkItem, bool]:
    """Put one firing into its owner's workbench (idempotent through the dedupe key)."""
    last = firing.answers[-1]
    route = bank.route_for_theme(firing.theme)
    team = last.team or (route.team.value if route else "manager")
    owner = last.owner_id
    label = bank.theme_label(firing.theme)
    n = len(firing.answers)
    if firing.scope == "region":
        prov = session.get(Province, firing.scope_value)
        where_zh, where_en = (prov.name_zh, prov.name_en) if prov else (firing.scope_value,) * 2
    else:
        where_zh = where_en = f"team {firing.scope_value}"
    how_zh = f"连续{n}次" if firing.rule == "run" else f"{bank.patterns.window_days}天内{n}次"
    how_en = (
        f"{n} times in a row" if firing.rule == "run" else f"{n} times in {bank.patterns.window_days} days"
    )
    title = f"模式升级:{where_zh}{how_zh}反馈「{label.zh}」 / Escalation: {where_en}, {how_en}: {label.en}"
    provinces = sorted({a.province for a in firing.answers})
    body = {
        "theme": firing.theme,
        "rule": firing.rule,
        "scope": firing.scope,
        "scope_value": firing.scope_value,
        "count": n,
        "answer_ids": [a.id for a in firing.answers],
        "visit_ids": [a.visit_id for a in firing.answers],
        "rep_ids": sorted({a.rep_id for a in firing.answers}),
        "provinces": provinces,
        "first_answered_at": as_utc(firing.answers[0].answered_at).isoformat(),
        "last_answered_at": as_utc(last.answered_at).isoformat(),
    }
    return push_item(
        session,
        workbench=team,
        kind=ESCALATION_KIND,
        title=title[:256],
        body=body,
        owner_id=owner,
        province=provinces[0] if len(provinces) == 1 else None,
        source_type=SOURCE_TYPE,
        source_id=str(firing.answers[0].id),
        dedupe_key=firing.key,
        sla_hours=bank.patterns.escalation_sla_hours,
        actor=actor,
        now=now,
    )
