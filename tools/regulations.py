"""Names of the laws the copilot cites, and turning "AUCL art. 7" into a bilingual search query.

Law summaries in the knowledge base are mixed Chinese and English and number articles either as
第七条 / 第7条 or "Article 7"; the query carries all spellings, and the re-ranking puts passages that
name the law and the article first, because dense retrieval alone often returns a neighbouring law.
"""

from __future__ import annotations

from tools.search import DocHit

# canonical English name -> every spelling we accept or expect in documents
LAWS: dict[str, tuple[str, ...]] = {
    "Anti-Unfair Competition Law": ("反不正当竞争法", "anti-unfair competition law", "aucl"),
    "E-Commerce Law": ("电子商务法", "e-commerce law", "ecommerce law"),
    "Price Law": ("价格法", "price law"),
    "Advertising Law": ("广告法", "advertising law"),
    "Regulations on Medical Devices": ("医疗器械监督管理条例", "medical device regulations"),
}

_DIGITS = "零一二三四五六七八九"


def zh_number(n: int) -> str:
    """1..99 in Chinese numerals as used in article numbers: 7 -> 七, 14 -> 十四, 27 -> 二十七."""
    if not 0 < n < 100:
        return str(n)
    tens, ones = divmod(n, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else _DIGITS[tens] + "十")
    return head + (_DIGITS[ones] if ones else "")


def canonical_law(law: str | None) -> str | None:
    if not law:
        return None
    wanted = law.strip().casefold()
    for name, spellings in LAWS.items():
        if wanted == name.casefold() or any(
            s in wanted or (len(wanted) >= 4 and wanted in s) for s in spellings
        ):
            return name
    return law.strip()


def law_query(law: str | None, article: int | None, query: str) -> tuple[str, list[str]]:
    """(search text, names of the law to look for in passages)."""
    name = canonical_law(law)
    names = [name, *LAWS.get(name, ())] if name else []
    parts = [names[1] if len(names) > 1 else "", name or ""]
    if article:
        parts += [f"第{zh_number(article)}条", f"第{article}条", f"Article {article}"]
    parts.append(query)
    return " ".join(p for p in parts if p).strip(), names


def _mentions_article(text: str, article: int) -> bool:
    folded = text.casefold()
    return any(
        s.casefold() in folded
        for s in (f"第{zh_number(article)}条", f"第{article}条", f"article {article}", f"art. {article}")
    )


def rerank_for_law(hits: list[DocHit], names: list[str], article: int | None) -> list[DocHit]:
    """Stable sort: passages naming the law (and article) first, then by retrieval order."""

    def key(item: tuple[int, DocHit]) -> tuple[int, int]:
        index, hit = item
        blob = f"{hit.title} {hit.section} {hit.text}".casefold()
        law_hit = any(n.casefold() in blob for n in names) if names else True
        art_hit = _mentions_article(blob, article) if article else True
        return (-(2 * law_hit + art_hit), index)

    return [h for _, h in sorted(enumerate(hits), key=key)]
