"""Readers for md, txt, pdf, docx and csv, and their per-file errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from knowledge.docs.loaders import UnreadableDocumentError, read_document


def test_markdown_front_matter_and_sections(tmp_path: Path) -> None:
    path = tmp_path / "a.md"
    path.write_text(
        "---\nid: X-1\ntitle: 标题\nroles: [rep]\n---\n# 标题\n\n## 第一节\n正文。\n", encoding="utf-8"
    )
    raw, parsed = read_document(path)
    assert raw == path.read_bytes()
    assert parsed.meta == {"id": "X-1", "title": "标题", "roles": ["rep"]}
    assert parsed.title == "标题"
    assert [(b.section, b.text) for b in parsed.blocks] == [("第一节", "正文。")]


def test_gb18030_text_is_decoded(tmp_path: Path) -> None:
    path = tmp_path / "legacy.txt"
    path.write_bytes("瑞畅药物涂层球囊说明。\n\n第二段。".encode("gb18030"))
    _, parsed = read_document(path)
    assert [b.text for b in parsed.blocks] == ["瑞畅药物涂层球囊说明。", "第二段。"]


def test_pdf_pages_become_blocks_with_page_numbers(tmp_path: Path) -> None:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_title("Pressure wire brochure")
    for text in ("RuiCe pressure wire measures FFR.", "Optical sensor drift is below 1 mmHg."):
        pdf.add_page()
        pdf.set_font("Helvetica", size=12)
        pdf.cell(text=text)
    path = tmp_path / "brochure.pdf"
    pdf.output(str(path))
    _, parsed = read_document(path)
    assert parsed.title == "Pressure wire brochure"
    assert [(b.page, b.section) for b in parsed.blocks] == [(1, "page 1"), (2, "page 2")]
    assert "Optical sensor drift" in parsed.blocks[1].text


def test_docx_headings_paragraphs_and_tables(tmp_path: Path) -> None:
    import docx

    document = docx.Document()
    document.core_properties.title = "返利办法"
    document.add_heading("计算规则", level=1)
    document.add_paragraph("订单按订单日期归入年度。")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "门槛", "金额"
    table.cell(1, 0).text, table.cell(1, 1).text = "年度", "5,000,000"
    path = tmp_path / "rebate.docx"
    document.save(str(path))
    _, parsed = read_document(path)
    assert parsed.title == "返利办法"
    assert parsed.blocks[0].section == "计算规则"
    assert parsed.blocks[0].text == "订单按订单日期归入年度。"
    assert parsed.blocks[-1].is_table and "| 年度 | 5,000,000 |" in parsed.blocks[-1].text


def test_csv_rows_keep_their_headers(tmp_path: Path) -> None:
    path = tmp_path / "prices.csv"
    path.write_text("产品,价格\n瑞通,780\n瑞畅,6800\n", encoding="utf-8")
    _, parsed = read_document(path)
    assert parsed.blocks[0].section == "rows 1-2"
    assert parsed.blocks[0].text.splitlines() == ["产品: 瑞通；价格: 780", "产品: 瑞畅；价格: 6800"]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("empty.md", b"", "file is empty"),
        ("blank.txt", b"  \n\n ", "file is empty"),
        ("only-front.md", b"---\nid: x\n---\n", "no text found"),
        ("bad.pdf", b"%PDF-1.4 this is not really a pdf", "not a readable PDF"),
        ("bad.docx", b"PK not a zip", "not a readable .docx"),
        ("header-only.csv", b"a,b\n", "header row and at least one data row"),
        ("image.png", b"\x89PNG", "unsupported file type"),
        ("bad-yaml.md", b"---\nid: [unclosed\n---\ntext", "front matter is not valid YAML"),
    ],
)
def test_unreadable_files_raise_a_clear_error(
    tmp_path: Path, name: str, content: bytes, message: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(UnreadableDocumentError, match=message):
        read_document(path)
