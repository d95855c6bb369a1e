"""Alias generation for entity names: the partial names people actually type.

Reps rarely write a hospital's full registered name: 杭州滨江中心医院 becomes 滨江医院 or 滨江中心,
Hangzhou Binjiang Central Hospital becomes "Binjiang hospital". Instead of fuzzy-matching every
substring at query time, each name is cut into tokens (a place prefix, generic words such as 医院
or 药物 and distinctive words such as 滨江 or 瑞畅) and every ordered subset that keeps a distinctive
token becomes an alias. Its weight is the share of the name (without the place prefix) it keeps,
so 滨江医院 points to 杭州滨江中心医院 (4/6) rather than 滨江医联体社区医院 (4/9).
"""

from __future__ import annotations

import itertools
import re

# Generic Chinese words in hospital, company and product names, longest first when cutting.
ZH_GENERIC = sorted(
    {
        "医院",
        "中心",
        "人民",
        "心血管",
        "医联体",
        "社区",
        "医疗",
        "集团",
        "生物",
        "药物",
        "涂层",
        "球囊",
        "洗脱",
        "支架",
        "扩张",
        "导管",
        "导丝",
        "血管内",
        "超声",
        "压力",
        "紫杉醇",
        "器械",
        "仓",
    },
    key=len,
    reverse=True,
)
EN_GENERIC = {
    "hospital",
    "central",
    "people's",
    "people",
    "medical",
    "group",
    "cardiovascular",
    "community",
    "the",
    "of",
    "bio",
    "warehouse",
    "catheter",
    "balloon",
    "wire",
    "stent",
    "ptca",
    "global",
    "pro",
}
_CJK = re.compile(r"[\u4e00-\u9fff]")
_MAX_TOKENS = 6  # 2**6 subsets at most per name


def is_cjk(text: str) -> bool:
    return bool(_CJK.search(text))


def norm(text: str) -> str:
    """Lower-case, no spaces: aliases and queries are compared in this form."""
    return "".join(text.split()).casefold()


def zh_tokens(name: str, places: tuple[str, ...] = ()) -> list[tuple[str, str]]:
    """Cut a Chinese name into (token, kind) with kind in place / generic / core."""
    tokens: list[tuple[str, str]] = []
    rest = name.strip()
    for place in sorted(places, key=len, reverse=True):
        if place and rest.startswith(place):
            tokens.append((place, "place"))
            rest = rest[len(place) :]
            break
    buf = ""
    i = 0
    while i < len(rest):
        word = next((g for g in ZH_GENERIC if rest.startswith(g, i)), None)
        if word is None:
            buf += rest[i]
            i += 1
            continue
        if buf:
            tokens.append((buf, "core"))
            buf = ""
        tokens.append((word, "generic"))
        i += len(word)
    if buf:
        tokens.append((buf, "core"))
    return tokens


def en_tokens(name: str, places: tuple[str, ...] = ()) -> list[tuple[str, str]]:
    lowered = {p.casefold() for p in places}
    out: list[tuple[str, str]] = []
    for word in name.split():
        w = word.casefold()
        kind = "place" if w in lowered else "generic" if w in EN_GENERIC else "core"
        out.append((word, kind))
    return out


def subset_aliases(tokens: list[tuple[str, str]], sep: str) -> dict[str, float]:
    """Every ordered token subset with a core token -> weight (share of the non-place name kept)."""
    if not tokens:
        return {}
    if len(tokens) > _MAX_TOKENS:
        full = sep.join(t for t, _ in tokens)
        return {full: 1.0}
    body = sum(len(t) for t, k in tokens if k != "place") or 1
    out: dict[str, float] = {}
    idx = range(len(tokens))
    for size in range(1, len(tokens) + 1):
        for combo in itertools.combinations(idx, size):
            parts = [tokens[i] for i in combo]
            if not any(k == "core" for _, k in parts):
                continue
            alias = sep.join(t for t, _ in parts)
            kept = sum(len(t) for t, k in parts if k != "place")
            weight = min(1.0, kept / body)
            if len(combo) == len(tokens):
                weight = 1.0
            out[alias] = max(out.get(alias, 0.0), weight)
    return out


def name_aliases(name: str, places: tuple[str, ...] = ()) -> dict[str, float]:
    """Aliases of one name (Chinese or English) with their weights; the full name weighs 1."""
    if not name:
        return {}
    if is_cjk(name):
        aliases = subset_aliases(zh_tokens(name, places), "")
    else:
        aliases = subset_aliases(en_tokens(name, places), " ")
        # a lone short core word ("Pro", "X") is too weak to stand for the whole name
        aliases = {a: w for a, w in aliases.items() if len(a) >= 3}
    aliases[name] = 1.0
    return aliases
