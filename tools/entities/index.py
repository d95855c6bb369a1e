"""Finds entity mentions in free text: exact names, partial names, pinyin homophones, near spellings.

Matching runs over an alias table built once from the store (see `aliases`). Hits are kept
longest-first and non-overlapping, except that one span may name entities of different kinds
(杭州 is both the Hangzhou warehouse and, through its city, 浙江). Two entities of one kind on the
same span with near-equal weights make the mention ambiguous, so the caller can ask back.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

from tools.entities.aliases import is_cjk

_WS = re.compile(r"\s+")
_CJK_GAP = re.compile(r"(?<=[\u4e00-\u9fff])\s+(?=[\u4e00-\u9fff])")
_ASCII_WORD = re.compile(r"[a-z][a-z0-9\-]{4,}")
_TIE = 0.05
_PLACEHOLDER = {"customer": "HOSPITAL", "competitor_product": "COMPETITOR"}


@dataclass(frozen=True)
class Entity:
    kind: str  # customer, product, competitor, competitor_product, warehouse, province, person
    id: str
    name_zh: str
    name_en: str
    attrs: tuple[tuple[str, str], ...] = ()

    def attr(self, key: str) -> str | None:
        return dict(self.attrs).get(key)

    def name(self, lang: str) -> str:
        return self.name_zh if lang == "zh" else self.name_en


@dataclass(frozen=True)
class Mention:
    entity: Entity
    surface: str
    start: int
    end: int
    weight: float
    via: str  # exact | pinyin | spelling
    alternatives: tuple[Entity, ...] = ()

    @property
    def kind(self) -> str:
        return self.entity.kind

    @property
    def ambiguous(self) -> bool:
        return bool(self.alternatives)


@dataclass
class _Alias:
    text: str
    entity: Entity
    weight: float


def normalize(text: str) -> str:
    """Case-folded, whitespace collapsed, no spaces between Chinese characters."""
    return _CJK_GAP.sub("", _WS.sub(" ", text)).casefold()


def _ascii_alnum(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


@dataclass
class EntityIndex:
    """Alias table over a fixed set of entities (rebuilt when the store changes)."""

    entities: list[Entity]
    aliases: dict[str, list[_Alias]] = field(default_factory=dict)
    pinyin: dict[tuple[str, ...], list[_Alias]] = field(default_factory=dict)
    words: dict[str, list[_Alias]] = field(default_factory=dict)
    strict_case: set[str] = field(default_factory=set)

    def add(self, entity: Entity, alias: str, weight: float, *, case_sensitive: bool = False) -> None:
        key = normalize(alias).strip()
        if not key:
            return
        if case_sensitive:
            self.strict_case.add(alias.strip())
        bucket = self.aliases.setdefault(key, [])
        for existing in bucket:
            if existing.entity == entity:
                existing.weight = max(existing.weight, weight)
                return
        bucket.append(_Alias(key, entity, weight))

    def finish(self) -> None:
        """Build the pinyin and spelling tables once every alias is in."""
        from pypinyin import lazy_pinyin

        for key, bucket in self.aliases.items():
            if is_cjk(key) and len(key) >= 2 and all("\u4e00" <= c <= "\u9fff" for c in key):
                self.pinyin.setdefault(tuple(lazy_pinyin(key)), []).extend(bucket)
            elif key.isascii() and " " not in key and len(key) >= 5:
                self.words.setdefault(key, []).extend(bucket)

    def by_id(self, kind: str, ident: str) -> Entity | None:
        for ent in self.entities:
            if ent.kind == kind and ent.id.casefold() == ident.casefold():
                return ent
        return None

    def of_kind(self, kind: str) -> list[Entity]:
        return [e for e in self.entities if e.kind == kind]

    # --- matching -------------------------------------------------------------------------
    def _exact_hits(self, text: str, original: str) -> list[tuple[int, int, _Alias, str]]:
        hits: list[tuple[int, int, _Alias, str]] = []
        for key, bucket in self.aliases.items():
            start = text.find(key)
            while start >= 0:
                end = start + len(key)
                ok = not (_ascii_alnum(key[0]) and start > 0 and _ascii_alnum(text[start - 1]))
                ok = ok and not (_ascii_alnum(key[-1]) and end < len(text) and _ascii_alnum(text[end]))
                if ok and len(key) <= 2 and key.isascii():
                    ok = original[start:end] in self.strict_case
                if ok:
                    hits.extend((start, end, a, "exact") for a in bucket)
                start = text.find(key, start + 1)
        return hits

    def _pinyin_hits(self, text: str) -> list[tuple[int, int, _Alias, str]]:
        if not self.pinyin:
            return []
        from pypinyin import lazy_pinyin

        lengths = {len(k) for k in self.pinyin}
        hits: list[tuple[int, int, _Alias, str]] = []
        for run in re.finditer(r"[\u4e00-\u9fff]+", text):
            chars = run.group()
            syll = lazy_pinyin(chars)
            if len(syll) != len(chars):
                continue
            for n in lengths:
                for i in range(len(chars) - n + 1):
                    bucket = self.pinyin.get(tuple(syll[i : i + n]))
                    if bucket:
                        s = run.start() + i
                        hits.extend((s, s + n, a, "pinyin") for a in bucket)
        return hits

    def _spelling_hits(self, text: str) -> list[tuple[int, int, _Alias, str]]:
        hits: list[tuple[int, int, _Alias, str]] = []
        keys = list(self.words)
        for m in _ASCII_WORD.finditer(text):
            word = m.group()
            if word in self.words:
                continue
            for close in difflib.get_close_matches(word, keys, n=2, cutoff=0.84):
                hits.extend((m.start(), m.end(), a, "spelling") for a in self.words[close])
        return hits

    def find(self, raw: str) -> list[Mention]:
        """Mentions in reading order; see the module docstring for how overlaps are settled."""
        original = _CJK_GAP.sub("", _WS.sub(" ", raw))
        text = original.casefold()
        hits = self._exact_hits(text, original)
        penalty = {"exact": 1.0, "pinyin": 0.9, "spelling": 0.8}
        exact_spans = {(s, e) for s, e, _, _ in hits}
        hits += [h for h in self._pinyin_hits(text) if (h[0], h[1]) not in exact_spans]
        hits += self._spelling_hits(text)
        scored = sorted(
            ((s, e, a, via, a.weight * penalty[via]) for s, e, a, via in hits),
            key=lambda h: (-(h[1] - h[0]), -h[4], h[0]),
        )
        spans: list[tuple[int, int]] = []
        chosen: dict[tuple[int, int, str], list[tuple[float, _Alias, str]]] = {}
        for s, e, alias, via, score in scored:
            span = (s, e)
            if any(not (e <= a or s >= b) and (a, b) != span for a, b in spans):
                continue
            if span not in spans:
                spans.append(span)
            chosen.setdefault((s, e, alias.entity.kind), []).append((score, alias, via))
        mentions: list[Mention] = []
        seen: set[tuple[str, str]] = set()
        for (s, e, _kind), options in sorted(chosen.items(), key=lambda kv: kv[0][0]):
            options.sort(key=lambda o: -o[0])
            best_score, best, via = options[0]
            if (best.entity.kind, best.entity.id) in seen:
                continue
            seen.add((best.entity.kind, best.entity.id))
            alts = tuple(
                dict.fromkeys(
                    o[1].entity
                    for o in options[1:]
                    if best_score - o[0] < _TIE and o[1].entity != best.entity
                )
            )
            mentions.append(Mention(best.entity, original[s:e], s, e, best_score, via, alts))
        return mentions

    def mask(self, raw: str) -> str:
        """The text with each mention replaced by its kind in capitals (PRODUCT, CUSTOMER, ...)."""
        text = _CJK_GAP.sub("", _WS.sub(" ", raw))
        spans: dict[tuple[int, int], str] = {}
        for m in self.find(raw):
            spans.setdefault((m.start, m.end), _PLACEHOLDER.get(m.kind, m.kind.upper()))
        for (start, end), label in sorted(spans.items(), key=lambda kv: -kv[0][0]):
            text = f"{text[:start]} {label} {text[end:]}"
        return _WS.sub(" ", text).strip()

    def suggest(self, kind: str, query: str, n: int = 3) -> list[Entity]:
        """Closest entities of a kind by spelling, for a clarifying question."""
        pool = {normalize(name): e for e in self.of_kind(kind) for name in (e.name_zh, e.name_en, e.id)}
        close = difflib.get_close_matches(normalize(query), list(pool), n=n * 2, cutoff=0.3)
        return list(dict.fromkeys(pool[c] for c in close))[:n]
