"""Facts: the only way a figure or name gets into a battle pack.

A `FactBook` holds named facts (display text + the sources it came from + a raw value for
playbook conditions) and the calculations derived from them. Playbook templates can only say
`{competitor_price}`, never a literal number, so every figure a strategy shows is a fact whose
sources the strategy then cites as its evidence.
"""

from __future__ import annotations

import string
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from tools.base import fmt_money
from tools.battle_pack.models import Calculation, Evidence, Lang
from tools.common import Source


@dataclass
class Fact:
    key: str
    label: str
    text: str
    sources: list[str] = field(default_factory=list)
    raw: Any = None
    calc: str | None = None  # id of the calculation that derived it


class MissingFactError(KeyError):
    """A template names a fact this pack does not have (the strategy does not apply)."""


@dataclass
class FactBook:
    lang: Lang = "zh"
    facts: dict[str, Fact] = field(default_factory=dict)
    calculations: list[Calculation] = field(default_factory=list)
    sources: dict[str, Source] = field(default_factory=dict)
    flags: dict[str, Any] = field(default_factory=dict)  # condition-only values (no text)

    # -- building ------------------------------------------------------------------------------

    def cite(self, sources: list[Source]) -> list[str]:
        for src in sources:
            self.sources.setdefault(src.key, src)
        return list(dict.fromkeys(s.key for s in sources))

    def add(
        self, key: str, label: tuple[str, str], text: str, sources: list[Source], raw: Any = None
    ) -> Fact:
        fact = Fact(key, self.pick(label), text, self.cite(sources), raw if raw is not None else text)
        self.facts[key] = fact
        return fact

    def money(self, key: str, label: tuple[str, str], value: Decimal | int, sources: list[Source]) -> Fact:
        return self.add(key, label, fmt_money(value), sources, Decimal(value))

    def flag(self, key: str, value: Any) -> None:
        self.flags[key] = value

    def derive(self, key: str, label: tuple[str, str], op: str, a: str, b: str) -> Fact:
        """`a op b` over two money facts (op: '-' or '+'), recorded as a shown calculation."""
        fa, fb = self.facts[a], self.facts[b]
        value = fa.raw - fb.raw if op == "-" else fa.raw + fb.raw
        return self._calc(key, label, f"{fa.text} {op} {fb.text}", fmt_money(value), fa, fb, raw=value)

    def total(self, key: str, label: tuple[str, str], parts: list[Fact]) -> Fact:
        value = sum((p.raw for p in parts), Decimal(0))
        return self._calc(key, label, " + ".join(p.text for p in parts), fmt_money(value), *parts, raw=value)

    def percent(self, key: str, label: tuple[str, str], part: str, whole: str) -> Fact:
        """part / whole as a percentage with one decimal, e.g. '21.4% = 1,200 / 5,600'."""
        fp, fw = self.facts[part], self.facts[whole]
        pct = (Decimal(fp.raw) / Decimal(fw.raw) * 100).quantize(Decimal("0.1"), ROUND_HALF_UP)
        return self._calc(key, label, f"{fp.text} / {fw.text}", f"{pct}%", fp, fw, raw=pct)

    def _calc(
        self, key: str, label: tuple[str, str], expression: str, result: str, *parts: Fact, raw: Any
    ) -> Fact:
        sources = list(dict.fromkeys(k for p in parts for k in p.sources))
        calc_id = f"calc-{key}"
        self.calculations = [c for c in self.calculations if c.id != calc_id]
        self.calculations.append(
            Calculation(
                id=calc_id, label=self.pick(label), expression=expression, result=result, sources=sources
            )
        )
        fact = Fact(key, self.pick(label), result, sources, raw, calc=calc_id)
        self.facts[key] = fact
        return fact

    # -- reading -------------------------------------------------------------------------------

    def pick(self, pair: tuple[str, str]) -> str:
        return pair[0] if self.lang == "zh" else pair[1]

    def has(self, key: str) -> bool:
        return key in self.facts

    def text(self, key: str) -> str:
        return self.facts[key].text

    def conditions(self) -> dict[str, Any]:
        """Raw values playbooks match on: every fact's raw value plus the flags."""
        return {**{k: f.raw for k, f in self.facts.items()}, **self.flags}

    def render(self, template: str) -> tuple[str, list[str]]:
        """Fill `{fact}` placeholders; returns the text and the fact keys used, in order."""
        used: list[str] = []
        out: list[str] = []
        for literal, name, spec, _conv in string.Formatter().parse(template):
            out.append(literal)
            if name is None:
                continue
            if name not in self.facts:
                raise MissingFactError(name)
            used.append(name)
            out.append(format(self.facts[name].text, spec or ""))
        return "".join(out), list(dict.fromkeys(used))

    def evidence(self, keys: list[str]) -> list[Evidence]:
        """One evidence line per fact that has sources; a derived fact shows its calculation."""
        calcs = {c.id: c for c in self.calculations}
        out: list[Evidence] = []
        for key in dict.fromkeys(keys):
            fact = self.facts.get(key)
            if fact is None or not fact.sources:
                continue
            shown = calcs[fact.calc].shown if fact.calc else fact.text
            sep = "：" if self.lang == "zh" else ": "
            out.append(Evidence(text=f"{fact.label}{sep}{shown}", sources=fact.sources))
        return out

    def calcs_for(self, keys: list[str]) -> list[Calculation]:
        ids = {self.facts[k].calc for k in keys if k in self.facts and self.facts[k].calc}
        return [c for c in self.calculations if c.id in ids]


def fork(book: FactBook) -> FactBook:
    """A copy a section may extend without touching the shared book (sections run in parallel)."""
    return FactBook(
        lang=book.lang,
        facts=dict(book.facts),
        calculations=list(book.calculations),
        sources=dict(book.sources),
        flags=dict(book.flags),
    )
