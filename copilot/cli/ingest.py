"""`copilot ingest PATH...` and `copilot kb search|list`: the knowledge base from the command line."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer

from copilot.cli.common import JsonOpt, console, err_console, fail, print_json, runtime


def _progress_ingest(paths: list[Path], overrides: dict[str, Any], prune: bool, quiet: bool) -> Any:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    kb = runtime().kb
    if quiet:
        return kb.ingest(paths, overrides=overrides, prune=prune)
    with Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err_console,
        transient=True,
    ) as bar:
        task = bar.add_task("reading", total=None)

        def tick(label: str, done: int, total: int) -> None:
            bar.update(task, description=f"embedding {label}"[:60], completed=done, total=max(total, 1))

        return kb.ingest(paths, overrides=overrides, progress=tick, prune=prune)


def register(app: typer.Typer) -> None:
    kb_app = typer.Typer(help="Search and list the knowledge base.", no_args_is_help=True)
    app.add_typer(kb_app, name="kb")

    @app.command("ingest")
    def ingest_cmd(
        paths: list[Path] = typer.Argument(None, help="Files or directories (md, txt, pdf, docx, csv)."),
        doc_type: str | None = typer.Option(
            None, "--doc-type", help="e.g. ifu, clinical_evidence, policy, law."
        ),
        roles: str | None = typer.Option(None, "--roles", help="Comma-separated roles that may read it."),
        product: str | None = typer.Option(None, "--product", help="Comma-separated product ids."),
        province: str | None = typer.Option(None, "--province", help="Province(s), e.g. 浙江; default 全国."),
        language: str | None = typer.Option(None, "--language", help="zh | en | mixed (default: detected)."),
        effective_date: str | None = typer.Option(None, "--effective-date", help="YYYY-MM-DD."),
        doc_id: str | None = typer.Option(None, "--doc-id", help="Document id (one file only)."),
        remove: list[str] = typer.Option(None, "--remove", help="Remove this document id (repeatable)."),
        prune: bool = typer.Option(
            False, "--prune", help="Also remove documents whose file under PATH is gone."
        ),
        as_json: bool = JsonOpt,
    ) -> None:
        """Ingest documents; unchanged files are skipped, changed ones replaced. Flags override front matter."""
        from knowledge.docs.models import FileOutcome, IngestReport

        if not paths and not remove:
            raise fail("give PATH(s) to ingest or --remove DOC_ID", 2)
        if doc_id and (len(paths or []) != 1 or paths[0].is_dir()):
            raise fail("--doc-id needs exactly one file", 2)
        overrides = {
            "doc_type": doc_type,
            "roles": roles,
            "product_ids": product,
            "province": province,
            "language": language,
            "effective_date": effective_date,
            "id": doc_id,
        }
        report = IngestReport()
        for rid in remove or []:
            n = runtime().kb.remove(rid)
            status = "removed" if n else "error"
            report.files.append(
                FileOutcome(
                    path="-", doc_id=rid, status=status, chunks=n, error=None if n else "no such document"
                )
            )
        if paths:
            result = _progress_ingest(list(paths), overrides, prune, as_json)
            report.files.extend(result.files)
            report.seconds, report.embed_seconds = result.seconds, result.embed_seconds
        if as_json:
            print_json(report.model_dump())
        else:
            from rich.table import Table

            table = Table(title="Ingest")
            for col in ("file", "doc id", "status", "chunks", "error"):
                table.add_column(col)
            colours = {"error": "red", "added": "green", "updated": "yellow", "removed": "magenta"}
            for f in report.files:
                colour = colours.get(f.status, "dim")
                table.add_row(
                    f.path, f.doc_id or "", f"[{colour}]{f.status}[/{colour}]", str(f.chunks), f.error or ""
                )
            console.print(table)
            console.print(
                f"{report.counts} · {report.chunks_embedded} chunks in {report.seconds:.1f}s "
                f"({report.chunks_per_s:.1f} chunks/s)"
            )
        if not report.ok:
            raise typer.Exit(1)

    @kb_app.command("search")
    def search_cmd(
        query: str = typer.Argument(..., help="Question or keywords, Chinese or English."),
        role: str = typer.Option("rep", "--role", help="Caller role: rep, manager, marketing, ..."),
        k: int = typer.Option(5, "--k", min=1, max=50, help="How many chunks."),
        doc_type: str | None = typer.Option(None, "--doc-type"),
        product: str | None = typer.Option(None, "--product"),
        province: str | None = typer.Option(None, "--province"),
        mode: str = typer.Option("hybrid", "--mode", help="hybrid | dense | bm25"),
        as_json: bool = JsonOpt,
    ) -> None:
        """Search the knowledge base as a given role (visibility is enforced by the store)."""
        from knowledge.docs.filters import FilterError

        if mode not in ("hybrid", "dense", "bm25"):
            raise fail("--mode must be hybrid, dense or bm25", 2)
        filters = {"doc_type": doc_type, "product_id": product, "province": province}
        try:
            hits = runtime().kb.search(query, role, k=k, filters=filters, mode=mode)  # type: ignore[arg-type]
        except FilterError as exc:
            raise fail(str(exc), 2) from exc
        if as_json:
            print_json([h.model_dump() for h in hits])
            return
        if not hits:
            console.print("no matching passage")
        for i, hit in enumerate(hits, start=1):
            console.print(f"[bold]{i}. {hit.citation}[/bold]  [dim]score {hit.score:.4f}[/dim]")
            console.print("   " + hit.text.replace("\n", "\n   ")[:600])

    @kb_app.command("list")
    def list_cmd(as_json: bool = JsonOpt) -> None:
        """Every document in the knowledge base, with its roles and chunk count."""
        docs = runtime().kb.documents()
        if as_json:
            print_json([d.model_dump() for d in docs])
            return
        from rich.table import Table

        table = Table(title=f"{len(docs)} documents")
        for col in ("doc id", "title", "type", "lang", "roles", "chunks"):
            table.add_column(col)
        for d in docs:
            table.add_row(d.doc_id, d.title, d.doc_type, d.language, ",".join(d.roles), str(d.chunks))
        console.print(table)
