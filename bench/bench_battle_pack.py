"""Battle-pack latency (offline) and parallel fan-out (openai mode against the fake server).

    .venv/bin/python bench/bench_battle_pack.py [--rounds 3] [--openai-packs 10] [--latency-ms 200]

1. A private demo world and knowledge base in a temporary data directory (documents ingested).
2. Offline: every SCENARIO customer x product, `--rounds` times, built the way `copilot
   battle-pack` builds them (fan-out flow, guard, save, push); p50/p95 of the first round (cold
   knowledge-base look-ups) and of all rounds. Goal: p95 <= 500 ms.
3. openai: the fake OpenAI server answers every completion after `--latency-ms`; each pack's
   three section agents rephrase in parallel (one unmeasured warm-up pack opens the connections). Fan-out ratio = wall time of the pack / sum of the
   latencies of every model call made for it (goal <= 0.5; serial calls would give >= 1). A chat
   turn adds the supervisor's call before the fan-out; its ratio is printed too.
Prints figures; asserts nothing about time.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any
from uuid import UUID

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

CUSTOMERS = ["H-ZJ-001", "H-ZJ-002", "H-ZJ-003", "H-GD-001", "H-GD-002", "H-SD-001", "H-SD-002"]
PRODUCTS = ["HMT-DES-01", "HMT-DCB-02", "HMT-BC-03", "HMT-GW-04", "HMT-IVUS-05", "HMT-FFR-06"]


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


def line(label: str, ms: list[float]) -> str:
    return f"{label:<34} n={len(ms):<4} p50={pct(ms, 0.5):7.1f} ms  p95={pct(ms, 0.95):7.1f} ms  max={max(ms):7.1f} ms"


class CallTimer:
    """LangChain callback timing every chat-model call (thread-safe: the sections run in parallel)."""

    def __init__(self) -> None:
        from langchain_core.callbacks import BaseCallbackHandler

        timer = self
        self.lock = threading.Lock()
        self.started: dict[UUID, float] = {}
        self.durations: list[float] = []

        class Handler(BaseCallbackHandler):
            def on_chat_model_start(self, serialized: Any, messages: Any, *, run_id: UUID, **kw: Any) -> None:
                with timer.lock:
                    timer.started[run_id] = time.perf_counter()

            def on_llm_end(self, response: Any, *, run_id: UUID, **kw: Any) -> None:
                with timer.lock:
                    if run_id in timer.started:
                        timer.durations.append(time.perf_counter() - timer.started.pop(run_id))

        self.handler = Handler()

    def take(self) -> list[float]:
        with self.lock:
            out, self.durations = self.durations, []
        return out


def setup(tmp: Path) -> Any:
    from copilot.config import load_settings
    from copilot.runtime import Runtime
    from knowledge.seed.loader import load_demo

    settings = load_settings(data_dir=tmp, today=dt.date(2026, 11, 30), log_level="WARNING")
    rt = Runtime(settings)
    load_demo(rt.session_factory)
    started = time.perf_counter()
    rt.seed_documents()
    print(f"demo world + knowledge base ready (ingest {time.perf_counter() - started:.1f} s)")
    rt.battle_packs  # noqa: B018  (wires the guard into the services' battle-pack slot)
    return rt


def offline(rt: Any, rounds: int) -> None:
    from copilot.battle_pack_flow import build_pack
    from tools.common import Principal, Role

    who = Principal(role=Role.ADMIN, key_id="bench")
    per_round: list[list[float]] = []
    for _ in range(rounds):
        ms: list[float] = []
        for customer in CUSTOMERS:
            for product in PRODUCTS:
                started = time.perf_counter()
                build_pack(rt.services, customer, product, who)
                ms.append((time.perf_counter() - started) * 1000)
        per_round.append(ms)
    print("\n== offline pack latency (build + guard + save + push)")
    print(line("first round (cold KB look-ups)", per_round[0]))
    if rounds > 1:
        print(line("later rounds", [m for r in per_round[1:] for m in r]))
    print(line("all", [m for r in per_round for m in r]))


def reword(body: dict[str, Any]) -> dict[str, Any]:
    """A section agent's reply: the section's wording handed back (a valid, figure-free rewrite)."""
    last = body["messages"][-1]["content"]
    return {"content": last}


def openai_mode(rt: Any, packs: int, latency_ms: int) -> None:
    from langchain_openai import ChatOpenAI

    from copilot.battle_pack_flow import build_pack
    from tests.fakes.openai_server import FakeOpenAIServer
    from tools.common import Principal, Role

    timer = CallTimer()
    who = Principal(role=Role.ADMIN, key_id="bench")
    with FakeOpenAIServer(reword, latency_s=latency_ms / 1000) as server:
        model = ChatOpenAI(
            base_url=server.base_url,
            api_key="sk-bench-fake",
            model="fake",
            max_retries=0,
            callbacks=[timer.handler],
        )
        ratios, walls, counts = [], [], []
        pairs = [(c, p) for c in CUSTOMERS for p in PRODUCTS][:packs]
        build_pack(rt.services, "H-GD-002", "HMT-GW-04", who, "zh", "openai", model, (Exception,))  # warm-up
        for customer, product in pairs:
            timer.take()
            started = time.perf_counter()
            pack, _ = build_pack(rt.services, customer, product, who, "zh", "openai", model, (Exception,))
            wall = time.perf_counter() - started
            calls = timer.take()
            assert pack.meta.refined_sections == ["sales", "market", "medical_affairs"], pack.meta.warnings
            walls.append(wall * 1000)
            counts.append(len(calls))
            ratios.append(wall / sum(calls))
        print(f"\n== openai mode, fake server at {latency_ms} ms per completion")
        print(line("pack wall time", walls))
        print(
            f"{'fan-out ratio (wall / sum of calls)':<34} n={len(ratios):<4} mean={statistics.mean(ratios):.3f}"
            f"  p95={pct(ratios, 0.95):.3f}  max={max(ratios):.3f}  (model calls per pack: {sorted(set(counts))})"
        )
    chat_turn(rt, timer, latency_ms)


def chat_turn(rt: Any, timer: CallTimer, latency_ms: int) -> None:
    """A chat turn in openai mode: the supervisor's call (served by the offline brain) + the fan-out."""
    from langchain_openai import ChatOpenAI
    from langgraph.checkpoint.memory import InMemorySaver

    from copilot.chat_factory import build_chat_service
    from tests.fakes.openai_server import BrainResponder, FakeOpenAIServer
    from tools.common import Principal, Role

    offline_chat = build_chat_service(rt, checkpointer=InMemorySaver())
    brain = BrainResponder(offline_chat.deps.models.offline.brain)

    def respond(body: dict[str, Any]) -> dict[str, Any]:
        return brain(body) if body.get("tools") else reword(body)

    with FakeOpenAIServer(respond, latency_s=latency_ms / 1000) as server:
        model = ChatOpenAI(
            base_url=server.base_url,
            api_key="sk-bench-fake",
            model="fake",
            max_retries=0,
            callbacks=[timer.handler],
        )
        chat = build_chat_service(rt, primary=model, checkpointer=InMemorySaver())
        for text in ("给宁波东港人民医院做一份瑞畅的作战包", "battle pack for Qingdao Bay Hospital on IVUS"):
            timer.take()
            started = time.perf_counter()
            result = chat.ask(text, Principal(role=Role.ADMIN, key_id="bench"), mode="openai")
            wall = time.perf_counter() - started
            calls = timer.take()
            print(
                f"chat turn {text[:20]!r}: agents={result.agents} model calls={len(calls)} "
                f"wall={wall * 1000:.0f} ms ratio={wall / sum(calls):.3f}"
            )


def load() -> str:
    import os

    return " ".join(f"{x:.1f}" for x in os.getloadavg())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--openai-packs", type=int, default=10)
    parser.add_argument("--latency-ms", type=int, default=200)
    parser.add_argument("--skip-openai", action="store_true")
    args = parser.parse_args()
    print(f"load average before: {load()}")
    with tempfile.TemporaryDirectory(prefix="bench_bp_") as tmp:
        rt = setup(Path(tmp))
        offline(rt, args.rounds)
        if not args.skip_openai:
            openai_mode(rt, args.openai_packs, args.latency_ms)
        rt.close()
    print(f"load average after: {load()}")


if __name__ == "__main__":
    main()
