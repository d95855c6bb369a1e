"""Shared CLI plumbing: settings, runtime, console and `--json` output."""

from __future__ import annotations

import json
import logging
from functools import lru_cache
from typing import Any

import typer
from rich.console import Console

from copilot.config import Settings, load_settings
from copilot.runtime import Runtime

console = Console()
err_console = Console(stderr=True)

JsonOpt = typer.Option(False, "--json", help="Print machine-readable JSON.")


@lru_cache(maxsize=1)
def settings() -> Settings:
    s = load_settings()
    logging.basicConfig(level=s.log_level, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    return s


@lru_cache(maxsize=1)
def runtime() -> Runtime:
    return Runtime(settings())


def print_json(obj: Any) -> None:
    """JSON on stdout, UTF-8 kept readable (Chinese is not escaped)."""
    typer.echo(json.dumps(obj, ensure_ascii=False, indent=2, default=str))


def fail(message: str, code: int = 1) -> typer.Exit:
    err_console.print(f"[red]error:[/red] {message}")
    return typer.Exit(code)
