"""Readers for md, txt, pdf, docx and csv: each returns the document's metadata and its blocks.

A reader raises `UnreadableDocumentError` with a message a person can act on (wrong format, encrypted
PDF, empty file); ingestion reports it for that file and goes on with the others.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from knowledge.docs.chunking import Block, markdown_blocks, split_sentences

SUPPORTED = (".md", ".markdown", ".txt", ".pdf", ".docx", ".csv")
CSV_ROWS_PER_BLOCK = 8


class UnreadableDocumentError(ValueError):
    """A file that cannot be turned into text (the message says why)."""


@dataclass
class Parsed:
    meta: dict[str, Any] = field(default_factory=dict)
    blocks: list[Block] = field(default_factory=list)
    title: str = ""


def _decode(raw: bytes, path: Path) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise UnreadableDocumentError(f"{path.name}: not UTF-8 or GB18030 text")


def _front_matter(text: str, path: Path) -> tuple[dict[str, Any], str]:
    import frontmatter
    import yaml

    try:
        post = frontmatter.loads(text)
    except yaml.YAMLError as exc:
        raise UnreadableDocumentError(f"{path.name}: front matter is not valid YAML ({exc})") from exc
    return dict(post.metadata), post.content


def _first_heading(body: str) -> str:
    match = re.search(r"^#\s+(.+)$", body, flags=re.MULTILINE)
    return match.group(1).strip() if match else ""


def read_markdown(raw: bytes, path: Path) -> Parsed:
    meta, body = _front_matter(_decode(raw, path), path)
    title = str(meta.get("title") or _first_heading(body) or path.stem)
    return Parsed(meta, markdown_blocks(body, title), title)


def read_text(raw: bytes, path: Path) -> Parsed:
    meta, body = _front_matter(_decode(raw, path), path)
    title = str(meta.get("title") or path.stem)
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", body) if p.strip()]
    return Parsed(meta, [Block("", p) for p in paragraphs], title)


def read_pdf(raw: bytes, path: Path) -> Parsed:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(raw))
        if reader.is_encrypted:
            raise UnreadableDocumentError(f"{path.name}: PDF is encrypted")
        pages = [page.extract_text() or "" for page in reader.pages]
        info = reader.metadata
    except (PdfReadError, ValueError, KeyError) as exc:
        if isinstance(exc, UnreadableDocumentError):
            raise
        raise UnreadableDocumentError(f"{path.name}: not a readable PDF ({exc})") from exc
    title = str(info.title) if info is not None and info.title else path.stem
    blocks: list[Block] = []
    for number, text in enumerate(pages, start=1):
        # PDF line breaks are layout, not sentences: rejoin, then let the chunker split sentences.
        flat = re.sub(r"(?<=[\u3400-\u9fff])\n(?=[\u3400-\u9fff])", "", text)
        flat = re.sub(r"[ \t]*\n[ \t]*", " ", flat).strip()
        if flat:
            blocks.append(Block(f"page {number}", flat, page=number))
    return Parsed({}, blocks, title)


def read_docx(raw: bytes, path: Path) -> Parsed:
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(io.BytesIO(raw))
    except (PackageNotFoundError, zipfile.BadZipFile, ValueError, KeyError) as exc:
        raise UnreadableDocumentError(f"{path.name}: not a readable .docx ({exc})") from exc
    title = document.core_properties.title or path.stem
    blocks: list[Block] = []
    heads: list[tuple[int, str]] = []
    for para in document.paragraphs:
        text = para.text.strip()
        if not text:
            continue
        style = (para.style.name if para.style is not None else "") or ""
        match = re.match(r"(?:Heading|标题)\s*(\d)", style)
        if style == "Title":
            title = title if document.core_properties.title else text
            continue
        if match:
            level = int(match.group(1))
            heads = [(lvl, name) for lvl, name in heads if lvl < level] + [(level, text)]
            continue
        blocks.append(Block(" / ".join(n for _, n in heads), text))
    for table in document.tables:
        rows = ["| " + " | ".join(cell.text.strip() for cell in row.cells) + " |" for row in table.rows]
        if rows:
            rows.insert(1, "|" + "---|" * len(table.rows[0].cells))
            blocks.append(Block(" / ".join(n for _, n in heads), "\n".join(rows), is_table=True))
    return Parsed({}, blocks, title)


def read_csv(raw: bytes, path: Path) -> Parsed:
    text = _decode(raw, path)
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    rows = list(csv.reader(io.StringIO(text), dialect))
    rows = [r for r in rows if any(cell.strip() for cell in r)]
    if len(rows) < 2:
        raise UnreadableDocumentError(f"{path.name}: CSV needs a header row and at least one data row")
    header, data = rows[0], rows[1:]
    blocks: list[Block] = []
    for start in range(0, len(data), CSV_ROWS_PER_BLOCK):
        group = data[start : start + CSV_ROWS_PER_BLOCK]
        lines = [
            "；".join(f"{h.strip()}: {v.strip()}" for h, v in zip(header, row, strict=False) if v.strip())
            for row in group
        ]
        section = f"rows {start + 1}-{start + len(group)}"
        blocks.append(Block(section, "\n".join(lines)))
    return Parsed({}, blocks, path.stem)


def read_document(path: Path) -> tuple[bytes, Parsed]:
    """Raw bytes (for the content hash) and the parsed document; raises UnreadableDocumentError."""
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED:
        raise UnreadableDocumentError(f"{path.name}: unsupported file type {suffix or '(none)'}")
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise UnreadableDocumentError(f"{path.name}: cannot read ({exc.strerror or exc})") from exc
    if not raw.strip():
        raise UnreadableDocumentError(f"{path.name}: file is empty")
    reader = {
        ".md": read_markdown,
        ".markdown": read_markdown,
        ".txt": read_text,
        ".pdf": read_pdf,
        ".docx": read_docx,
        ".csv": read_csv,
    }[suffix]
    parsed = reader(raw, path)
    if not any(split_sentences(b.text) for b in parsed.blocks):
        raise UnreadableDocumentError(f"{path.name}: no text found (empty document or scanned images)")
    return raw, parsed
