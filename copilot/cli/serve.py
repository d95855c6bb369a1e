"""`copilot up` (what `make run` starts), `copilot serve` (the API) and `copilot ui` (Streamlit).

`up` migrates, seeds an empty store once, then runs the API and the UI as child processes and
stops both cleanly on Ctrl-C or SIGTERM; if either child dies the other is stopped too, so a
half-running system never looks healthy.
"""

from __future__ import annotations

import importlib.util
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from types import FrameType

import typer

from copilot.cli.common import console, err_console, fail, runtime, settings

ROOT = Path(__file__).resolve().parents[2]
UI_APP = ROOT / "ui" / "app.py"
API_APP = "copilot.api.main:app"
STOP_TIMEOUT_S = 10.0


def _browse_host(host: str) -> str:
    return "127.0.0.1" if host in {"0.0.0.0", "::", ""} else host


def api_command(host: str, port: int, workers: int = 1) -> list[str]:
    cmd = [sys.executable, "-m", "uvicorn", API_APP, "--host", host, "--port", str(port)]
    return [*cmd, "--workers", str(workers)] if workers > 1 else cmd


def ui_command(port: int) -> list[str]:
    return [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(UI_APP),
        "--server.port",
        str(port),
        "--server.headless",
        "true",
        "--browser.gatherUsageStats",
        "false",
    ]


def store_is_empty() -> bool:
    """Quick check: a store without products has never been seeded."""
    from sqlalchemy import select

    from knowledge.store.models import Product

    with runtime().session_factory() as session:
        return session.execute(select(Product.id).limit(1)).first() is None


class Supervisor:
    """Child processes that live and die together."""

    def __init__(self) -> None:
        self.children: dict[str, subprocess.Popen[bytes]] = {}
        self._stopping = False

    def start(self, name: str, cmd: list[str], env: dict[str, str] | None = None) -> None:
        self.children[name] = subprocess.Popen(cmd, env=env, cwd=ROOT)

    def _on_signal(self, signum: int, _frame: FrameType | None) -> None:
        self._stopping = True

    def wait(self) -> int:
        """Block until a signal arrives or a child exits; then stop the rest. Returns an exit code."""
        previous = {s: signal.signal(s, self._on_signal) for s in (signal.SIGINT, signal.SIGTERM)}
        code = 0
        try:
            while not self._stopping:
                for name, proc in self.children.items():
                    rc = proc.poll()
                    if rc is not None:
                        err_console.print(f"[red]{name} exited with code {rc}; stopping the rest[/red]")
                        self._stopping, code = True, rc or 1
                        break
                time.sleep(0.3)
        finally:
            self.stop()
            for sig, handler in previous.items():
                signal.signal(sig, handler)
        return code

    def stop(self) -> None:
        for proc in self.children.values():
            if proc.poll() is None:
                proc.terminate()
        deadline = time.monotonic() + STOP_TIMEOUT_S
        for proc in self.children.values():
            try:
                proc.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def up(
    seed_if_empty: bool = typer.Option(
        True, "--seed/--no-seed", help="Load the demo world into an empty store."
    ),
) -> None:
    """Migrate, seed on first start, then serve the API and the UI until Ctrl-C."""
    s = settings()
    runtime().engine  # noqa: B018  (migrates)
    if seed_if_empty and store_is_empty():
        from copilot.cli.data import run_seed

        console.print("first start: loading the demo world ...")
        summary = run_seed(reset=False, docs=True, quiet=False)
        console.print(f"demo world loaded: {summary['world']['inserted']} records")
        # One history scan, so legal's alerts and the dashboard's heat map show the planted facts
        # from the first screen; later scans run on demand (UI, API or `copilot compliance scan`).
        report = runtime().compliance.scan(actor="copilot-up")
        console.print(
            f"compliance scan: {report.new_findings} finding(s), {report.alerts_raised} alert(s) raised"
        )
    from copilot.api.security import DEMO_KEYS_FILE, ensure_demo_keys

    demo_keys = ensure_demo_keys(runtime().session_factory, s.data_dir / DEMO_KEYS_FILE)
    console.print(f"demo API keys (one per role, kept in {s.data_dir / DEMO_KEYS_FILE}):")
    for role, key in demo_keys.items():
        console.print(f"  {role:17} {key}")
    runtime().close()  # the children open their own connections
    sup = Supervisor()
    host = _browse_host(s.api_host)
    if importlib.util.find_spec("copilot.api.main") is not None:
        sup.start("api", api_command(s.api_host, s.api_port))
        console.print(f"API: http://{host}:{s.api_port}  (docs: http://{host}:{s.api_port}/docs)")
    if UI_APP.is_file():
        env = dict(os.environ)
        env.setdefault("COPILOT_API_URL", f"http://{host}:{s.api_port}")
        sup.start("ui", ui_command(s.ui_port), env=env)
        console.print(f"UI:  http://127.0.0.1:{s.ui_port}")
    if not sup.children:
        raise fail("neither copilot/api/main.py nor ui/app.py exists; nothing to run")
    console.print("press Ctrl-C to stop")
    raise typer.Exit(sup.wait())


def serve(
    host: str | None = typer.Option(None, "--host", help="Bind address (default: settings.api_host)."),
    port: int | None = typer.Option(None, "--port", help="Port (default: settings.api_port)."),
    workers: int = typer.Option(1, "--workers", min=1, help="Worker processes."),
) -> None:
    """Serve the HTTP API with uvicorn (migrating first, once, before workers start)."""
    import uvicorn

    s = settings()
    if workers > 1 and s.resolved_database_url.startswith("sqlite"):
        err_console.print(
            "[yellow]warning: several workers on SQLite; use COPILOT_DATABASE_URL=postgresql+psycopg://... "
            "so every worker sees the same threads and store[/yellow]"
        )
    if workers > 1 and not s.redis_url:
        err_console.print(
            "[yellow]warning: no COPILOT_REDIS_URL; rate limits are counted per worker[/yellow]"
        )
    runtime().engine  # noqa: B018  (migrate once, not in every worker)
    runtime().close()
    uvicorn.run(
        API_APP,
        host=host or s.api_host,
        port=port or s.api_port,
        workers=workers,
        log_level=s.log_level.lower(),
    )


def ui(port: int | None = typer.Option(None, "--port", help="Port (default: settings.ui_port).")) -> None:
    """Run the Streamlit UI (it talks to the API at settings.api_url)."""
    if not UI_APP.is_file():
        raise fail(f"{UI_APP} does not exist")
    sup = Supervisor()
    sup.start("ui", ui_command(port or settings().ui_port))
    raise typer.Exit(sup.wait())


def register(app: typer.Typer) -> None:
    app.command("up")(up)
    app.command("serve")(serve)
    app.command("ui")(ui)
