"""`copilot up` keeps its children together: a signal or one child's exit stops them all."""

from __future__ import annotations

import os
import signal
import sys
import threading
import time

from copilot.cli.serve import Supervisor, api_command, ui_command


def _sleeper(seconds: float, code: int = 0) -> list[str]:
    return [sys.executable, "-c", f"import time, sys; time.sleep({seconds}); sys.exit({code})"]


def test_one_child_exiting_stops_the_other() -> None:
    sup = Supervisor()
    sup.start("long", _sleeper(60))
    sup.start("short", _sleeper(0.2, code=3))
    started = time.monotonic()
    assert sup.wait() == 3
    assert time.monotonic() - started < 15
    assert all(p.poll() is not None for p in sup.children.values())


def test_sigterm_stops_children() -> None:
    sup = Supervisor()
    sup.start("a", _sleeper(60))
    sup.start("b", _sleeper(60))
    threading.Timer(0.5, lambda: os.kill(os.getpid(), signal.SIGTERM)).start()
    assert sup.wait() == 0
    assert all(p.poll() is not None for p in sup.children.values())


def test_commands() -> None:
    assert api_command("0.0.0.0", 9000, workers=2)[-4:] == ["--port", "9000", "--workers", "2"]
    assert "copilot.api.main:app" in api_command("127.0.0.1", 8000)
    cmd = ui_command(8501)
    assert cmd[1:4] == ["-m", "streamlit", "run"] and cmd[cmd.index("--server.headless") + 1] == "true"
