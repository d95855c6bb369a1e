"""Adapter between the graph's guard node and the compliance guard (`tools.compliance.Guard`).

The guard checks every outgoing answer: `allow` sends it as written, `redact` sends the redacted
text, `block` and `hold` (held for human review) send only the guard's notice. Until a guard is
wired in, `PassThroughGuard` allows everything and says so (`"guard": "none"`), so a missing
guard is visible in TurnResult.guard rather than silently assumed.
"""

from __future__ import annotations

import logging
from typing import Any, Protocol

log = logging.getLogger(__name__)

_WITHHELD = {
    "zh": "该回答未通过合规检查，未发出。",
    "en": "This answer was withheld by the compliance guard.",
}


class TextGuard(Protocol):
    def check_text(self, text: str, context: Any = None) -> Any: ...


class PassThroughGuard:
    def check_text(self, text: str, context: Any = None) -> dict[str, Any]:
        return {"action": "allow", "guard": "none", "findings": []}


def normalize_decision(decision: Any, text: str, lang: str = "zh") -> tuple[str, dict[str, Any], str | None]:
    """(text to send, decision as a dict, notice for the user or None)."""
    if hasattr(decision, "model_dump"):
        data: dict[str, Any] = decision.model_dump(mode="json", exclude={"redacted_artifact"})
    elif isinstance(decision, dict):
        data = dict(decision)
    else:
        data = {"action": "allow", "value": str(decision)}
    action = str(data.get("action", "allow"))
    notice_data = data.get("notice") or {}
    notice = notice_data.get(lang) or notice_data.get("en") if isinstance(notice_data, dict) else None
    if action in ("block", "hold", "deny"):
        return notice or _WITHHELD.get(lang, _WITHHELD["en"]), data, notice or _WITHHELD["en"]
    if action == "redact":
        redacted = data.get("redacted_text")
        return (redacted if isinstance(redacted, str) and redacted else text), data, notice
    return text, data, None
