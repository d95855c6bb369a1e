"""Screening visit notes for personal data before they are stored.

The feedback service depends on the small `NoteScreener` protocol, not on the compliance package,
so it can be built and tested on its own; the runtime injects the compliance `Guard` (whose
`check_text(text, context)` returns a decision with `redacted_text`). `RegexNoteScreener` is the
fallback used when no guard is wired: it removes the identifiers that must never sit in a CRM
note (mobile numbers, resident ID numbers, e-mail addresses, bank card numbers).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Protocol


class ScreenDecision(Protocol):
    """What a screener returns; `redacted_text` None means the text needs no change."""

    @property
    def redacted_text(self) -> str | None: ...


class NoteScreener(Protocol):
    def check_text(self, text: str, context: Any) -> ScreenDecision: ...


@dataclass(frozen=True)
class RedactionResult:
    redacted_text: str | None
    findings: list[str] = field(default_factory=list)


_PATTERNS: list[tuple[str, re.Pattern[str], str]] = [
    ("resident_id", re.compile(r"(?<!\d)\d{17}[\dXx](?!\d)"), "[身份证号已隐去]"),
    ("bank_card", re.compile(r"(?<!\d)\d{16,19}(?!\d)"), "[卡号已隐去]"),
    ("mobile", re.compile(r"(?<!\d)(?:\+?86[- ]?)?1[3-9]\d[- ]?\d{4}[- ]?\d{4}(?!\d)"), "[手机号已隐去]"),
    ("email", re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"), "[邮箱已隐去]"),
]


class RegexNoteScreener:
    """Redacts personal identifiers by pattern; names of people met are kept (they are CRM data)."""

    def check_text(self, text: str, context: Any = None) -> RedactionResult:
        findings: list[str] = []
        out = text
        for kind, pattern, replacement in _PATTERNS:
            out, count = pattern.subn(replacement, out)
            findings.extend([kind] * count)
        return RedactionResult(redacted_text=out if findings else None, findings=findings)


def screen_note(screener: NoteScreener, text: str, context: Any) -> tuple[str, list[str]]:
    """Apply a screener; returns (text to store, finding labels)."""
    if not text:
        return text, []
    decision = screener.check_text(text, context)
    redacted = decision.redacted_text
    findings = [_label(f) for f in getattr(decision, "findings", None) or []]
    if getattr(decision, "allowed", True) is False:
        # The guard blocked or held the note: keep none of it here; the guard has it on record.
        hold = getattr(decision, "hold_id", None)
        ref = f" ({hold})" if hold else ""
        return f"[备注已被合规拦截{ref} / note withheld by the compliance guard{ref}]", findings or [
            "withheld"
        ]
    if redacted is None or redacted == text:
        return text, findings
    return redacted, findings or ["redacted"]


def _label(finding: Any) -> str:
    if isinstance(finding, str):
        return finding
    for attr in ("code", "kind", "rule_id", "type"):
        value = getattr(finding, attr, None)
        if isinstance(value, str):
            return value
    return type(finding).__name__
