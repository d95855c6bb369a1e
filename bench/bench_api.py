"""HTTP API figures: concurrent chat users (offline model) and compliance checks per second.

Starts its own server (`copilot serve`) on loopback over a fresh demo world in a temporary data
directory, unless `--url` and `--key` point at a running one. Phase 1: `--users` users chat for
`--duration` seconds, each on its own thread and key, waiting `--think` seconds between turns
(latency p50/p95/p99, throughput, errors). Phase 2: `--concurrency` clients post contract checks
for `--checks-seconds` seconds (checks per second). Prints figures; asserts nothing about time.

Usage: .venv/bin/python bench/bench_api.py [--users 50] [--duration 60] [--think 2] [--workers 1]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
QUESTIONS = [
    "杭州仓瑞畅药物涂层球囊还有多少库存？",
    "Is RuiYing IVUS in stock in Jinan?",
    "瑞通支架在国家集采的限价是多少？",
    "What is Boyue PTX DCB's terminal price?",
    "广东上季度的预付款情况怎么样？",
    "Which VBP programme covers RuiChang DCB in Zhejiang?",
    "深圳南山医院的负责代表是谁？",
    "What is our AI-suggestion adoption rate this month?",
]
CONTRACT = {
    "contract_id": "C-BENCH-0001",
    "customer_id": "H-GD-001",
    "signed_on": "2026-03-11",
    "total_amount": 1000000,
    "lines": [{"product_id": "HMT-BC-03", "quantity": 800, "unit_price": 1150}],
    "gifts": [{"name": "临床培训模型", "value": 40000}],
    "attachments": [{"kind": "compliance_declaration"}],
}


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * len(ordered)) - 1))]


def tree_cpu_s(pid: int) -> float:
    """User+system CPU seconds of a process and its children (the uvicorn workers), from /proc."""
    tick = os.sysconf("SC_CLK_TCK")
    stats: dict[int, tuple[int, float]] = {}
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            fields = (proc / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        stats[int(proc.name)] = (int(fields[1]), (int(fields[11]) + int(fields[12])) / tick)
    total, todo = 0.0, [pid]
    while todo:
        current = todo.pop()
        total += stats.get(current, (0, 0.0))[1]
        todo += [p for p, (ppid, _) in stats.items() if ppid == current]
    return total


def load_average() -> float:
    return float(Path("/proc/loadavg").read_text().split()[0])


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Server:
    """A demo world in a temporary directory and `copilot serve` over it."""

    def __init__(self, workers: int, env_extra: dict[str, str]) -> None:
        self.tmp = tempfile.TemporaryDirectory(prefix="bench-api-")
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {
            **{k: v for k, v in os.environ.items() if not k.startswith("COPILOT_")},
            "COPILOT_DATA_DIR": str(Path(self.tmp.name) / "data"),
            "COPILOT_TODAY": "2026-11-30",
            "COPILOT_RATE_LIMIT_PER_MINUTE": "1000000",
            "COPILOT_LOG_LEVEL": "WARNING",
            **env_extra,
        }
        self.workers = workers
        self.proc: subprocess.Popen[bytes] | None = None

    def _copilot(self, *args: str) -> str:
        cmd = [sys.executable, "-m", "copilot.cli.main", *args]
        return subprocess.run(cmd, env=self.env, cwd=ROOT, check=True, capture_output=True, text=True).stdout

    def keys(self, n: int) -> list[str]:
        """Keys made directly in the server's store (one CLI process per key would take minutes)."""
        from copilot.api.security import create_key
        from knowledge.store.db import make_engine, make_session_factory

        engine = make_engine(f"sqlite:///{Path(self.env['COPILOT_DATA_DIR']) / 'copilot.db'}")
        factory = make_session_factory(engine)
        people = ["P-ZW", "P-LN", "P-WQ"]
        try:
            return [
                create_key(factory, "rep", people[i % 3], label="bench").key
                if i % 5
                else create_key(factory, "manager", "P-CJ", label="bench").key
                for i in range(n)
            ]
        finally:
            engine.dispose()

    def start(self) -> None:
        self._copilot("seed", "--skip-docs", "--json")
        cmd = [
            sys.executable,
            "-m",
            "copilot.cli.main",
            "serve",
            "--port",
            str(self.port),
            "--workers",
            str(self.workers),
        ]
        self.proc = subprocess.Popen(
            cmd, env=self.env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
        )
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(
                    f"server exited: {self.proc.stderr.read().decode()[-2000:] if self.proc.stderr else ''}"
                )
            try:
                if httpx.get(f"{self.url}/readyz", timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.5)
        raise RuntimeError("server not ready within 180 s")

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
        self.tmp.cleanup()


async def chat_user(
    client: httpx.AsyncClient, key: str, index: int, deadline: float, think: float, out: dict[str, list[Any]]
) -> None:
    await asyncio.sleep(think * index / 50)  # stagger the first turns over one think time
    thread_id: str | None = None
    turn = 0
    while time.monotonic() < deadline:
        body: dict[str, Any] = {
            "model": "copilot",
            "messages": [{"role": "user", "content": QUESTIONS[(index + turn) % len(QUESTIONS)]}],
        }
        if thread_id:
            body["metadata"] = {"thread_id": thread_id}
        start = time.perf_counter()
        try:
            resp = await client.post(
                "/v1/chat/completions", json=body, headers={"Authorization": f"Bearer {key}"}
            )
            elapsed = time.perf_counter() - start
            if resp.status_code == 200:
                out["latency"].append(elapsed)
                thread_id = resp.json()["thread_id"]
            else:
                out["errors"].append(f"{resp.status_code}: {resp.text[:200]}")
        except httpx.HTTPError as exc:
            out["errors"].append(f"{type(exc).__name__}: {exc}")
        turn += 1
        await asyncio.sleep(think)


async def chat_phase(url: str, keys: list[str], duration: float, think: float) -> dict[str, Any]:
    out: dict[str, list[Any]] = {"latency": [], "errors": []}
    limits = httpx.Limits(max_connections=len(keys) + 10, max_keepalive_connections=len(keys) + 10)
    async with httpx.AsyncClient(base_url=url, timeout=60, limits=limits) as client:
        started = time.monotonic()
        deadline = started + duration
        await asyncio.gather(*(chat_user(client, k, i, deadline, think, out) for i, k in enumerate(keys)))
        wall = time.monotonic() - started
    lat = out["latency"]
    return {
        "users": len(keys),
        "seconds": round(wall, 1),
        "turns": len(lat),
        "errors": len(out["errors"]),
        "error_samples": out["errors"][:5],
        "turns_per_s": round(len(lat) / wall, 2),
        "p50_ms": round(pct(lat, 0.50) * 1000, 1),
        "p95_ms": round(pct(lat, 0.95) * 1000, 1),
        "p99_ms": round(pct(lat, 0.99) * 1000, 1),
        "max_ms": round(max(lat, default=0) * 1000, 1),
        "mean_ms": round(statistics.fmean(lat) * 1000, 1) if lat else None,
    }


async def checks_phase(url: str, key: str, seconds: float, concurrency: int) -> dict[str, Any]:
    done = 0
    errors: list[str] = []
    lat: list[float] = []
    headers = {"Authorization": f"Bearer {key}"}
    limits = httpx.Limits(max_connections=concurrency + 4, max_keepalive_connections=concurrency + 4)
    async with httpx.AsyncClient(base_url=url, timeout=30, limits=limits) as client:
        started = time.monotonic()
        deadline = started + seconds

        async def worker() -> None:
            nonlocal done
            while time.monotonic() < deadline:
                t0 = time.perf_counter()
                resp = await client.post("/v1/compliance/check", json=CONTRACT, headers=headers)
                if resp.status_code == 200 and not resp.json()["passed"]:
                    done += 1
                    lat.append(time.perf_counter() - t0)
                else:
                    errors.append(f"{resp.status_code}: {resp.text[:200]}")

        await asyncio.gather(*(worker() for _ in range(concurrency)))
        wall = time.monotonic() - started
    return {
        "concurrency": concurrency,
        "seconds": round(wall, 1),
        "checks": done,
        "errors": len(errors),
        "error_samples": errors[:3],
        "checks_per_s": round(done / wall, 1),
        "p50_ms": round(pct(lat, 0.5) * 1000, 1),
        "p99_ms": round(pct(lat, 0.99) * 1000, 1),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--url", help="A running API (default: start one on loopback).")
    ap.add_argument("--key", action="append", help="Key(s) for --url; cycled over the users.")
    ap.add_argument("--users", type=int, default=50)
    ap.add_argument("--duration", type=float, default=60.0)
    ap.add_argument("--think", type=float, default=2.0)
    ap.add_argument("--workers", type=int, default=1)
    ap.add_argument("--checks-seconds", type=float, default=15.0)
    ap.add_argument("--concurrency", type=int, default=32)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    server = None
    try:
        if args.url:
            if not args.key:
                ap.error("--url needs --key")
            url, keys = args.url, [args.key[i % len(args.key)] for i in range(args.users)]
            check_key = args.key[0]
        else:
            print(
                f"starting a server ({args.workers} worker(s)) over a fresh demo world ...", file=sys.stderr
            )
            server = Server(args.workers, {})
            server.start()
            url = server.url
            keys = server.keys(args.users)
            check_key = server.keys(1)[0]
        pid = server.proc.pid if server is not None and server.proc is not None else None
        cpu0, load0 = (tree_cpu_s(pid) if pid else 0.0), load_average()
        chat = asyncio.run(chat_phase(url, keys, args.duration, args.think))
        cpu1, load1 = (tree_cpu_s(pid) if pid else 0.0), load_average()
        checks = asyncio.run(checks_phase(url, check_key, args.checks_seconds, args.concurrency))
        cpu2, load2 = (tree_cpu_s(pid) if pid else 0.0), load_average()
        if pid:
            chat["server_cpu_s"] = round(cpu1 - cpu0, 1)
            chat["server_cpu_ms_per_turn"] = round((cpu1 - cpu0) * 1000 / max(1, chat["turns"]), 1)
            checks["server_cpu_s"] = round(cpu2 - cpu1, 1)
            checks["checks_per_server_cpu_s"] = round(checks["checks"] / max(1e-9, cpu2 - cpu1), 1)
        chat["load_average"], checks["load_average"] = load1, load2
        chat["load_average_before"] = load0
    finally:
        if server is not None:
            server.stop()
    result = {"workers": args.workers, "chat": chat, "compliance_checks": checks}
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=2))
        return
    print(
        f"chat: {chat['users']} users x {chat['seconds']} s, think {args.think} s, {args.workers} worker(s)"
    )
    print(f"  turns {chat['turns']} ({chat['turns_per_s']}/s), errors {chat['errors']}")
    print(
        f"  latency p50 {chat['p50_ms']} ms, p95 {chat['p95_ms']} ms, p99 {chat['p99_ms']} ms, max {chat['max_ms']} ms"
    )
    if "server_cpu_ms_per_turn" in chat:
        print(
            f"  server CPU {chat['server_cpu_ms_per_turn']} ms per turn; load average {chat['load_average']}"
        )
    print(
        f"compliance checks over HTTP: {checks['checks_per_s']}/s ({checks['checks']} in {checks['seconds']} s, "
        f"{checks['concurrency']} clients), errors {checks['errors']}, p50 {checks['p50_ms']} ms, p99 {checks['p99_ms']} ms"
    )
    if "checks_per_server_cpu_s" in checks:
        print(
            f"  {checks['checks_per_server_cpu_s']} checks per server CPU second; load average {checks['load_average']}"
        )


if __name__ == "__main__":
    main()
