"""Chunking: sections are respected, Chinese sentences split, tables kept whole."""

from __future__ import annotations

from knowledge.docs.chunking import Block, chunk_blocks, markdown_blocks, split_sentences, units


def test_chinese_and_english_sentences_split_at_their_own_punctuation() -> None:
    text = (
        "瑞畅采用西罗莫司涂层。晚期管腔丢失为 0.21 mm！是否优于紫杉醇？The TLR was 3.2%. Next sentence here."
    )
    assert split_sentences(text) == [
        "瑞畅采用西罗莫司涂层。",
        "晚期管腔丢失为 0.21 mm！",
        "是否优于紫杉醇？",
        "The TLR was 3.2%.",
        "Next sentence here.",
    ]


def test_decimal_points_do_not_end_sentences() -> None:
    assert split_sentences("Late lumen loss was 0.21 mm in the trial.") == [
        "Late lumen loss was 0.21 mm in the trial."
    ]


def test_markdown_sections_follow_the_heading_path_without_the_title() -> None:
    body = "# Title\n\nintro\n\n## A\n\ntext a\n\n### A1\n\ntext a1\n\n## B\n\ntext b\n"
    blocks = markdown_blocks(body, title="Title")
    assert [(b.section, b.text) for b in blocks] == [
        ("", "intro"),
        ("A", "text a"),
        ("A / A1", "text a1"),
        ("B", "text b"),
    ]


def test_a_chunk_never_spans_two_sections() -> None:
    blocks = [Block("A", "短句一。"), Block("B", "短句二。")]
    chunks = chunk_blocks(blocks)
    assert [(c.section, c.text) for c in chunks] == [("A", "短句一。"), ("B", "短句二。")]


def test_long_section_is_cut_at_sentence_ends_within_budget() -> None:
    sentence = "瑞畅药物涂层球囊的注册试验结果显示晚期管腔丢失较低。"  # 25 units
    chunks = chunk_blocks([Block("S", sentence * 30)], max_units=100)
    assert len(chunks) > 1
    assert all(units(c.text) <= 100 for c in chunks)
    assert all(c.text.endswith("。") for c in chunks)
    assert "".join(c.text.replace("\n", "") for c in chunks) == sentence * 30


def test_a_table_stays_in_one_chunk_and_is_not_merged_with_prose() -> None:
    body = "## 临床价值对比\n\n说明文字。\n\n| a | b | c | d |\n|---|---|---|---|\n| 1 | 2 | 3 | 4 |\n\n表后说明。\n"
    chunks = chunk_blocks(markdown_blocks(body))
    tables = [c for c in chunks if c.text.startswith("|")]
    assert len(tables) == 1
    assert tables[0].text.splitlines() == ["| a | b | c | d |", "|---|---|---|---|", "| 1 | 2 | 3 | 4 |"]
    assert all(c.section == "临床价值对比" for c in chunks)


def test_an_oversized_table_is_split_by_rows_with_its_header_repeated() -> None:
    header = "| attribute | ours | competitor | source study |\n|---|---|---|---|"
    rows = "\n".join(f"| 指标{i} 晚期管腔丢失 | 0.2{i} mm | 0.3{i} mm | 研究{i} |" for i in range(40))
    chunks = chunk_blocks([Block("T", f"{header}\n{rows}", is_table=True)], max_units=120)
    assert len(chunks) > 1
    for chunk in chunks:
        assert chunk.text.startswith(header)
    data_rows = [ln for c in chunks for ln in c.text.splitlines()[2:]]
    assert len(data_rows) == 40


def test_a_sentence_longer_than_the_budget_is_still_cut() -> None:
    chunks = chunk_blocks([Block("S", "很" * 500)], max_units=100)
    assert all(units(c.text) <= 100 for c in chunks)
    assert sum(len(c.text) for c in chunks) == 500
