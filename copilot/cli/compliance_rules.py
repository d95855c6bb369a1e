"""`copilot compliance rules ...`: list, show, create, edit, examples, simulate, activate, retire."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer

from copilot.cli.common import JsonOpt, console, fail, print_json, runtime

ActorOpt = typer.Option("cli", "--actor", help="Who is making the change (recorded in the audit log).")
VersionOpt = typer.Option(None, "--version", help="Rule version (default: the latest).")


def _read_rule(path: Path) -> dict[str, Any]:
    import json

    import yaml

    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise fail(f"no such file: {path}", 2) from exc
    try:
        data = json.loads(text) if path.suffix == ".json" else yaml.safe_load(text)
    except (ValueError, yaml.YAMLError) as exc:
        raise fail(f"{path}: cannot parse: {exc}", 2) from exc
    if not isinstance(data, dict):
        raise fail(f"{path}: a rule file holds one mapping", 2)
    return dict(json.loads(json.dumps(data, default=str)))


def parse_sets(pairs: list[str]) -> dict[str, Any]:
    """`params.max_ratio=0.04` -> {"params": {"max_ratio": 0.04}} (values read as YAML scalars)."""
    import yaml

    out: dict[str, Any] = {}
    for pair in pairs:
        if "=" not in pair:
            raise fail(f"--set {pair!r}: expected path=value", 2)
        path, raw = pair.split("=", 1)
        node = out
        keys = path.strip().split(".")
        for key in keys[:-1]:
            node = node.setdefault(key, {})
        value = yaml.safe_load(raw) if raw.strip() else ""
        node[keys[-1]] = value.isoformat() if hasattr(value, "isoformat") else value
    return out


def _errors() -> tuple[type[Exception], ...]:
    from tools.compliance.authoring import RuleAuthoringError, RuleNotFoundError

    return (RuleAuthoringError, RuleNotFoundError)


def register_rules(comp: typer.Typer) -> None:
    rules = typer.Typer(
        help="Author rules safely: drafts, examples, simulation, activation.", no_args_is_help=True
    )
    comp.add_typer(rules, name="rules")

    @rules.command("list")
    def list_cmd(
        status: str | None = typer.Option(None, "--status", help="draft, active or retired."),
        all_versions: bool = typer.Option(
            False, "--all-versions", help="Every version, not only the latest."
        ),
        as_json: bool = JsonOpt,
    ) -> None:
        """Rules with their latest version and status."""
        from rich.table import Table

        items = runtime().compliance.rules.list_rules(status, all_versions)
        if as_json:
            print_json([r.model_dump(mode="json") for r in items])
            return
        table = Table(title=f"{len(items)} rules")
        for col in ("id", "v", "status", "applies to", "code", "risk", "mode", "title"):
            table.add_column(col)
        for r in items:
            table.add_row(
                r.id, str(r.version), r.status, r.applies_to, r.code, r.risk, r.check_mode, r.title.zh
            )
        console.print(table)

    @rules.command("show")
    def show(rule_id: str, version: int | None = VersionOpt, as_json: bool = JsonOpt) -> None:
        """The rule document and its change history."""
        import yaml

        svc = runtime().compliance.rules
        try:
            doc = svc.show(rule_id, version)
        except _errors() as exc:
            raise fail(str(exc), 2) from exc
        history = svc.history(rule_id)
        if as_json:
            print_json({"rule": doc.body(), "history": [h.model_dump(mode="json") for h in history]})
            return
        console.print(yaml.safe_dump(doc.body(), allow_unicode=True, sort_keys=False), markup=False)
        for h in history:
            console.print(
                f"{h.ts:%Y-%m-%d %H:%M} {h.actor} {h.action}: v{h.old_version} ({h.old_status}) -> "
                f"v{h.new_version} ({h.new_status})"
            )

    @rules.command("history")
    def history(rule_id: str, as_json: bool = JsonOpt) -> None:
        """Every change to a rule: who, when, old and new version."""
        items = runtime().compliance.rules.history(rule_id)
        if as_json:
            print_json([h.model_dump(mode="json") for h in items])
            return
        for h in items:
            console.print(
                f"{h.ts:%Y-%m-%d %H:%M:%S} {h.actor} {h.action}: v{h.old_version} ({h.old_status}) -> "
                f"v{h.new_version} ({h.new_status})"
            )

    @rules.command("create")
    def create(file: Path, actor: str = ActorOpt, as_json: bool = JsonOpt) -> None:
        """Create a draft rule from a YAML or JSON file."""
        try:
            created = runtime().compliance.rules.create(_read_rule(file), actor)
        except _errors() as exc:
            raise fail(str(exc), 2) from exc
        if as_json:
            print_json(created.model_dump(mode="json"))
            return
        console.print(f"created {created.id}@{created.version} (draft)")

    @rules.command("edit")
    def edit(
        rule_id: str,
        file: Path | None = typer.Argument(None, help="A full rule file, or use --set."),
        sets: list[str] = typer.Option(
            [], "--set", help="path=value, e.g. params.max_ratio=0.04 (repeatable)."
        ),
        actor: str = ActorOpt,
        as_json: bool = JsonOpt,
    ) -> None:
        """Edit a draft in place, or start a new draft version of an active rule."""
        from tools.compliance.authoring import deep_merge

        changes = deep_merge(_read_rule(file) if file else {}, parse_sets(sets))
        if not changes:
            raise fail("nothing to change: give a FILE or --set path=value", 2)
        try:
            edited = runtime().compliance.rules.edit(rule_id, changes, actor)
        except _errors() as exc:
            raise fail(str(exc), 2) from exc
        if as_json:
            print_json(edited.model_dump(mode="json"))
            return
        console.print(f"{edited.id}@{edited.version} is now a {edited.status} version")

    @rules.command("examples")
    def examples(rule_id: str, version: int | None = VersionOpt, as_json: bool = JsonOpt) -> None:
        """Run the rule's must-flag and must-pass examples (exit 1 if any fails)."""
        try:
            report = runtime().compliance.rules.examples(rule_id, version)
        except _errors() as exc:
            raise fail(str(exc), 2) from exc
        if as_json:
            print_json(report.model_dump(mode="json"))
        else:
            for r in report.results:
                mark = "[green]ok[/green]" if r.ok else "[red]FAIL[/red]"
                console.print(f"{mark} must {r.expected}: {r.name}" + (f" ({r.detail})" if r.detail else ""))
        if not report.ok:
            raise typer.Exit(1)

    @rules.command("simulate")
    def simulate(
        rule_id: str,
        days: int = typer.Option(90, "--days", min=1, help="How far back to look."),
        version: int | None = VersionOpt,
        as_json: bool = JsonOpt,
    ) -> None:
        """What the version would flag over recent history, and how much of it is new."""
        try:
            report = runtime().compliance.rules.simulate(rule_id, days, version)
        except _errors() as exc:
            raise fail(str(exc), 2) from exc
        if as_json:
            print_json(report.model_dump(mode="json"))
            return
        console.print(f"{report.rule_id}@{report.version}: {report.summary.en} / {report.summary.zh}")
        if report.new_ids:
            console.print("new: " + ", ".join(report.new_ids))

    @rules.command("activate")
    def activate(
        rule_id: str, version: int | None = VersionOpt, actor: str = ActorOpt, as_json: bool = JsonOpt
    ) -> None:
        """Activate a version (its examples must pass); the previous active version is retired."""
        try:
            done = runtime().compliance.rules.activate(rule_id, actor, version)
        except _errors() as exc:
            raise fail(str(exc), 2) from exc
        if as_json:
            print_json(done.model_dump(mode="json"))
            return
        console.print(f"{done.id}@{done.version} is active")

    @rules.command("retire")
    def retire(rule_id: str, actor: str = ActorOpt, as_json: bool = JsonOpt) -> None:
        """Retire the active version of a rule."""
        try:
            done = runtime().compliance.rules.retire(rule_id, actor)
        except _errors() as exc:
            raise fail(str(exc), 2) from exc
        if as_json:
            print_json(done.model_dump(mode="json"))
            return
        console.print(f"{done.id}@{done.version} retired")
