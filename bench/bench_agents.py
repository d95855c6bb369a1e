"""Agent-graph figures: offline turn latency, and parallelism of a three-agent turn in openai mode.

1. In-process offline turns (supervisor -> agent -> tool -> answer, SQLite checkpointer) on a
   private copy of the demo world: p50/p95 latency of look-up turns (goal p95 <= 150 ms).
2. openai mode against the local fake OpenAI server answering with the offline brain after a
   fixed 200 ms per completion: wall time of a request spanning the three agents divided by the
   sum of the latencies of all model calls it made, each measured by the server from request to
   response (200 ms plus the brain's work) (goal <= 0.5: the agents run in parallel).

3. `--ablation`: the chat eval's routing and facts with parts of the offline router switched off
   (nearest example only; + entity masking and entity bonus; + keywords; + conversation), on the
   configured runtime (like `copilot eval`).

Usage: `.venv/bin/python bench/bench_agents.py [--turns 60] [--ablation]`. Prints figures; asserts
nothing.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

LOOKUPS = [
    "杭州仓 DCB 还有多少库存？",
    "How many RuiTong DES units on hand in Guangzhou?",
    "博越的药物球囊终端价多少？",
    "瑞影IVUS是医保乙类还是丙类？",
    "广东的瑞达球囊现在报价上限是多少？",
    "Who covers Ningbo Donggang?",
    "济南仓IVUS还有货吗",
    "What is Kangwei's stent price?",
    "天河心血管医院的负责代表是谁",
    "IVUS inventory in the Guangzhou warehouse",
]
THREE_AGENTS = "博越球囊多少钱？另外杭州仓还有多少DCB？同时看看瑞畅的临床证据"


def _runtime(tmp: Path, **overrides: Any) -> Any:
    from copilot.config import Settings
    from copilot.runtime import Runtime
    from knowledge.seed.loader import load_demo

    settings = Settings(
        data_dir=tmp,
        database_url=f"sqlite:///{tmp / 'store.db'}",
        today="2026-11-30",
        **overrides,  # type: ignore[arg-type]
    )
    runtime = Runtime(settings)
    load_demo(runtime.session_factory)
    return runtime


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def offline_latency(turns: int) -> dict[str, float]:
    from tools.common import Principal, Role

    with tempfile.TemporaryDirectory() as tmp:
        runtime = _runtime(Path(tmp))
        chat = runtime.chat
        rep = Principal(role=Role.REP)
        for text in LOOKUPS:  # warm-up: example embeddings, entity index, first queries
            chat.ask(text, rep)
        embedder = chat.deps.models.offline.brain.router.index.embedder
        samples: list[float] = []
        for i in range(turns):
            text = LOOKUPS[i % len(LOOKUPS)]
            embedder._queries.clear()  # every turn embeds its request, as a new question would
            start = time.perf_counter()
            chat.ask(text, rep)
            samples.append((time.perf_counter() - start) * 1000)
        runtime.close()
    return {
        "turns": float(turns),
        "p50_ms": statistics.median(samples),
        "p95_ms": _pct(samples, 0.95),
        "max_ms": max(samples),
    }


def openai_parallelism(latency_s: float = 0.2, runs: int = 3) -> dict[str, float]:
    from tests.fakes.openai_server import BrainResponder, FakeOpenAIServer
    from tools.common import Principal, Role

    with tempfile.TemporaryDirectory() as tmp:
        offline = _runtime(Path(tmp) / "offline")
        brain = offline.chat.deps.models.offline.brain
        timed: list[float] = []

        def responder(body: dict[str, Any]) -> dict[str, Any]:
            return BrainResponder(brain)(body)

        with FakeOpenAIServer(responder, latency_s=latency_s) as server:
            runtime = _runtime(
                Path(tmp) / "openai",
                model_mode="openai",
                llm_base_url=server.base_url,
                llm_api_key="bench-key",
                llm_model="fake-model",
            )
            chat = runtime.chat
            admin = Principal(role=Role.ADMIN)
            chat.ask(THREE_AGENTS, admin)  # warm-up
            ratios: list[float] = []
            walls: list[float] = []
            calls: list[int] = []
            for _ in range(runs):
                before = len(server.state.durations)
                start = time.perf_counter()
                result = chat.ask(THREE_AGENTS, admin)
                wall = time.perf_counter() - start
                spent = server.state.durations[before:]  # server-side time of each completion
                made = len(spent)
                model_sum = sum(spent)
                timed.append(model_sum)
                ratios.append(wall / model_sum)
                walls.append(wall)
                calls.append(made)
            agents = result.agents
            runtime.close()
        offline.close()
    return {
        "agents": float(len(agents)),
        "model_calls": statistics.mean(calls),
        "wall_s": statistics.mean(walls),
        "sum_model_s": statistics.mean(timed),
        "ratio": statistics.mean(ratios),
    }


def ablation() -> None:
    """Routing/facts of the chat dataset as router features are added one by one."""
    import os

    os.environ.setdefault("COPILOT_TODAY", "2026-11-30")
    from copilot.config import load_settings
    from copilot.runtime import Runtime
    from evals.runner import load_cases
    from evals.suites import chat as chat_suite

    runtime = Runtime(load_settings())
    chat_suite.ensure_demo(runtime)
    cases = load_cases(chat_suite.SUITE.default_dataset)
    chat = runtime.chat
    router = chat.deps.models.offline.brain.router
    masker = router.index.masker
    variants = [
        ("nearest example only", dict(entity_bonus=0.0, keyword_bonus=0.0, use_history=False), False),
        ("+ entities (masking, bonus)", dict(entity_bonus=0.012, keyword_bonus=0.0, use_history=False), True),
        ("+ keywords", dict(entity_bonus=0.012, keyword_bonus=0.025, use_history=False), True),
        ("+ conversation (all)", dict(entity_bonus=0.012, keyword_bonus=0.025, use_history=True), True),
    ]
    for label, config, masked in variants:
        for key, value in config.items():
            setattr(router.config, key, value)
        router.index.masker = masker if masked else (lambda text: text)
        router.index._vectors.clear()  # examples are re-embedded with or without masking
        results = [chat_suite.run_case(c, runtime, chat) for c in cases]
        routing, facts = chat_suite.mean(results, "routing"), chat_suite.mean(results, "facts")
        print(f"{label:32s} routing {routing:.3f}  facts {facts:.3f}")
    runtime.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--turns", type=int, default=60)
    parser.add_argument("--ablation", action="store_true", help="Only the routing ablation.")
    args = parser.parse_args()
    if args.ablation:
        ablation()
        return
    lat = offline_latency(args.turns)
    print(
        f"offline look-up turn latency over {int(lat['turns'])} turns: p50 {lat['p50_ms']:.0f} ms, "
        f"p95 {lat['p95_ms']:.0f} ms, max {lat['max_ms']:.0f} ms (goal p95 <= 150 ms)"
    )
    par = openai_parallelism()
    print(
        f"openai mode, 3-agent request, 200 ms per completion: {int(par['agents'])} agents, "
        f"{par['model_calls']:.0f} model calls, wall {par['wall_s']:.2f} s, sum of model calls "
        f"{par['sum_model_s']:.2f} s, ratio {par['ratio']:.2f} (goal <= 0.5)"
    )


if __name__ == "__main__":
    main()
