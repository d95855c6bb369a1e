"""Ingestion: idempotent by content hash, replace on change, remove and prune, per-file errors,
metadata from front matter or flags, and the document registry table."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from knowledge.docs.kb import KnowledgeBase
from knowledge.store.db import SessionFactory
from knowledge.store.models.governance import Document


def _statuses(report: object) -> dict[str, str]:
    return {Path(f.path).name: f.status for f in report.files}  # type: ignore[attr-defined]


def test_reingesting_unchanged_files_embeds_nothing(kb: KnowledgeBase, docs_dir: Path) -> None:
    before = kb.collection.get(include=[])["ids"]
    embedded: list[int] = []
    report = kb.ingest([docs_dir], progress=lambda _label, done, _total: embedded.append(done))
    assert set(_statuses(report).values()) == {"unchanged"}
    assert report.chunks_embedded == 0 and embedded == [0]
    assert kb.collection.get(include=[])["ids"] == before


def test_a_changed_file_replaces_its_old_chunks(kb: KnowledgeBase, docs_dir: Path) -> None:
    path = docs_dir / "vbp-zj.md"
    path.write_text(path.read_text(encoding="utf-8").replace("5,900", "5,950"), encoding="utf-8")
    report = kb.ingest([docs_dir])
    assert _statuses(report)["vbp-zj.md"] == "updated"
    assert _statuses(report)["evidence.md"] == "unchanged"
    texts = kb.collection.get(where={"doc_id": "T-VBP-ZJ"}, include=["documents"])["documents"] or []
    assert texts and all("5,900" not in t for t in texts) and any("5,950" in t for t in texts)
    assert kb.search("5,950", "rep", k=1, mode="bm25")[0].doc_id == "T-VBP-ZJ"


def test_a_shrunk_document_leaves_no_stale_chunks(kb: KnowledgeBase, docs_dir: Path) -> None:
    path = docs_dir / "evidence.md"
    front = path.read_text(encoding="utf-8").split("\n# ")[0]
    path.write_text(front + "\n# 瑞畅\n\n只剩一句话。\n", encoding="utf-8")
    kb.ingest([docs_dir])
    ids = kb.collection.get(where={"doc_id": "T-EVD-DCB"}, include=[])["ids"]
    assert ids == ["T-EVD-DCB:c000"]


def test_remove_and_prune(kb: KnowledgeBase, docs_dir: Path) -> None:
    assert kb.remove("T-VBP-ZJ") > 0
    assert kb.collection.get(where={"doc_id": "T-VBP-ZJ"}, include=[])["ids"] == []
    assert kb.remove("T-VBP-ZJ") == 0
    (docs_dir / "memo.md").unlink()
    report = kb.ingest([docs_dir], prune=True)
    removed = [f for f in report.files if f.status == "removed"]
    assert [f.doc_id for f in removed] == ["T-MEMO"]
    assert {d.doc_id for d in kb.documents()} == {"T-EVD-DCB", "T-VBP-ZJ"}  # re-added, memo gone


def test_bad_files_are_reported_and_the_rest_ingested(
    make_kb: Callable[..., KnowledgeBase], docs_dir: Path
) -> None:
    (docs_dir / "empty.txt").write_text("")
    (docs_dir / "broken.pdf").write_bytes(b"%PDF-1.4 garbage")
    (docs_dir / "wrong-role.md").write_text("---\nid: X\nroles: [ceo]\n---\ntext\n")
    (docs_dir / "dup.md").write_text("---\nid: T-MEMO\n---\nsame id as the memo\n")
    kb = make_kb()
    report = kb.ingest([docs_dir, docs_dir / "missing.md"])
    statuses = _statuses(report)
    assert statuses["evidence.md"] == statuses["vbp-zj.md"] == "added"
    errors = {Path(f.path).name: f.error or "" for f in report.errors()}
    # files are read in name order, so dup.md takes the id first and memo.md is the duplicate
    assert set(errors) == {"empty.txt", "broken.pdf", "wrong-role.md", "missing.md", "memo.md"}
    assert "file is empty" in errors["empty.txt"]
    assert "unknown role" in errors["wrong-role.md"]
    assert "no such file" in errors["missing.md"]
    assert "already used by" in errors["memo.md"] and "dup.md" in errors["memo.md"]
    assert not report.ok


def test_flags_override_front_matter_and_fill_defaults(
    make_kb: Callable[..., KnowledgeBase], tmp_path: Path
) -> None:
    path = tmp_path / "note.txt"
    path.write_text("Medix SilkWire terminal price is 720 CNY.", encoding="utf-8")
    kb = make_kb()
    kb.ingest(
        [path], overrides={"doc_type": "competitor_intel", "roles": "marketing", "product_ids": "HMT-GW-04"}
    )
    meta = kb.collection.get(where={"doc_id": "note"}, include=["metadatas"])["metadatas"][0]  # type: ignore[index]
    assert meta["doc_type"] == "competitor_intel"
    assert meta["roles"] == ["marketing", "admin"]
    assert meta["product_ids"] == ["HMT-GW-04"]
    assert meta["provinces"] == ["CN"] and meta["language"] == "en"
    assert kb.search("SilkWire price", "rep") == []
    assert kb.search("SilkWire price", "marketing")[0].doc_id == "note"
    # different flags are a different ingestion: the file is re-embedded with the new metadata
    again = kb.ingest([path], overrides={"doc_type": "competitor_intel", "roles": "rep"})
    assert again.files[0].status == "updated"
    assert kb.search("SilkWire price", "rep")[0].doc_id == "note"


def test_default_roles_are_every_role(make_kb: Callable[..., KnowledgeBase], tmp_path: Path) -> None:
    path = tmp_path / "open.md"
    path.write_text("# Open\n\nEveryone may read this guidewire note.\n", encoding="utf-8")
    kb = make_kb()
    kb.ingest([path])
    assert kb.documents()[0].roles == [
        "rep",
        "manager",
        "marketing",
        "medical_affairs",
        "legal_compliance",
        "admin",
        "integration",
    ]


def test_registry_rows_follow_the_collection(
    make_kb: Callable[..., KnowledgeBase], docs_dir: Path, sqlite_factory: SessionFactory
) -> None:
    kb = make_kb(session_factory=sqlite_factory)
    kb.ingest([docs_dir])
    with sqlite_factory() as session:
        rows = {d.id: d for d in session.query(Document)}
    assert set(rows) == {"T-EVD-DCB", "T-VBP-ZJ", "T-MEMO"}
    memo = rows["T-MEMO"]
    assert memo.roles == ["legal_compliance", "admin"] and memo.doc_type == "legal_memo"
    assert memo.chunk_count == 1 and len(memo.content_hash) == 64
    kb.remove("T-MEMO")
    with sqlite_factory() as session:
        assert session.get(Document, "T-MEMO") is None
    with sqlite_factory() as session, session.begin():  # e.g. `copilot seed --reset` emptied the store
        session.query(Document).delete()
    report = kb.ingest([docs_dir])
    assert report.counts == {"unchanged": 2, "added": 1}
    with sqlite_factory() as session:
        again = {d.id: d.chunk_count for d in session.query(Document)}
    assert again == {k: v.chunk_count for k, v in rows.items()}


@pytest.mark.parametrize("name", ["README.md"])
def test_excluded_names_are_skipped(make_kb: Callable[..., KnowledgeBase], docs_dir: Path, name: str) -> None:
    (docs_dir / name).write_text("# About this folder\n\nNot a document.\n")
    report = make_kb().ingest([docs_dir], exclude_names=[name])
    assert name not in _statuses(report)
