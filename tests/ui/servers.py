"""Start the real API and UI as subprocesses on free loopback ports for UI tests."""

from __future__ import annotations

import contextlib
import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_http(url: str, timeout: float = 90.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(url, timeout=2).status_code < 500:
                return
        time.sleep(0.3)
    raise TimeoutError(f"{url} did not come up in {timeout:.0f} s")


@dataclass
class Stack:
    api_url: str
    ui_url: str | None
    env: dict[str, str]

    def key(self, role: str, person: str | None = None) -> str:
        args = [str(BIN / "copilot"), "keys", "create", "--role", role, "--json"]
        if person:
            args += ["--person", person]
        out = subprocess.run(args, env=self.env, check=True, capture_output=True, text=True).stdout
        return str(json.loads(out)["key"])


@contextlib.contextmanager
def running_stack(data_dir: Path, with_ui: bool = True) -> Iterator[Stack]:
    """Seed a data dir, then serve the API (and the UI) from it until the block ends."""
    env = {**os.environ, "COPILOT_DATA_DIR": str(data_dir), "COPILOT_TODAY": "2026-11-30"}
    subprocess.run([str(BIN / "copilot"), "seed"], env=env, check=True, capture_output=True, cwd=ROOT)
    api_port = free_port()
    env["COPILOT_API_URL"] = f"http://127.0.0.1:{api_port}"
    procs = [subprocess.Popen(
        [str(BIN / "uvicorn"), "copilot.api.main:app", "--host", "127.0.0.1", "--port", str(api_port)],
        env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )]
    ui_url = None
    try:
        wait_http(f"http://127.0.0.1:{api_port}/healthz")
        if with_ui:
            ui_port = free_port()
            procs.append(subprocess.Popen(
                [str(BIN / "streamlit"), "run", str(ROOT / "ui" / "app.py"), "--server.headless", "true",
                 "--server.port", str(ui_port), "--browser.gatherUsageStats", "false"],
                env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            ))
            ui_url = f"http://127.0.0.1:{ui_port}"
            wait_http(f"{ui_url}/_stcore/health")
        yield Stack(env["COPILOT_API_URL"], ui_url, env)
    finally:
        for p in procs:
            p.terminate()
        for p in procs:
            try:
                p.wait(10)
            except subprocess.TimeoutExpired:
                p.kill()
