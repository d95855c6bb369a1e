"""A thread killed mid-turn (SIGKILL inside a tool call) resumes from its checkpoint with no lost
and no duplicated turn, and the thread survives the process (a new process sees it)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _run(data_dir: Path, mode: str, text: str) -> subprocess.Popen[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("COPILOT_")}
    return subprocess.Popen(
        [sys.executable, "-m", "tests.copilot.crash_worker", str(data_dir), mode, text],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _history(proc: subprocess.Popen[str]) -> list[dict[str, object]]:
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err
    return json.loads(out.strip().splitlines()[-1])


@pytest.mark.slow
def test_killed_turn_resumes_once(tmp_path: Path) -> None:
    first = _history(_run(tmp_path, "ask", "first question"))
    assert [m["role"] for m in first] == ["user", "assistant"]

    victim = _run(tmp_path, "crash", "second question")
    deadline = time.monotonic() + 60
    while not (tmp_path / "in_tool").exists():
        assert victim.poll() is None, victim.stderr.read() if victim.stderr else ""
        assert time.monotonic() < deadline, "the worker never reached the tool"
        time.sleep(0.05)
    victim.send_signal(signal.SIGKILL)
    victim.wait(timeout=30)

    # the client retries the same message in a new process: the turn resumes, it is not appended twice
    history = _history(_run(tmp_path, "ask", "second question"))
    assert [(m["role"], m["content"]) for m in history] == [
        ("user", "first question"),
        ("assistant", "answer to first question"),
        ("user", "second question"),
        ("assistant", "answer to second question"),
    ]

    # and the next turn continues the same thread
    third = _history(_run(tmp_path, "ask", "third question"))
    assert len(third) == 6 and third[-1]["content"] == "answer to third question"
