"""Grounding scorer: every number in a pack must come from a cited source or a shown calculation.

The check is independent of the composer: it re-reads each cited record from the store and each
cited chunk from the knowledge base (through a `SourceText` lookup), extracts the figures found
there, verifies every calculation the pack shows (operands sourced, arithmetic right), then
extracts every number from the pack's JSON and Markdown and reports those it cannot trace.

What is not a figure: identifiers glued to letters (HMT-DCB-02, H-ZJ-001, P2Y12), the pack's own
bookkeeping (`meta`, `sources`, `compliance`, `pushed_to`) and the Markdown sections headed
"Compliance" and "Sources" (the guard's status and the list of what is cited).
Dates are compared as dates, and a source's dates also ground their year, month and day.
"""

from __future__ import annotations

import ast
import datetime as dt
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from tools.common import Source

SourceText = Callable[[Source], str | None]

# Markdown sections that are bookkeeping, not claims: the compliance status and the source list.
SKIP_HEADINGS = ("Compliance", "Sources")
_SKIP_KEYS = {"sources", "compliance", "meta", "pushed_to", "calculations"}
_DATE_RE = re.compile(r"(?<!\d)(\d{4})(?:-|/|年)(\d{1,2})(?:-|/|月)(\d{1,2})日?(?!\d)")
_ID_RE = re.compile(r"(?<![A-Za-z0-9_])[A-Za-z][A-Za-z0-9_]*(?:-[A-Za-z0-9_]+)*")
_NUM_RE = re.compile(r"(?<![A-Za-z0-9_.,])(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?(%?)")
_OPS = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/"}


@dataclass(frozen=True)
class Figure:
    text: str
    value: Decimal | dt.date


@dataclass
class Unsourced:
    figure: str
    where: str
    context: str


@dataclass
class GroundingReport:
    numbers_checked: int = 0
    unsourced: list[Unsourced] = field(default_factory=list)
    bad_calculations: list[str] = field(default_factory=list)
    unresolved_sources: list[str] = field(default_factory=list)
    dangling_keys: list[str] = field(default_factory=list)

    @property
    def grounded(self) -> bool:
        return not (self.unsourced or self.bad_calculations or self.unresolved_sources or self.dangling_keys)

    def describe(self) -> str:
        parts = [f"{u.figure} in {u.where} ({u.context!r})" for u in self.unsourced[:5]]
        parts += [f"calculation {c}" for c in self.bad_calculations[:3]]
        parts += [f"unresolved source {s}" for s in self.unresolved_sources[:3]]
        parts += [f"dangling source key {k}" for k in self.dangling_keys[:3]]
        return "; ".join(parts) or "grounded"


def parse_number(text: str) -> Decimal | None:
    try:
        return Decimal(text.replace(",", "").rstrip("%"))
    except InvalidOperation:
        return None


def figures(text: str, strip: Iterable[str] = ()) -> list[Figure]:
    """Dates and numbers in `text`, after removing the given ids and identifier-like tokens."""
    for token in sorted(set(strip), key=len, reverse=True):
        if len(token) >= 3 and any(c.isalpha() for c in token):  # never strip a bare number
            text = text.replace(token, " ")
    found: list[Figure] = []

    def _date(match: re.Match[str]) -> str:
        try:
            found.append(Figure(match.group(0), dt.date(*(int(g) for g in match.groups()))))
        except ValueError:
            return match.group(0)
        return " "

    text = _DATE_RE.sub(_date, text)
    text = _ID_RE.sub(lambda m: " " if any(c.isdigit() for c in m.group(0)) else m.group(0), text)
    for match in _NUM_RE.finditer(text):
        raw = match.group(0)
        value = parse_number(match.group(1) + (match.group(2) or ""))
        if value is not None:
            found.append(Figure(raw, value))
    return found


def allowed_values(texts: Iterable[str]) -> set[Decimal | dt.date]:
    """Every figure in the source texts; dates also allow their parts (2027-01-01 grounds 2027)."""
    allowed: set[Decimal | dt.date] = set()
    for text in texts:
        for fig in figures(text):
            allowed.add(fig.value)
            if isinstance(fig.value, dt.date):
                allowed.update(Decimal(p) for p in (fig.value.year, fig.value.month, fig.value.day))
    return allowed


def _eval(node: ast.AST, operands: list[Decimal]) -> Decimal:
    if isinstance(node, ast.Expression):
        return _eval(node.body, operands)
    if (
        isinstance(node, ast.Constant)
        and isinstance(node.value, int | float)
        and not isinstance(node.value, bool)
    ):
        value = Decimal(str(node.value))
        operands.append(value)
        return value
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        return -_eval(node.operand, operands)
    if isinstance(node, ast.BinOp) and type(node.op) in _OPS:
        left, right = _eval(node.left, operands), _eval(node.right, operands)
        op = _OPS[type(node.op)]
        if op == "+":
            return left + right
        if op == "-":
            return left - right
        if op == "*":
            return left * right
        return left / right
    raise ValueError(f"unsupported term {ast.dump(node)}")


def evaluate(expression: str) -> tuple[Decimal, list[Decimal]]:
    """Value of a shown expression ('6,800 - 5,600', '1,200 / 5,600') and its operands."""
    cleaned = expression.replace("×", "*").replace("÷", "/").replace("−", "-")
    cleaned = re.sub(r"(?<=\d),(?=\d{3})", "", cleaned)
    operands: list[Decimal] = []
    return _eval(ast.parse(cleaned, mode="eval"), operands), operands


def check_calculation(calc: dict[str, Any], allowed: set[Decimal | dt.date]) -> str | None:
    """None when the calculation is right and its operands are grounded, else the problem."""
    try:
        value, operands = evaluate(str(calc["expression"]))
    except (ValueError, SyntaxError, ZeroDivisionError, KeyError) as exc:
        return f"{calc.get('id')}: cannot evaluate ({exc})"
    missing = [str(o) for o in operands if o not in allowed]
    if missing:
        return f"{calc.get('id')}: unsourced operand(s) {', '.join(missing)}"
    result = str(calc.get("result", ""))
    shown = parse_number(result)
    if shown is None:
        return f"{calc.get('id')}: result {result!r} is not a number"
    if result.endswith("%"):
        value *= 100
    places = len(result.rstrip("%").split(".")[1]) if "." in result else 0
    if abs(value - shown) > Decimal("0.5") * Decimal(10) ** -places:
        return f"{calc.get('id')}: {calc['expression']} is {value:.4f}, not {result}"
    return None


def _claims(markdown: str) -> list[str]:
    """Markdown lines outside the bookkeeping sections (a skipped section ends at the next heading
    of the same or a higher level)."""
    kept: list[str] = []
    skip_level = 0
    for line in markdown.splitlines():
        level = len(line) - len(line.lstrip("#")) if line.startswith("#") else 0
        if level and skip_level and level <= skip_level:
            skip_level = 0
        if level and any(h in line for h in SKIP_HEADINGS):
            skip_level = level
        if not skip_level:
            kept.append(line)
    return kept


def _walk(node: Any, path: str, scope: set[str], out: list[tuple[str, Any, frozenset[str]]]) -> None:
    """Collect (path, leaf, source-key scope); a node's `sources`/`evidence` narrow the scope."""
    if isinstance(node, dict):
        own = set(node.get("sources") or []) if isinstance(node.get("sources"), list) else set()
        if isinstance(node.get("evidence"), list):
            own |= {k for ev in node["evidence"] if isinstance(ev, dict) for k in ev.get("sources", [])}
        child_scope = own or scope
        for key, value in node.items():
            if key in _SKIP_KEYS:
                continue
            _walk(value, f"{path}.{key}", child_scope, out)
    elif isinstance(node, list):
        for i, value in enumerate(node):
            _walk(value, f"{path}[{i}]", scope, out)
    elif isinstance(node, str | int | float) and not isinstance(node, bool):
        out.append((path, node, frozenset(scope)))


def score(
    pack: dict[str, Any], markdown: str | None, source_text: SourceText, pack_date: dt.date | None = None
) -> GroundingReport:
    """Check one pack (its JSON dict and optionally its Markdown) against its cited sources."""
    report = GroundingReport()
    sources = [Source.model_validate(s) for s in pack.get("sources", [])]
    texts: dict[str, str] = {}
    for src in sources:
        text = source_text(src)
        if text is None:
            report.unresolved_sources.append(src.key)
        else:
            texts[src.key] = text
    per_source = {key: allowed_values([text]) for key, text in texts.items()}
    everything: set[Decimal | dt.date] = set().union(*per_source.values()) if per_source else set()
    derived: set[Decimal | dt.date] = {pack_date} if pack_date else set()
    for calc in pack.get("calculations", []):
        problem = check_calculation(calc, everything | derived)
        if problem:
            report.bad_calculations.append(problem)
        elif markdown is not None and " ".join(
            f"{calc['result']} = {calc['expression']}".split()
        ) not in " ".join(markdown.split()):
            report.bad_calculations.append(f"{calc.get('id')}: not shown in the Markdown")
        else:
            value = parse_number(str(calc["result"]))
            if value is not None:
                derived.add(value)
    strip = {s.id for s in sources} | {s.ref for s in sources} | {str(pack.get("customer_id", ""))}
    strip |= {str(pack.get("product_id", "")), str((pack.get("meta") or {}).get("id", ""))}
    known = set(texts) | {s.key for s in sources}
    leaves: list[tuple[str, Any, frozenset[str]]] = []
    _walk({k: v for k, v in pack.items() if k not in _SKIP_KEYS}, "$", set(known), leaves)
    for path, leaf, scope in leaves:
        report.dangling_keys.extend(k for k in scope if k not in known and k not in report.dangling_keys)
        allowed = set().union(*(per_source.get(k, set()) for k in scope)) | derived
        found = figures(leaf, strip) if isinstance(leaf, str) else [Figure(str(leaf), Decimal(str(leaf)))]
        for fig in found:
            report.numbers_checked += 1
            if fig.value not in allowed:
                report.unsourced.append(Unsourced(fig.text, path, str(leaf)[:80]))
    if markdown is not None:
        for line in _claims(markdown):
            for fig in figures(line, strip):
                report.numbers_checked += 1
                if fig.value not in everything | derived:
                    report.unsourced.append(Unsourced(fig.text, "markdown", line.strip()[:80]))
    return report
