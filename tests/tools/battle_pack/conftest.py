"""Battle-pack fixtures: the demo world, a small fake knowledge base, the service and a scorer."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from knowledge.docs.models import Hit
from knowledge.store.db import SessionFactory
from tools.battle_pack import BattlePackService
from tools.battle_pack.source_text import StoreSourceText
from tools.services import Services, build_services

TODAY = dt.date(2026, 11, 30)

DCB_TABLE = """## 临床价值对比 Clinical value comparison
| attribute | ours: 瑞畅 RuiChang DCB (HMT-DCB-02) | competitor: 博越紫杉醇球囊 Boyue PTX DCB (CMP-BY-D) | source study |
|---|---|---|---|
| 涂层药物 coating drug | 西罗莫司 sirolimus 4 μg/mm² | 紫杉醇 paclitaxel 3 μg/mm² | 说明书 IFU |
| 12个月晚期管腔丢失 12-month late lumen loss | 0.21 mm | 0.28 mm | RUICHANG-ISR / BOYUE-SV |"""

DCB_TABLE_MORE = """## 临床价值对比 Clinical value comparison
| attribute | ours: 瑞畅 RuiChang DCB (HMT-DCB-02) | competitor: 博越紫杉醇球囊 Boyue PTX DCB (CMP-BY-D) | source study |
|---|---|---|---|
| 12个月TLR率 12-month TLR rate | 3.2% | 4.9% | RUICHANG-ISR / BOYUE-SV |"""

PLAYBOOK = "# 集采中选 销售打法 VBP won playbook\n守量、保供、讲证据。Defend the awarded volume with supply and evidence."


class FakeKB:
    """Just enough of knowledge.docs.KnowledgeBase: filtered search and chunk text by id."""

    def __init__(self) -> None:
        self.chunks: dict[str, tuple[str, dict[str, Any]]] = {
            "evd-dcb#3": (
                DCB_TABLE,
                {
                    "doc_id": "DOC-EVD-DCB-02",
                    "doc_type": "clinical_evidence",
                    "product_ids": ["HMT-DCB-02"],
                    "title": "瑞畅 临床证据摘要 RuiChang DCB clinical evidence summary",
                    "section": "临床价值对比 Clinical value comparison",
                },
            ),
            "evd-dcb#4": (
                DCB_TABLE_MORE,
                {
                    "doc_id": "DOC-EVD-DCB-02",
                    "doc_type": "clinical_evidence",
                    "product_ids": ["HMT-DCB-02"],
                    "title": "瑞畅 临床证据摘要 RuiChang DCB clinical evidence summary",
                    "section": "临床价值对比 Clinical value comparison",
                },
            ),
            "pb-won#1": (
                PLAYBOOK,
                {
                    "doc_id": "DOC-PB-WON",
                    "doc_type": "playbook",
                    "product_ids": [],
                    "title": "集采中选销售打法 VBP-won playbook",
                    "section": "",
                },
            ),
        }
        self.queries: list[tuple[str, dict[str, Any] | None]] = []

    def search(
        self, query: str, roles_of_caller: Any, k: int = 5, filters: dict[str, Any] | None = None
    ) -> list[Hit]:
        self.queries.append((query, filters))
        hits = []
        for cid, (text, meta) in self.chunks.items():
            f = filters or {}
            if "doc_type" in f and meta["doc_type"] != f["doc_type"]:
                continue
            if "product_id" in f and f["product_id"] not in meta["product_ids"]:
                continue
            hits.append(
                Hit(
                    chunk_id=cid,
                    doc_id=meta["doc_id"],
                    title=meta["title"],
                    section=meta["section"],
                    text=text,
                    score=1.0,
                )
            )
        return hits[:k]

    def chunk_text(self, chunk_id: str) -> str | None:
        found = self.chunks.get(chunk_id)
        return found[0] if found else None


@pytest.fixture
def kb() -> FakeKB:
    return FakeKB()


@pytest.fixture
def services(demo_factory: SessionFactory, kb: FakeKB) -> Services:
    return build_services(demo_factory, TODAY, kb=kb)


@pytest.fixture
def service(services: Services, demo_factory: SessionFactory) -> BattlePackService:
    svc = BattlePackService(services, demo_factory, TODAY)
    services.battle_pack = svc
    return svc


@pytest.fixture
def source_text(demo_factory: SessionFactory, kb: FakeKB) -> StoreSourceText:
    return StoreSourceText(demo_factory, kb.chunk_text)
