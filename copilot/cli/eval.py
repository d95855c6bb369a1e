"""`copilot eval`: run eval suites and print a scorecard; non-zero exit below a threshold."""

from __future__ import annotations

import os
from pathlib import Path

import typer

from copilot.cli.common import console, fail, print_json

DEMO_TODAY = "2026-11-30"


def register(app: typer.Typer) -> None:
    @app.command("eval")
    def eval_cmd(
        suite: list[str] = typer.Option(None, "--suite", help="Suite name(s); default: all."),
        dataset: list[Path] = typer.Option(None, "--dataset", help="JSONL file(s) of cases."),
        model: str | None = typer.Option(None, "--model", help="offline | openai (overrides settings)."),
        as_json: bool = typer.Option(False, "--json", help="Print machine-readable JSON."),
        out: Path | None = typer.Option(None, "--out", help="Also write the JSON summary here."),
    ) -> None:
        """Score the copilot on datasets (COPILOT_TODAY is pinned to the demo date)."""
        import json

        os.environ.setdefault("COPILOT_TODAY", DEMO_TODAY)
        if model:
            os.environ["COPILOT_MODEL_MODE"] = model
        from rich.table import Table

        from copilot.config import load_settings
        from copilot.runtime import Runtime
        from evals.runner import DatasetError, run, summary

        runtime = Runtime(load_settings())
        try:
            reports = run(runtime, suite or None, dataset or None)
        except DatasetError as exc:
            raise fail(str(exc), 2) from exc
        result = summary(reports)
        if out:
            out.write_text(json.dumps(result, ensure_ascii=False, indent=2), encoding="utf-8")
        if as_json:
            print_json(result)
        else:
            table = Table(title="Eval scorecard")
            for col in ("suite", "cases", "passed", "metrics", "thresholds", "ok"):
                table.add_column(col)
            for name, rep in reports.items():
                table.add_row(
                    name,
                    str(rep.cases),
                    str(rep.passed),
                    ", ".join(f"{k}={v:.3f}" for k, v in rep.metrics.items()),
                    ", ".join(f"{k}>={v}" for k, v in rep.thresholds.items()),
                    "[green]yes[/green]" if rep.ok else "[red]no[/red]",
                )
            console.print(table)
            for f in result["failures"][:30]:
                console.print(f"  [red]x[/red] {f['suite']}/{f['id']}: {f['reason']}")
        if not result["ok"]:
            raise typer.Exit(1)
