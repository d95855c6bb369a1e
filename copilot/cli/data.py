"""`copilot seed`, `copilot import KIND FILE` and `copilot db upgrade|current|revision`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer

from copilot.cli.common import JsonOpt, console, err_console, fail, print_json, runtime, settings

IMPORT_KINDS = ("stock", "customers", "contracts", "orders")


def _jsonable(obj: Any) -> Any:
    if obj is None:
        return None
    if hasattr(obj, "model_dump"):
        return obj.model_dump(mode="json")
    if hasattr(obj, "as_dict"):
        return obj.as_dict()
    return str(obj)


def reset_database(engine: Any) -> None:
    """Drop every table (including Alembic's version table), then migrate from scratch."""
    from sqlalchemy import MetaData

    from knowledge.store.schema import migrate

    meta = MetaData()
    meta.reflect(engine)
    meta.drop_all(engine)
    engine.dispose()
    migrate(engine)


def _load_rules(rt: Any) -> int:
    """The shipped compliance rules (tools/compliance/rules) the table lacks; idempotent."""
    from knowledge.store.db import transaction
    from tools.compliance.rulestore import load_shipped_rules

    with transaction(rt.session_factory) as session:
        return load_shipped_rules(session)


def run_seed(*, reset: bool, docs: bool, quiet: bool) -> dict[str, Any]:
    """Migrate, load the demo world, then ingest the demo documents (the KB step); returns a summary."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from knowledge.seed.loader import load_demo

    rt = runtime()
    if reset:
        reset_database(rt.engine)
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=err_console, transient=True, disable=quiet) as progress:
        task = progress.add_task("demo world", total=None)

        def on_table(name: str, done: int, total: int) -> None:
            progress.update(task, description=f"demo world: {name}", completed=done, total=total)

        report = load_demo(rt.session_factory, progress=on_table)
        rules_added = _load_rules(rt)
        documents: Any = None
        # Knowledge-base step: the demo documents are ingested after the records they cite.
        if docs and hasattr(rt, "seed_documents"):
            doc_task = progress.add_task("documents", total=None)

            def on_doc(name: str, done: int, total: int) -> None:
                progress.update(doc_task, description=f"documents: {name}", completed=done, total=total)

            documents = rt.seed_documents(progress=on_doc)
    return {
        "database": rt.engine.url.render_as_string(hide_password=True),
        "reset": reset,
        "world": report.as_dict(),
        "compliance_rules_added": rules_added,
        "documents": _jsonable(documents),
    }


def seed(
    reset: bool = typer.Option(False, "--reset", help="Drop every table first, then load from scratch."),
    docs: bool = typer.Option(True, "--docs/--skip-docs", help="Also ingest the demo documents."),
    json_out: bool = JsonOpt,
) -> None:
    """Load the demo world (idempotent: a second run changes nothing)."""
    summary = run_seed(reset=reset, docs=docs, quiet=json_out)
    if json_out:
        print_json(summary)
        return
    from rich.table import Table

    world = summary["world"]
    table = Table("table", "inserted", "updated", "unchanged", title=f"demo world ({summary['database']})")
    for name, c in world["tables"].items():
        table.add_row(name, str(c["inserted"]), str(c["updated"]), str(c["unchanged"]))
    console.print(table)
    console.print(
        f"{world['inserted']} inserted, {world['updated']} updated, {world['unchanged']} unchanged "
        f"in {world['seconds']:.2f} s"
    )
    if summary["documents"] is not None:
        counts = summary["documents"].get("counts", {}) if isinstance(summary["documents"], dict) else {}
        console.print(f"documents: {counts or summary['documents']}")


def import_cmd(
    kind: str = typer.Argument(..., help="stock | customers | contracts | orders"),
    file: Path = typer.Argument(..., help="CSV (UTF-8 or GB18030) or XLSX export."),
    json_out: bool = JsonOpt,
) -> None:
    """Import an ERP/CRM export; a file with any bad row imports nothing and exits 1."""
    from knowledge.seed.importers import NotATableError, import_file

    if kind not in IMPORT_KINDS:
        raise fail(f"unknown kind {kind!r}; expected one of {', '.join(IMPORT_KINDS)}", code=2)
    try:
        report = import_file(runtime().session_factory, kind, file, actor="cli")
    except NotATableError as exc:
        if json_out:
            print_json({"kind": kind, "file": str(file), "ok": False, "error": str(exc)})
        raise fail(str(exc), code=2) from exc
    if json_out:
        print_json(report.as_dict())
    elif report.ok:
        c = report.counts
        console.print(
            f"{kind}: {report.rows} rows, {c.inserted} inserted, {c.updated} updated, {c.unchanged} unchanged"
        )
        if report.ignored_columns:
            console.print(f"ignored columns: {', '.join(report.ignored_columns)}")
    else:
        from rich.table import Table

        table = Table(
            "row", "column", "reason", title=f"{file.name}: {len(report.errors)} problems, nothing imported"
        )
        for e in report.errors:
            table.add_row(str(e.row), e.column, e.reason)
        err_console.print(table)
    if not report.ok:
        raise typer.Exit(1)


db_app = typer.Typer(help="Database schema (Alembic).", no_args_is_help=True)


@db_app.command("upgrade")
def db_upgrade(json_out: bool = JsonOpt) -> None:
    """Migrate the database to the newest revision."""
    from knowledge.store.db import make_engine
    from knowledge.store.schema import migrate

    engine = make_engine(settings().resolved_database_url)
    try:
        migrate(engine)
        heads = _current(engine)
    finally:
        engine.dispose()
    if json_out:
        print_json({"database": engine.url.render_as_string(hide_password=True), "revisions": heads})
    else:
        console.print(f"database at {', '.join(heads) or '(empty)'}")


@db_app.command("current")
def db_current(json_out: bool = JsonOpt) -> None:
    """Show the revision(s) the database is at (empty: not migrated yet)."""
    from knowledge.store.db import make_engine

    engine = make_engine(settings().resolved_database_url)
    try:
        heads = _current(engine)
    finally:
        engine.dispose()
    if json_out:
        print_json({"database": engine.url.render_as_string(hide_password=True), "revisions": heads})
    else:
        console.print(", ".join(heads) or "(not migrated)")


@db_app.command("revision")
def db_revision(message: str = typer.Argument(..., help="What the revision changes.")) -> None:
    """Autogenerate a revision from the models (developer tool)."""
    from knowledge.store.db import make_engine
    from knowledge.store.schema import migrate, revision

    engine = make_engine(settings().resolved_database_url)
    try:
        migrate(engine)
        revision(engine, message)
    finally:
        engine.dispose()


def _current(engine: Any) -> list[str]:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as conn:
        return sorted(MigrationContext.configure(conn).get_current_heads())


def register(app: typer.Typer) -> None:
    app.command("seed")(seed)
    app.command("import")(import_cmd)
    app.add_typer(db_app, name="db")
