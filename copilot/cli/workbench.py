"""`copilot workbench list|ack|close` and `copilot metrics` (registered by copilot/cli/feedback.py)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import typer

from copilot.cli.common import JsonOpt, console, fail, print_json, runtime

ActorOpt = typer.Option("cli", "--actor", help="Who is acting (recorded on the item and in the audit log).")


def _workbench(role: str) -> str:
    """A workbench name, or a role whose workbench it is (rep -> sales)."""
    from tools.common import ROLE_WORKBENCH, Role, Workbench

    value = role.strip().lower()
    if value in {w.value for w in Workbench}:
        return value
    if value in {r.value for r in Role} and Role(value) in ROLE_WORKBENCH:
        return ROLE_WORKBENCH[Role(value)].value
    raise fail(f"unknown role {role!r}; use one of {[w.value for w in Workbench]}", 2)


def _fmt(value: float | None, kind: str) -> str:
    if value is None:
        return "n/a"
    return f"{value:.1%}" if kind == "pct" else f"{value:.2f}"


def _period(text: str | None) -> tuple[dt.date, dt.date]:
    from tools.analytics.periods import PeriodError

    svc = runtime().metrics
    try:
        p = svc.period(text or "this month")
    except PeriodError as exc:
        raise fail(str(exc), 2) from exc
    return p.start, p.end


def _metrics_table(rows: list[tuple[str, Any]]) -> None:
    from rich.table import Table

    table = Table(title="Manager metrics 管理指标")
    for col in ("scope", "adoption", "closure", "median resp. h", "density", "iteration", "open esc."):
        table.add_column(col)
    for key, m in rows:
        table.add_row(
            key,
            f"{_fmt(m.adoption_rate, 'pct')} ({m.recommendations['adopted']}/{m.recommendations['judged']})",
            f"{_fmt(m.closure_rate, 'pct')} ({m.tasks_closed}/{m.tasks_created})",
            f"{_fmt(m.median_response_hours, 'num')} (n={m.tasks_acknowledged})",
            f"{_fmt(m.feedback_density, 'num')} ({m.answers}/{m.visits})",
            f"{_fmt(m.strategy_iteration_frequency, 'num')} ({m.battle_pack_versions}/{m.battle_pack_subjects})",
            str(len(m.open_escalations)),
        )
    console.print(table)


def register_workbench(app: typer.Typer) -> None:
    wb = typer.Typer(
        help="Role inboxes: battle packs, feedback routes, escalations, alerts.", no_args_is_help=True
    )
    app.add_typer(wb, name="workbench")

    @wb.command("list")
    def list_items(
        role: str = typer.Option(
            ..., "--role", "-r", help="sales | marketing | medical_affairs | legal_compliance | manager"
        ),
        status: str | None = typer.Option(None, "--status", help="open | acknowledged | closed | active"),
        kind: str | None = typer.Option(
            None, "--kind", help="battle_pack | feedback_route | escalation | compliance_alert"
        ),
        owner: str | None = typer.Option(None, "--owner", help="Owner person id."),
        limit: int = typer.Option(50, "--limit"),
        as_json: bool = JsonOpt,
    ) -> None:
        """The items in one role's workbench, newest first."""
        try:
            res = runtime().workbench.list(
                _workbench(role), status=status, kind=kind, owner_id=owner, limit=limit
            )
        except ValueError as exc:
            raise fail(str(exc), 2) from exc
        if as_json:
            print_json(res.model_dump(mode="json"))
            return
        from rich.table import Table

        counts = ", ".join(f"{k} {v}" for k, v in sorted(res.counts.items())) or "empty"
        table = Table(title=f"{res.workbench} workbench ({counts})")
        for col in ("id", "kind", "status", "owner", "created", "SLA due", "title"):
            table.add_column(col)
        for i in res.items:
            due = f"{i.sla_due:%m-%d %H:%M}" if i.sla_due else "-"
            table.add_row(
                str(i.id),
                i.kind,
                i.status,
                i.owner_id or "-",
                f"{i.created_at:%Y-%m-%d %H:%M}",
                f"[red]{due}[/red]" if i.overdue and i.status != "closed" else due,
                i.title.split(" / ")[0],  # the Chinese half; --json has both
            )
        console.print(table)

    @wb.command("ack")
    def ack(item_id: int, actor: str = ActorOpt, as_json: bool = JsonOpt) -> None:
        """Acknowledge an item (someone has it); repeating keeps the first time."""
        from tools.common import NotFoundError

        try:
            view = runtime().workbench.acknowledge(item_id, actor=actor)
        except NotFoundError as exc:
            raise fail(str(exc), 2) from exc
        if as_json:
            print_json(view.model_dump(mode="json"))
        else:
            console.print(
                f"#{view.id} {view.status} by {view.acknowledged_by} at {view.acknowledged_at:%Y-%m-%d %H:%M}"
            )

    @wb.command("close")
    def close(
        item_id: int,
        note: str = typer.Option(..., "--note", "-n", help="What was done."),
        actor: str = ActorOpt,
        as_json: bool = JsonOpt,
    ) -> None:
        """Close an item with a note."""
        from tools.common import NotFoundError

        try:
            view = runtime().workbench.close(item_id, note=note, actor=actor)
        except (NotFoundError, ValueError) as exc:
            raise fail(str(exc), 2) from exc
        if as_json:
            print_json(view.model_dump(mode="json"))
        else:
            console.print(
                f"#{view.id} closed by {view.closed_by} at {view.closed_at:%Y-%m-%d %H:%M}: {view.close_note}"
            )

    @app.command("metrics")
    def metrics(
        period: str | None = typer.Option(
            None, "--period", help="2026-Q3, 2026-11, 2026, 上季度, last month (default: this month)."
        ),
        region: str | None = typer.Option(None, "--region", help="Province code or name (山东, SD)."),
        team: str | None = typer.Option(
            None, "--team", help="sales, marketing, medical_affairs, legal_compliance, manager."
        ),
        rep: str | None = typer.Option(None, "--rep", help="Rep person id."),
        by: str | None = typer.Option(
            None, "--by", help="Break down by region | team | rep | month | quarter."
        ),
        as_json: bool = JsonOpt,
    ) -> None:
        """The manager's numbers: adoption, closure, response time, density, iteration, escalations."""
        from tools.common import NotFoundError

        start, end = _period(period)
        svc = runtime().metrics
        try:
            if by:
                if by not in ("region", "team", "rep", "month", "quarter"):
                    raise fail("--by must be region, team, rep, month or quarter", 2)
                rows = svc.breakdown(start, end, by, region=region, team=team, rep_id=rep)  # type: ignore[arg-type]
                if as_json:
                    print_json([{"key": r.key, **r.metrics.model_dump(mode="json")} for r in rows])
                else:
                    _metrics_table([(r.key, r.metrics) for r in rows])
                return
            m = svc.metrics(start, end, region=region, team=team, rep_id=rep)
        except NotFoundError as exc:
            raise fail(str(exc), 2) from exc
        if as_json:
            print_json(m.model_dump(mode="json"))
            return
        _metrics_table([(" ".join([m.period.label, *m.filters.values()]), m)])
        for e in m.open_escalations:
            console.print(
                f"[red]open escalation[/red] #{e.id} {e.workbench} ({e.owner_id}) {e.title}", markup=True
            )
