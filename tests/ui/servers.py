"""Serve the real API (and the UI) as subprocesses on free loopback ports for the UI tests.

Seeding the demo world embeds the documents (minutes on a loaded machine), so it happens once
per test session into a template data dir (`seed_template`); each stack works on its own copy.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
TODAY = "2026-11-30"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_http(url: str, proc: subprocess.Popen[bytes], timeout: float = 120.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"{proc.args!r} exited with {proc.returncode} before {url} answered")
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(url, timeout=2).status_code < 500:
                return
        time.sleep(0.3)
    raise TimeoutError(f"{url} did not come up in {timeout:.0f} s")


def _env(data_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("COPILOT_")}
    return {**env, "COPILOT_DATA_DIR": str(data_dir), "COPILOT_TODAY": TODAY}


def seed_template(data_dir: Path) -> Path:
    """The demo world (records and documents) plus one compliance scan, so the heat map and the
    alerts have what the history plants."""
    env = _env(data_dir)
    for args in (["seed"], ["compliance", "scan", "--json"]):
        subprocess.run([str(BIN / "copilot"), *args], env=env, check=True, capture_output=True, cwd=ROOT)
    return data_dir


@dataclass
class Stack:
    api_url: str
    ui_url: str | None
    data_dir: Path
    _keys: dict[tuple[str, str | None], str] = field(default_factory=dict)

    def key(self, role: str, person: str | None = None) -> str:
        """An API key for a role (and person), created straight in the stack's store."""
        if (role, person) not in self._keys:
            from copilot.api.security import create_key
            from knowledge.store.db import make_engine, make_session_factory

            engine = make_engine(f"sqlite:///{self.data_dir / 'copilot.db'}")
            try:
                created = create_key(make_session_factory(engine), role, person, label="ui-test")
            finally:
                engine.dispose()
            self._keys[(role, person)] = created.key
        return self._keys[(role, person)]

    def api(self, role: str, person: str | None = None) -> httpx.Client:
        headers = {"Authorization": f"Bearer {self.key(role, person)}"}
        return httpx.Client(base_url=self.api_url, headers=headers, timeout=60)


def _stop(procs: list[subprocess.Popen[bytes]]) -> None:
    for p in procs:
        p.terminate()
    for p in procs:
        try:
            p.wait(10)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait()


@contextlib.contextmanager
def running_stack(template: Path, workdir: Path, with_ui: bool = True) -> Iterator[Stack]:
    """Copy the seeded template, then serve the API (and the UI) from the copy until the block ends."""
    data_dir = workdir / "data"
    shutil.copytree(template, data_dir)
    env = _env(data_dir)
    api_port = free_port()
    env["COPILOT_API_URL"] = f"http://127.0.0.1:{api_port}"
    logs = [(workdir / "api.log").open("wb")]
    procs = [
        subprocess.Popen(
            [str(BIN / "uvicorn"), "copilot.api.main:app", "--host", "127.0.0.1", "--port", str(api_port)],
            env=env,
            cwd=ROOT,
            stdout=logs[0],
            stderr=subprocess.STDOUT,
        )
    ]
    ui_url = None
    try:
        wait_http(f"{env['COPILOT_API_URL']}/healthz", procs[0])
        if with_ui:
            ui_port = free_port()
            logs.append((workdir / "ui.log").open("wb"))
            procs.append(
                subprocess.Popen(
                    [str(BIN / "streamlit"), "run", str(ROOT / "ui" / "app.py"), "--server.headless", "true",
                     "--server.port", str(ui_port), "--browser.gatherUsageStats", "false"],
                    env=env,
                    cwd=ROOT,
                    stdout=logs[1],
                    stderr=subprocess.STDOUT,
                )
            )  # fmt: skip
            ui_url = f"http://127.0.0.1:{ui_port}"
            wait_http(f"{ui_url}/_stcore/health", procs[1])
        yield Stack(env["COPILOT_API_URL"], ui_url, data_dir)
    finally:
        _stop(procs)
        for f in logs:
            f.close()
