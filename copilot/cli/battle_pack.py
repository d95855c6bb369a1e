"""`copilot battle-pack`: build, save and push a battle pack; print it as Markdown, JSON or PDF."""

from __future__ import annotations

from pathlib import Path

import typer

from copilot.cli.common import console, fail, print_json, runtime, settings


def register(app: typer.Typer) -> None:
    @app.command("battle-pack")
    def battle_pack(
        customer: str = typer.Option(..., "--customer", help="Hospital id or name, e.g. H-ZJ-001."),
        product: str = typer.Option(..., "--product", help="Product id or name, e.g. HMT-DCB-02."),
        as_json: bool = typer.Option(False, "--json", help="Print the pack as JSON."),
        as_md: bool = typer.Option(False, "--md", help="Print the pack as raw Markdown."),
        pdf: Path | None = typer.Option(None, "--pdf", help="Also write the pack as a PDF to this file."),
        lang: str | None = typer.Option(None, "--lang", help="zh | en (default: COPILOT_LANGUAGE)."),
    ) -> None:
        """Build a battle pack for a (customer, product) pair, save it and push the work items."""
        from tools.base import AccessDeniedError
        from tools.battle_pack.render_md import render
        from tools.battle_pack.render_pdf import FontNotFoundError
        from tools.battle_pack.render_pdf import render as render_pdf
        from tools.common import NotFoundError, Principal, Role

        s = settings()
        rt = runtime()
        pack_lang = lang or s.language.value
        if pack_lang not in ("zh", "en"):
            raise fail(f"--lang must be zh or en, not {pack_lang!r}", 2)
        principal = Principal(role=Role.ADMIN, key_id="cli")
        try:
            with console.status("building battle pack…", spinner="dots"):
                pack = rt.build_battle_pack(customer, product, principal, pack_lang)
        except NotFoundError as exc:
            hint = "" if exc.suggestions else " (is the demo world loaded? run `copilot seed`)"
            raise fail(f"{exc}{hint}", 2) from exc
        except AccessDeniedError as exc:
            raise fail(str(exc), 3) from exc
        if pdf is not None:
            try:
                render_pdf(pack, pdf)
            except FontNotFoundError as exc:
                raise fail(str(exc), 4) from exc
        if as_json:
            print_json(pack.model_dump(mode="json"))
        elif as_md:
            typer.echo(render(pack))
        else:
            from rich.markdown import Markdown

            console.print(Markdown(render(pack)))
        if pdf is not None and not as_json:
            console.print(f"[green]PDF written:[/green] {pdf}")
