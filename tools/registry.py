"""Explicit registry of the copilot's tools, so agents, the offline model and tests share one list.

A `ToolSpec` is the typed service call plus what a model needs to choose it: a precise description
and example requests (Chinese and English), which the offline model embeds for routing. Each tool
belongs to one or more agents (sales, market, medical_affairs). `build` turns a spec into a
LangChain `StructuredTool` bound to live services.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel

from tools.common import Principal, ToolResult


@dataclass(frozen=True)
class ToolContext:
    """What a tool call may use besides its arguments: who is asking and the services."""

    principal: Principal
    services: Any  # the object holding service instances (copilot.runtime builds it)


@dataclass(frozen=True)
class ToolSpec:
    name: str
    description: str
    args_schema: type[BaseModel]
    call: Callable[[ToolContext, BaseModel], ToolResult]
    agents: tuple[str, ...]
    examples: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()  # alias/keyword hints for the offline router
    roles: tuple[str, ...] | None = None  # roles allowed to call it; None = every role
    tags: frozenset[str] = field(default_factory=frozenset)


_REGISTRY: dict[str, ToolSpec] = {}


def register(spec: ToolSpec) -> ToolSpec:
    if spec.name in _REGISTRY and _REGISTRY[spec.name] is not spec:
        raise ValueError(f"tool {spec.name!r} registered twice")
    _REGISTRY[spec.name] = spec
    return spec


def all_tools() -> dict[str, ToolSpec]:
    """Every registered tool (importing `tools.catalog` registers the shipped ones)."""
    import tools.catalog  # noqa: F401

    return dict(_REGISTRY)


def tools_for(agent: str) -> list[ToolSpec]:
    return [t for t in all_tools().values() if agent in t.agents]
