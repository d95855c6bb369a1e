"""`copilot compliance ...` (check, scan, heatmap, alerts, holds, rules) and `copilot audit ...`."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import typer

from copilot.cli.common import JsonOpt, console, fail, print_json, runtime

ActorOpt = typer.Option("cli", "--actor", help="Who is acting (recorded in the audit log).")


def _risk(value: str) -> str:
    colour = {"high": "red", "medium": "yellow", "low": "green"}.get(value, "white")
    return f"[{colour}]{value}[/{colour}]"


def _read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise fail(f"no such file: {path}", 2) from exc
    except json.JSONDecodeError as exc:
        raise fail(f"{path}: not JSON ({exc.msg} at line {exc.lineno})", 2) from exc


def _findings_table(findings: list[Any], title: str) -> None:
    """One block per finding: a table cannot fit bilingual messages in a terminal."""
    console.print(f"[bold]{title}[/bold]")
    for f in findings:
        evidence = ", ".join(f"{k}={v}" for k, v in f.evidence.items())
        console.print(
            f"- {_risk(f.risk.value)} [bold]{f.code}[/bold] {f.rule_id}@{f.rule_version} "
            f"{f.check_mode.value} ({f.subject_type} {f.subject_id})"
        )
        console.print(f"  {f.message.zh}\n  {f.message.en}", markup=False)
        console.print(f"  basis 依据: {f.legal_basis.law} {f.legal_basis.article}", markup=False)
        console.print(f"  evidence 证据: {evidence}", markup=False)
        console.print(f"  action 要求: {f.action.zh} / {f.action.en}", markup=False)


def register(app: typer.Typer) -> None:
    from copilot.cli.compliance_rules import register_rules

    comp = typer.Typer(
        help="Compliance: contract checks, history scan, heat map, alerts, rules.", no_args_is_help=True
    )
    app.add_typer(comp, name="compliance")
    register_rules(comp)

    @comp.command("check")
    def check(
        file: Path = typer.Argument(..., help="Contract JSON file."),
        actor: str = ActorOpt,
        as_json: bool = JsonOpt,
    ) -> None:
        """Check one contract against the active rules (recorded in the audit log)."""
        from tools.compliance.validation import ContractValidationError

        payload = _read_json(file)
        try:
            report = runtime().compliance.check_contract(payload, actor)
        except ContractValidationError as exc:
            if as_json:
                print_json({"error": "invalid contract", "problems": [p.model_dump() for p in exc.problems]})
            else:
                console.print(f"[red]invalid contract[/red] ({len(exc.problems)} problem(s)):")
                for p in exc.problems:
                    console.print(f"  - {p.field}: {p.message}")
            raise typer.Exit(2) from exc
        if as_json:
            print_json(report.model_dump(mode="json"))
            return
        verdict = "[green]PASSED 通过[/green]" if report.passed else "[red]NOT PASSED 未通过[/red]"
        console.print(
            f"{report.contract_id} ({report.customer_id}, {report.province}, {report.signed_on}): {verdict}"
        )
        if report.findings:
            _findings_table(report.findings, "Findings 发现")

    @comp.command("scan")
    def scan(actor: str = ActorOpt, as_json: bool = JsonOpt) -> None:
        """Run contract rules over stored contracts and detectors over history; raise alerts."""
        with console.status("scanning contracts and history..."):
            report = runtime().compliance.scan(actor)
        if as_json:
            print_json(report.model_dump(mode="json"))
            return
        console.print(
            f"{report.contracts_checked} contracts, history rules {', '.join(report.history_rules_run)}"
        )
        _findings_table(
            report.findings,
            f"{len(report.findings)} findings, {report.new_findings} new, "
            f"{report.alerts_raised} alerts raised",
        )
        if report.skipped:
            console.print(f"[yellow]skipped (invalid stored contracts):[/yellow] {', '.join(report.skipped)}")

    @comp.command("heatmap")
    def heatmap(
        weeks: int = typer.Option(52, "--weeks", min=1, help="Weeks back from today."),
        as_json: bool = JsonOpt,
    ) -> None:
        """Findings by region x week x rule (for the manager dashboard)."""
        from rich.table import Table

        hm = runtime().compliance.heatmap(weeks=weeks)
        if as_json:
            print_json(hm.model_dump(mode="json"))
            return
        table = Table(title=f"Findings {hm.since} .. {hm.until}")
        for col in ("province", "week", "rule", "code", "count"):
            table.add_column(col)
        for c in hm.cells:
            table.add_row(c.province, c.week, c.rule_id, c.code, str(c.count))
        console.print(table)

    @comp.command("alerts")
    def alerts(
        status: str | None = typer.Option(None, "--status", help="open, acknowledged or closed."),
        as_json: bool = JsonOpt,
    ) -> None:
        """Compliance alerts in the legal_compliance workbench."""
        from rich.table import Table

        items = runtime().compliance.alerts(status)
        if as_json:
            print_json([a.model_dump(mode="json") for a in items])
            return
        table = Table(title=f"{len(items)} compliance alerts")
        for col in ("item", "status", "risk", "code", "subject", "province", "occurred"):
            table.add_column(col)
        for a in items:
            table.add_row(
                str(a.item_id),
                a.status,
                _risk(a.risk),
                a.code,
                a.subject_id,
                a.province or "-",
                str(a.occurred_on or "-"),
            )
        console.print(table)

    @comp.command("approve")
    def approve(
        hold_id: str,
        role: str = typer.Option(..., "--role", help="legal_compliance or manager."),
        actor: str = ActorOpt,
        as_json: bool = JsonOpt,
    ) -> None:
        """Sign a held answer for a role; it is released once every needed role has signed."""
        from tools.compliance.guard_holds import HoldNotFoundError

        try:
            status = runtime().compliance.approve_hold(hold_id, actor, role)
        except HoldNotFoundError as exc:
            raise fail(str(exc), 2) from exc
        if as_json:
            print_json(status.model_dump(mode="json"))
            return
        console.print(f"hold {hold_id}: signed by {status.approvals}; released: {status.released}")

    register_audit(app)


def register_audit(app: typer.Typer) -> None:
    aud = typer.Typer(
        help="The hash-chained audit log: verify it, export it for a regulator.", no_args_is_help=True
    )
    app.add_typer(aud, name="audit")

    @aud.command("verify")
    def verify(as_json: bool = JsonOpt) -> None:
        """Walk the hash chain; exit 1 if any entry was altered or deleted."""
        from knowledge.store import audit

        with runtime().session_factory() as session:
            report = audit.verify(session)
        if as_json:
            print_json(
                {
                    "ok": report.ok,
                    "entries": report.entries,
                    "first_bad_seq": report.first_bad_seq,
                    "reason": report.reason,
                }
            )
        elif report.ok:
            console.print(f"[green]audit chain intact[/green]: {report.entries} entries")
        else:
            console.print(f"[red]audit chain broken[/red] at seq {report.first_bad_seq}: {report.reason}")
        if not report.ok:
            raise typer.Exit(1)

    @aud.command("export")
    def export(
        since: str = typer.Option(..., "--since", help="YYYY-MM-DD (Asia/Shanghai)."),
        fmt: str = typer.Option("csv", "--format", help="csv or json."),
        out: Path | None = typer.Option(None, "--out", help="File to write (default: stdout)."),
    ) -> None:
        """Entries since a date, with their hashes, as CSV or JSON."""
        from copilot.config import DEMO_TZ
        from knowledge.store import audit

        if fmt not in ("csv", "json"):
            raise fail("--format must be csv or json", 2)
        try:
            day = dt.date.fromisoformat(since)
        except ValueError as exc:
            raise fail(f"--since {since!r} is not YYYY-MM-DD", 2) from exc
        start = dt.datetime.combine(day, dt.time(0), DEMO_TZ).astimezone(dt.UTC)
        with runtime().session_factory() as session:
            rows = audit.export_rows(session, start)
        text = _to_json(rows, day) if fmt == "json" else _to_csv(rows)
        if out is None:
            typer.echo(text, nl=False)
        else:
            out.write_text(text, encoding="utf-8")
            console.print(f"{len(rows)} entries written to {out}")


def _to_json(rows: list[dict[str, Any]], since: dt.date) -> str:
    doc = {"since": since.isoformat(), "entries": rows, "count": len(rows)}
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


def _to_csv(rows: list[dict[str, Any]]) -> str:
    import csv
    import io

    buf = io.StringIO()
    fields = ["seq", "ts", "actor", "action", "subject_type", "subject_id", "payload", "prev_hash", "hash"]
    writer = csv.DictWriter(buf, fieldnames=fields)
    writer.writeheader()
    for row in rows:
        writer.writerow({**row, "payload": json.dumps(row["payload"], ensure_ascii=False, sort_keys=True)})
    return buf.getvalue()
