"""Executes tool calls for an agent, enforcing who may call what: in code, not in prompts.

A model (offline, hosted, or one obeying an injected instruction) can ask for any tool name with
any arguments. Before anything runs, the executor checks that the tool belongs to the calling
agent, that the principal's role may use it (`ToolSpec.roles`), that the arguments validate, and
that every customer the arguments name is visible to the principal (`Principal.customer_ids`).
A failed check returns a refusal tool message; the tool is never called.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from typing import Any

from langchain_core.messages import ToolMessage
from pydantic import ValidationError

from agents.base import ToolCallRecord
from copilot.llm.offline.schema import fields
from tools.common import NotFoundError, Principal, Source, ToolResult
from tools.entities.resolver import EntityResolver
from tools.registry import ToolContext, ToolSpec

log = logging.getLogger(__name__)

ARTIFACT_TAG = "artifact"


@dataclass
class Execution:
    message: ToolMessage
    record: ToolCallRecord
    sources: list[Source] = field(default_factory=list)
    artifacts: list[dict[str, Any]] = field(default_factory=list)


def _envelope(tool: str, ok: bool, **body: Any) -> str:
    return json.dumps({"ok": ok, "tool": tool, **body}, ensure_ascii=False, default=str)


class ToolExecutor:
    def __init__(self, specs: dict[str, ToolSpec], services: Any, resolver: EntityResolver | None) -> None:
        self.specs = specs
        self.services = services
        self.resolver = resolver

    def allowed(self, agent: str, principal: Principal) -> list[ToolSpec]:
        """The tools this agent may call for this principal (its own, and its role's)."""
        return [
            s
            for s in self.specs.values()
            if agent in s.agents and (s.roles is None or principal.role.value in s.roles)
        ]

    def _refuse(self, call: dict[str, Any], kind: str, message: str) -> Execution:
        log.warning("tool call refused", extra={"tool": call.get("name"), "reason": message})
        content = _envelope(str(call.get("name")), False, error={"kind": kind, "message": message})
        msg = ToolMessage(
            content=content, tool_call_id=call.get("id") or "", name=call.get("name"), status="error"
        )
        return Execution(
            msg, ToolCallRecord(name=str(call.get("name")), args=call.get("args") or {}, ok=False)
        )

    def _invisible_customer(self, spec: ToolSpec, args: dict[str, Any], principal: Principal) -> str | None:
        if principal.customer_ids is None:
            return None
        schema = spec.args_schema.model_json_schema()
        for f in fields(schema):
            if f.kind != "customer" or args.get(f.name) in (None, "", []):
                continue
            values = args[f.name] if isinstance(args[f.name], list) else [args[f.name]]
            for value in values:
                ident = self._customer_id(str(value))
                if ident is None or not principal.can_see_customer(ident):
                    return str(value)
        return None

    def _customer_id(self, value: str) -> str | None:
        if self.resolver is None:
            return value
        ent = self.resolver.entity("customer", value)
        if ent is not None:
            return ent.id
        hits = [m for m in self.resolver.find(value) if m.kind == "customer"]
        return hits[0].entity.id if hits else None

    def run(self, call: dict[str, Any], agent: str, principal: Principal) -> Execution:
        name = str(call.get("name"))
        args = dict(call.get("args") or {})
        spec = self.specs.get(name)
        if spec is None or agent not in spec.agents:
            return self._refuse(call, "refused", f"tool {name!r} is not available to the {agent} agent")
        if spec.roles is not None and principal.role.value not in spec.roles:
            return self._refuse(call, "refused", f"the {principal.role.value} role may not use {name!r}")
        try:
            parsed = spec.args_schema.model_validate(args)
        except ValidationError as exc:
            return self._refuse(call, "invalid", f"invalid arguments: {exc.errors()[0].get('msg', '')}")
        hidden = self._invisible_customer(spec, args, principal)
        if hidden is not None:
            return self._refuse(call, "refused", f"customer {hidden!r} is not in your accounts")
        record = ToolCallRecord(name=name, args=args)
        try:
            result = spec.call(ToolContext(principal=principal, services=self.services), parsed)
        except NotFoundError as exc:
            record.ok = False
            err = {
                "kind": "not_found",
                "entity": exc.kind,
                "query": exc.query,
                "suggestions": exc.suggestions,
            }
            content = _envelope(name, False, error={**err, "message": str(exc)})
            return Execution(
                ToolMessage(content=content, tool_call_id=call.get("id") or "", name=name, status="error"),
                record,
            )
        except (PermissionError, ValueError, LookupError) as exc:
            record.ok = False
            kind = "refused" if isinstance(exc, PermissionError) else "failed"
            content = _envelope(name, False, error={"kind": kind, "message": str(exc)})
            return Execution(
                ToolMessage(content=content, tool_call_id=call.get("id") or "", name=name, status="error"),
                record,
            )
        return self._success(call, spec, result, record)

    def _success(
        self, call: dict[str, Any], spec: ToolSpec, result: ToolResult, record: ToolCallRecord
    ) -> Execution:
        data = result.model_dump(mode="json", exclude={"sources"})
        content = _envelope(spec.name, True, result=data)
        artifacts = [{"type": spec.name, "data": data}] if ARTIFACT_TAG in spec.tags else []
        msg = ToolMessage(
            content=content,
            tool_call_id=call.get("id") or "",
            name=spec.name,
            artifact={"sources": [s.model_dump() for s in result.sources]},
        )
        return Execution(msg, record, list(result.sources), artifacts)
