"""The guard: every answer and artifact is checked against the `answer` rules before it leaves.

The rule's check mode decides what happens: `auto` redacts or blocks at once, `manual_review` holds
the answer and raises an item to legal_compliance, `dual_sign` holds it until both a manager and
legal approve. The agents' guard node and the visit-note intake (personal data) call this.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import re
import unicodedata
import uuid
from collections.abc import Callable
from typing import Any

from pydantic import BaseModel, ConfigDict

from knowledge.store import audit
from knowledge.store.db import SessionFactory, transaction
from tools.compliance.engine import CompiledRule, RuleSet
from tools.compliance.guard_holds import NEEDED, raise_hold
from tools.compliance.models import Finding, GuardDecision
from tools.compliance.schema import AppliesTo, AutoAction, Bilingual, CheckMode

log = logging.getLogger(__name__)


class GuardContext(BaseModel):
    """Who and what the text is for; every field is visible to answer-rule conditions."""

    model_config = ConfigDict(extra="allow")

    channel: str = "answer"  # answer / artifact / visit_note
    role: str | None = None
    actor: str = "copilot"
    subject_id: str | None = None
    customer_id: str | None = None
    thread_id: str | None = None


def _mask(value: str) -> str:
    digits = re.sub(r"[ -]", "", value)
    return digits[:3] + "*" * max(len(digits) - 7, 1) + digits[-4:] if len(digits) > 7 else "***"


def _notice(
    action: str, findings: list[Finding], check_mode: CheckMode | None, hold_id: str | None
) -> Bilingual | None:
    zh = "；".join(f.message.zh for f in findings)
    en = " ".join(f.message.en for f in findings)
    if action == "block":
        return Bilingual(
            zh=f"此内容因合规风险未发出：{zh}", en=f"This content was not sent for compliance reasons: {en}"
        )
    if action == "hold":
        who_zh = "销售总监与法务双签" if check_mode is CheckMode.DUAL_SIGN else "法务审核"
        who_en = "sign-off by a manager and legal" if check_mode is CheckMode.DUAL_SIGN else "legal review"
        return Bilingual(
            zh=f"此内容需{who_zh}后才能发出（编号 {hold_id}）：{zh}",
            en=f"This content is held for {who_en} (hold {hold_id}): {en}",
        )
    if action == "redact":
        return Bilingual(zh=f"已隐去个人信息：{zh}", en=f"Personal data was removed: {en}")
    return None


def answer_facts(text: str, context: dict[str, Any]) -> dict[str, Any]:
    """What an answer rule sees: the text (NFKC-folded, so full-width digits match), a lower-case
    copy for keyword rules, and the context fields."""
    folded = unicodedata.normalize("NFKC", text)
    return {**context, "text": folded, "text_lower": folded.lower()}


class Guard:
    """Checks text against the active answer rules; records every decision in the audit log."""

    def __init__(
        self,
        session_factory: SessionFactory | None,
        rules: Callable[[], RuleSet] | RuleSet,
        today: dt.date,
    ) -> None:
        self._session_factory = session_factory
        self._rules = rules
        self.today = today

    def _answer_rules(self) -> list[CompiledRule]:
        ruleset = self._rules() if callable(self._rules) else self._rules
        return ruleset.select((AppliesTo.ANSWER,), self.today)

    def check_text(self, text: str, context: GuardContext | dict[str, Any] | None = None) -> GuardDecision:
        ctx = context if isinstance(context, GuardContext) else GuardContext.model_validate(context or {})
        return self._decide([text], ctx, artifact=None)

    def check_artifact(
        self, artifact: dict[str, Any], context: GuardContext | dict[str, Any] | None = None
    ) -> GuardDecision:
        """Checks every string inside the artifact; `redacted_artifact` is the safe copy."""
        ctx = context if isinstance(context, GuardContext) else GuardContext.model_validate(context or {})
        if ctx.channel == "answer":
            ctx = ctx.model_copy(update={"channel": "artifact"})
        strings: list[str] = []
        _collect(artifact, strings)
        return self._decide(strings, ctx, artifact=artifact)

    def _decide(self, texts: list[str], ctx: GuardContext, artifact: dict[str, Any] | None) -> GuardDecision:
        facts = answer_facts("\n".join(texts), ctx.model_dump())
        text = facts["text"]
        subject_id = ctx.subject_id or hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
        findings: list[Finding] = []
        redactors: list[CompiledRule] = []
        blocked = False
        hold_mode: CheckMode | None = None
        for rule in self._answer_rules():
            flagged, scope = rule.test(facts)
            if not flagged:
                continue
            finding = rule.finding(scope, subject_type=ctx.channel, subject_id=subject_id)
            doc = rule.doc
            if doc.check_mode is CheckMode.AUTO and doc.auto_action is AutoAction.REDACT:
                redactors.append(rule)
                matches = [m.group(0) for rx, _ in rule.redactors for m in rx.finditer(text)]
                finding.evidence = {
                    **finding.evidence,
                    "redactions": len(matches),
                    "masked": [_mask(m) for m in matches],
                }
            elif doc.check_mode is CheckMode.AUTO and doc.auto_action is AutoAction.BLOCK:
                blocked = True
            elif doc.check_mode is CheckMode.DUAL_SIGN:
                hold_mode = CheckMode.DUAL_SIGN
            elif doc.check_mode is CheckMode.MANUAL_REVIEW and hold_mode is None:
                hold_mode = CheckMode.MANUAL_REVIEW
            findings.append(finding)
        redacted_texts = [_redact(t, redactors) for t in texts]
        redacted = "\n".join(redacted_texts)
        action = "block" if blocked else "hold" if hold_mode else "redact" if redactors else "allow"
        decision = GuardDecision(
            action=action,
            redacted_text=redacted,
            findings=findings,
            redacted_artifact=_redact_tree(artifact, redactors) if artifact is not None else None,
        )
        if action == "hold":
            decision.hold_id = uuid.uuid4().hex[:16]
        decision.notice = _notice(action, findings, hold_mode, decision.hold_id)
        self._record(decision, ctx, text, hold_mode)
        return decision

    def _record(
        self, decision: GuardDecision, ctx: GuardContext, text: str, hold_mode: CheckMode | None
    ) -> None:
        if self._session_factory is None:
            return
        with transaction(self._session_factory) as session:
            if decision.hold_id and hold_mode is not None:
                decision.item_ids = raise_hold(session, decision, ctx.model_dump(), hold_mode, ctx.actor)
            audit.append(
                session,
                actor=ctx.actor,
                action="guard.decision",
                subject_type=ctx.channel,
                subject_id=decision.findings[0].subject_id if decision.findings else "-",
                payload={
                    "action": decision.action,
                    "codes": [f.code for f in decision.findings],
                    "rules": [f"{f.rule_id}@{f.rule_version}" for f in decision.findings],
                    "hold_id": decision.hold_id,
                    "needs": NEEDED[hold_mode] if hold_mode else [],
                    "text_sha256": hashlib.sha256(text.encode("utf-8")).hexdigest(),
                    "role": ctx.role,
                    "thread_id": ctx.thread_id,
                },
            )


def _redact(text: str, rules: list[CompiledRule]) -> str:
    """Redacts the text as written; falls back to its NFKC form only when full-width digits hide
    a match (NFKC would otherwise rewrite Chinese punctuation in every answer)."""
    patterns = [p for rule in rules for p in rule.redactors]
    for rx, replacement in patterns:
        text = rx.sub(replacement, text)
    folded = unicodedata.normalize("NFKC", text)
    if any(rx.search(folded) for rx, _ in patterns):
        for rx, replacement in patterns:
            folded = rx.sub(replacement, folded)
        return folded
    return text


def _collect(node: Any, out: list[str]) -> None:
    if isinstance(node, str):
        out.append(node)
    elif isinstance(node, dict):
        for value in node.values():
            _collect(value, out)
    elif isinstance(node, list | tuple):
        for value in node:
            _collect(value, out)


def _redact_tree(node: Any, rules: list[CompiledRule]) -> Any:
    if isinstance(node, str):
        return _redact(node, rules) if rules else node
    if isinstance(node, dict):
        return {k: _redact_tree(v, rules) for k, v in node.items()}
    if isinstance(node, list | tuple):
        return [_redact_tree(v, rules) for v in node]
    return node
