"""Heading-aware chunking with Chinese sentence splitting.

A chunk never spans two sections, so its citation (title › section) is exact; long sections are
cut at sentence ends (Chinese 。！？； and English . ! ?) and packed up to a size budget measured
in model-token-like units (one CJK character ≈ one unit, one Latin word ≈ 1.3). Markdown tables
stay whole (their header row is repeated when a table must be split), because a comparison table
cut in half loses its meaning.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

MAX_UNITS = 220
MIN_UNITS = 40

_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_WORD = re.compile(r"[A-Za-z0-9]+(?:[.'’-][A-Za-z0-9]+)*")
# Split after Chinese terminal punctuation, or after . ! ? followed by whitespace (not 0.21 mm).
_SENTENCE_END = re.compile(r"(?<=[。！？；!?;])\s*|(?<=[.])\s+(?=[A-Z\u3400-\u9fff\"'“(（])|\n+")
_HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$")


@dataclass(frozen=True)
class Block:
    """A run of text inside one section of a document (page is 1-based, None if unpaged)."""

    section: str
    text: str
    page: int | None = None
    is_table: bool = False


@dataclass(frozen=True)
class Chunk:
    index: int
    section: str
    text: str
    page: int | None = None


def units(text: str) -> float:
    """Rough size in tokens: CJK characters count one each, Latin words 1.3."""
    return len(_CJK.findall(text)) + 1.3 * len(_WORD.findall(text))


def split_sentences(text: str) -> list[str]:
    """Sentences of mixed Chinese/English text, punctuation kept with its sentence."""
    parts = [p.strip() for p in _SENTENCE_END.split(text)]
    return [p for p in parts if p]


def markdown_blocks(body: str, title: str = "") -> list[Block]:
    """Blocks of a Markdown body; `section` is the heading path below the document title."""
    blocks: list[Block] = []
    path: list[tuple[int, str]] = []
    para: list[str] = []
    table: list[str] = []
    in_code = False

    def section() -> str:
        names = [name for _, name in path]
        head, full = (names[0].strip().casefold(), title.strip().casefold()) if names and title else ("", "")
        if head and path[0][0] == 1 and (head in full or full in head):
            names = names[1:]  # the H1 that repeats the title adds nothing to a citation
        return " / ".join(names)

    def flush() -> None:
        if para:
            blocks.append(Block(section(), "\n".join(para).strip()))
            para.clear()
        if table:
            blocks.append(Block(section(), "\n".join(table).strip(), is_table=True))
            table.clear()

    for line in body.splitlines():
        stripped = line.strip()
        if stripped.startswith("```"):
            in_code = not in_code
            para.append(line)
            continue
        heading = None if in_code else _HEADING.match(stripped)
        if heading:
            flush()
            level = len(heading.group(1))
            path[:] = [(lvl, name) for lvl, name in path if lvl < level]
            path.append((level, heading.group(2).strip()))
            continue
        if stripped.startswith("|") and not in_code:
            if para:
                blocks.append(Block(section(), "\n".join(para).strip()))
                para.clear()
            table.append(stripped)
            continue
        if table:
            blocks.append(Block(section(), "\n".join(table).strip(), is_table=True))
            table.clear()
        if not stripped:
            if para and not in_code:
                blocks.append(Block(section(), "\n".join(para).strip()))
                para.clear()
            continue
        para.append(line.rstrip())
    flush()
    return [b for b in blocks if b.text]


def _split_table(text: str, max_units: float) -> Iterator[str]:
    rows = text.splitlines()
    header = rows[:2] if len(rows) > 1 and set(rows[1].replace("|", "").strip()) <= set("-: ") else rows[:1]
    current: list[str] = list(header)
    for row in rows[len(header) :]:
        if len(current) > len(header) and units("\n".join([*current, row])) > max_units:
            yield "\n".join(current)
            current = list(header)
        current.append(row)
    if len(current) > len(header) or not rows[len(header) :]:
        yield "\n".join(current)


def _split_long_sentence(sentence: str, max_units: float) -> Iterator[str]:
    """A sentence longer than the budget is cut at commas, then hard by characters."""
    pieces = re.split(r"(?<=[，,、：:])", sentence)
    current = ""
    for piece in pieces:
        while units(piece) > max_units:
            cut = max(1, int(len(piece) * max_units / max(units(piece), 1)))
            if current:
                yield current
                current = ""
            yield piece[:cut]
            piece = piece[cut:]
        if current and units(current + piece) > max_units:
            yield current
            current = ""
        current += piece
    if current:
        yield current


def _pack(sentences: Iterable[str], max_units: float) -> Iterator[str]:
    current: list[str] = []
    size = 0.0
    for sentence in sentences:
        for piece in _split_long_sentence(sentence, max_units) if units(sentence) > max_units else [sentence]:
            n = units(piece)
            if current and size + n > max_units:
                yield _join(current)
                current, size = [], 0.0
            current.append(piece)
            size += n
    if current:
        yield _join(current)


def _join(parts: list[str]) -> str:
    out = ""
    for part in parts:
        if out and (out[-1].isascii() and part[:1].isascii()):
            out += " "
        out += part
    return out


def chunk_blocks(
    blocks: Iterable[Block], max_units: float = MAX_UNITS, min_units: float = MIN_UNITS
) -> list[Chunk]:
    """Pack blocks into chunks: same section and page only; tables alone; small prose merged."""
    pieces: list[tuple[str, int | None, str, bool]] = []  # section, page, text, is_table
    for block in blocks:
        if block.is_table:
            texts: Iterable[str] = (
                _split_table(block.text, max_units) if units(block.text) > max_units else [block.text]
            )
        else:
            texts = _pack(split_sentences(block.text), max_units)
        for text in texts:
            last = pieces[-1] if pieces else None
            if (
                last is not None
                and not block.is_table
                and not last[3]
                and last[0] == block.section
                and last[1] == block.page
                and units(last[2]) + units(text) <= max_units
            ):
                pieces[-1] = (block.section, block.page, last[2] + "\n" + text, False)
            else:
                pieces.append((block.section, block.page, text, block.is_table))
    # A tiny trailing piece of prose joins its predecessor rather than standing alone.
    merged: list[tuple[str, int | None, str, bool]] = []
    for section, page, text, is_table in pieces:
        last = merged[-1] if merged else None
        if (
            last is not None
            and not is_table
            and not last[3]
            and units(text) < min_units
            and last[0] == section
            and last[1] == page
            and units(last[2]) + units(text) <= max_units * 1.25
        ):
            merged[-1] = (section, page, last[2] + "\n" + text, False)
        else:
            merged.append((section, page, text, is_table))
    return [Chunk(i, s, t, p) for i, (s, p, t, _) in enumerate(merged)]
