"""Several API workers behind one PostgreSQL store/checkpointer, a Chroma server and Redis serve one
conversation consistently, share rate-limit counters, and keep one audit chain.

Two servers are started with `copilot serve`: A with `--workers 2`, B with one worker; requests
alternate between them, so a thread's turns land on different processes. Driven with the
official `openai` client over loopback (the client works unchanged with `base_url`).
"""

from __future__ import annotations

import asyncio
import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import openai
import pytest

from knowledge.store import audit
from knowledge.store.db import make_engine, make_session_factory

ROOT = Path(__file__).resolve().parents[3]
CHROMA = Path(sys.executable).with_name("chroma")
pytestmark = [pytest.mark.slow, pytest.mark.postgres]


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait(url: str, proc: subprocess.Popen[bytes], seconds: float = 240) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert proc.poll() is None, f"{url} exited with {proc.returncode}"
        try:
            if httpx.get(url, timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    raise AssertionError(f"{url} not ready within {seconds} s")


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    from tests.conftest import _create_pg_database, _drop_pg_database

    tmp = tmp_path_factory.mktemp("cluster")
    db_name, pg_url = _create_pg_database()
    procs: list[subprocess.Popen[bytes]] = []
    chroma_port = _port()
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("COPILOT_") or k == "COPILOT_TEST_PG_URL"},
        "COPILOT_DATA_DIR": str(tmp / "data"),
        "COPILOT_DATABASE_URL": pg_url,
        "COPILOT_CHROMA_URL": f"http://127.0.0.1:{chroma_port}",
        "COPILOT_REDIS_URL": "redis://127.0.0.1:6379",
        "COPILOT_RATE_LIMIT_PER_MINUTE": "40",
        "COPILOT_TODAY": "2026-11-30",
        "COPILOT_LOG_LEVEL": "WARNING",
    }

    def start(*args: str, log: str) -> subprocess.Popen[bytes]:
        out = (tmp / log).open("wb")
        proc = subprocess.Popen([*args], env=env, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT)
        procs.append(proc)
        return proc

    copilot = [sys.executable, "-m", "copilot.cli.main"]
    try:
        chroma = start(
            str(CHROMA),
            "run",
            "--path",
            str(tmp / "chroma"),
            "--host",
            "127.0.0.1",
            "--port",
            str(chroma_port),
            log="chroma.log",
        )
        _wait(f"{env['COPILOT_CHROMA_URL']}/api/v2/heartbeat", chroma)
        subprocess.run(
            [*copilot, "seed", "--skip-docs", "--json"], env=env, cwd=ROOT, check=True, capture_output=True
        )
        keys = json.loads(
            subprocess.run(
                [*copilot, "keys", "demo", "--json"],
                env=env,
                cwd=ROOT,
                check=True,
                capture_output=True,
                text=True,
            ).stdout
        )
        port_a, port_b = _port(), _port()
        a = start(*copilot, "serve", "--port", str(port_a), "--workers", "2", log="a.log")
        b = start(*copilot, "serve", "--port", str(port_b), log="b.log")
        _wait(f"http://127.0.0.1:{port_a}/readyz", a)
        _wait(f"http://127.0.0.1:{port_b}/readyz", b)
        yield {"a": f"http://127.0.0.1:{port_a}", "b": f"http://127.0.0.1:{port_b}", "pg_url": pg_url, **keys}
    finally:
        for proc in procs:
            if proc.poll() is None:
                proc.terminate()
        for proc in procs:
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
        _drop_pg_database(db_name)


def client(base: str, key: str) -> openai.OpenAI:
    return openai.OpenAI(api_key=key, base_url=f"{base}/v1", max_retries=0, timeout=120)


def test_one_conversation_across_workers(cluster: dict[str, str]) -> None:
    ready = httpx.get(f"{cluster['a']}/readyz").json()
    assert ready["checks"]["database"]["detail"] == "postgresql" and ready["checks"]["redis"]["ok"]
    assert ready["checks"]["chroma"]["detail"].startswith("server")
    a, b = client(cluster["a"], cluster["rep"]), client(cluster["b"], cluster["rep"])
    first = a.chat.completions.create(
        model="copilot", messages=[{"role": "user", "content": "杭州仓瑞畅还有多少库存？"}]
    )
    thread_id = first.model_extra["thread_id"]  # type: ignore[index]
    assert "35" in (first.choices[0].message.content or "")
    second = b.chat.completions.create(
        model="copilot",
        messages=[{"role": "user", "content": "那广州仓呢？"}],
        metadata={"thread_id": thread_id},
    )
    assert "420" in (second.choices[0].message.content or "")  # the follow-up resolved from turn 1's context
    chunks = list(
        a.chat.completions.create(
            model="copilot",
            messages=[{"role": "user", "content": "济南仓呢？"}],
            metadata={"thread_id": thread_id},
            stream=True,
        )
    )
    assert "260" in "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    history = httpx.get(
        f"{cluster['b']}/v1/threads/{thread_id}/messages",
        headers={"Authorization": f"Bearer {cluster['rep']}"},
    )
    assert [m["role"] for m in history.json()["data"]] == ["user", "assistant"] * 3
    other = httpx.get(
        f"{cluster['a']}/v1/threads/{thread_id}", headers={"Authorization": f"Bearer {cluster['manager']}"}
    )
    assert other.status_code == 404


def test_rate_limit_counters_are_shared(cluster: dict[str, str]) -> None:
    statuses = []
    for i in range(42):  # 40 a minute per key, alternating between the servers
        base = cluster["a"] if i % 2 else cluster["b"]
        resp = httpx.get(f"{base}/v1/models", headers={"Authorization": f"Bearer {cluster['marketing']}"})
        statuses.append(resp.status_code)
    assert statuses[:40] == [200] * 40  # with per-worker counters the 41st would still be 200
    assert statuses[40:] == [429, 429]
    assert int(resp.headers["retry-after"]) >= 1


def test_one_audit_chain_under_concurrent_appends(cluster: dict[str, str]) -> None:
    engine = make_engine(cluster["pg_url"])
    factory = make_session_factory(engine)
    with factory() as s:
        before = audit.verify(s).entries

    async def burst() -> list[int]:
        async with httpx.AsyncClient(timeout=60) as http:
            calls = [
                http.post(
                    f"{cluster['a' if i % 2 else 'b']}/v1/threads",
                    json={"title": f"t{i}"},
                    headers={"Authorization": f"Bearer {cluster[role]}"},
                )
                for i, role in enumerate(["admin", "integration"] * 15)
            ]
            return [r.status_code for r in await asyncio.gather(*calls)]

    assert asyncio.run(burst()) == [201] * 30
    with factory() as s:
        report = audit.verify(s)
    engine.dispose()
    assert report.ok and report.entries == before + 30
