"""The clinical-value comparison: our product against the competitor's, every cell with its source.

Clinical rows come from the clinical-evidence documents in the knowledge base, whose
"## 临床价值对比 Clinical value comparison" section is a Markdown table
(attribute | ours | competitor | source study); each cell cites the chunk it was read from.
Economic rows (terminal price, VBP award price) come from store records through the facts.
A long table may be chunked; the ingestion repeats the header in each chunk, so rows from every
chunk of the section are merged in order.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

from tools.battle_pack.facts import FactBook
from tools.battle_pack.kbcache import SearchLike
from tools.battle_pack.models import Cell, ClinicalRow
from tools.common import Principal, Source
from tools.search import DocHit, KnowledgeBaseUnavailableError, chunk_source

log = logging.getLogger(__name__)

SECTION_MARKERS = ("临床价值对比", "clinical value comparison")
_ECONOMIC = re.compile(r"价格|费用|成本|医保|price|cost|reimburs|economic", re.I)
_SEPARATOR = re.compile(r"^\|?\s*:?-{2,}")


@dataclass
class TableRow:
    attribute: str
    ours: str
    competitor: str
    study: str
    source: Source


def _cells(line: str) -> list[str]:
    return [c.strip() for c in line.strip().strip("|").split("|")]


def parse_table(text: str, source: Source) -> list[TableRow]:
    """Data rows of the first Markdown table with at least four columns in `text`."""
    lines = [ln for ln in text.splitlines() if ln.strip().startswith("|")]
    rows: list[TableRow] = []
    header_seen = False
    for line in lines:
        if _SEPARATOR.match(line.strip()):
            continue
        cells = _cells(line)
        if len(cells) < 4:
            continue
        if not header_seen:
            header_seen = True  # first row of the table is its header
            continue
        attribute, ours, theirs, study = cells[:4]
        if attribute:
            rows.append(TableRow(attribute, ours, theirs, study, source))
    return rows


def _is_comparison(hit: DocHit) -> bool:
    where = f"{hit.section}\n{hit.text}".casefold()
    return any(m.casefold() in where for m in SECTION_MARKERS) and "|" in hit.text


def _mentions(hit: DocHit, names: tuple[str, ...]) -> bool:
    text = f"{hit.title}\n{hit.text}".casefold()
    return any(n and n.casefold() in text for n in names)


def find_table(
    search: SearchLike,
    product_id: str,
    names: tuple[str, ...],
    competitor_names: tuple[str, ...],
    principal: Principal | None,
) -> list[TableRow]:
    """Rows of our product's clinical-value table, from its best-matching evidence document."""
    if not search.available:
        return []
    query = f"{' '.join(names)} 临床价值对比 Clinical value comparison {' '.join(competitor_names)}"
    hits: list[DocHit] = []
    for filters in (
        {"doc_type": "clinical_evidence", "product_id": product_id},
        {"doc_type": "clinical_evidence"},
    ):
        try:
            hits = [
                h for h in search.search(query, principal, k=12, filters=filters).hits if _is_comparison(h)
            ]
        except KnowledgeBaseUnavailableError:
            return []
        hits = [h for h in hits if _mentions(h, (product_id, *names))]
        if hits:
            break
    if not hits:
        log.info("no clinical comparison table", extra={"product": product_id})
        return []
    doc_id = hits[0].doc_id
    chunks = sorted((h for h in hits if h.doc_id == doc_id), key=lambda h: h.chunk_id)
    rows: list[TableRow] = []
    seen: set[str] = set()
    for hit in chunks:
        for row in parse_table(hit.text, chunk_source(hit)):
            if row.attribute not in seen:
                seen.add(row.attribute)
                rows.append(row)
    return rows


def clinical_rows(table: list[TableRow], facts: FactBook) -> list[ClinicalRow]:
    out: list[ClinicalRow] = []
    for row in table:
        key = facts.cite([row.source])
        kind = "economic" if _ECONOMIC.search(row.attribute) else "clinical"
        out.append(
            ClinicalRow(
                attribute=row.attribute,
                kind=kind,
                ours=Cell(value=row.ours, sources=key),
                competitor=Cell(value=row.competitor, sources=key),
                study=row.study,
            )
        )
    return out


def economic_rows(facts: FactBook) -> list[ClinicalRow]:
    """Rows drawn from store records (terminal price, VBP award price), each cell citing its record."""
    pairs = [
        (("终端价格（元）", "Terminal price (CNY)"), "our_price", "competitor_price"),
        (("集采中选价（元）", "VBP award price (CNY)"), "our_bid", "competitor_bid"),
    ]
    rows: list[ClinicalRow] = []
    for label, ours, theirs in pairs:
        if facts.has(ours) and facts.has(theirs):
            a, b = facts.facts[ours], facts.facts[theirs]
            rows.append(
                ClinicalRow(
                    attribute=facts.pick(label),
                    kind="economic",
                    ours=Cell(value=a.text, sources=a.sources),
                    competitor=Cell(value=b.text, sources=b.sources),
                    study=facts.pick(("业务记录", "business records")),
                )
            )
    return rows
