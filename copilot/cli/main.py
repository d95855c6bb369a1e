"""The `copilot` command. Each command group lives in its own module and registers itself here.

Modules import heavy dependencies inside their command functions, so `copilot --help` is fast.
"""

from __future__ import annotations

import importlib

import typer

app = typer.Typer(
    name="copilot",
    help="Sales Copilot: battle packs, compliance checks and visit feedback for medical-device sales.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)


@app.callback()
def _root() -> None:
    """Sales Copilot command line."""


# Each module defines `register(app: typer.Typer) -> None`.
_COMMAND_MODULES = [
    "copilot.cli.data",  # seed, import, db
    "copilot.cli.serve",  # up, serve, ui
    "copilot.cli.ask",  # ask, chat
    "copilot.cli.ingest",  # ingest, kb search
    "copilot.cli.battle_pack",  # battle-pack
    "copilot.cli.compliance",  # compliance ..., audit ...
    "copilot.cli.feedback",  # visit ..., workbench ..., metrics, recommendations
    "copilot.cli.keys",  # keys ...
    "copilot.cli.eval",  # eval
]

for _name in _COMMAND_MODULES:
    try:
        _module = importlib.import_module(_name)
    except ModuleNotFoundError as exc:  # a group not built yet
        if exc.name != _name:
            raise
        continue
    _module.register(app)


if __name__ == "__main__":
    app()
