"""The service instances a tool call reaches through `ToolContext.services`.

One object built once per runtime (or per test), so tools never construct services themselves
and tests can swap any slot for a fake. Slots beyond the core domain services are filled by the
features that own them (compliance, feedback, metrics, battle packs, workbench).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from knowledge.store.db import SessionFactory
from tools.analytics.store_analytics import StoreAnalyticsService
from tools.competitor import CompetitorService
from tools.customer import CustomerService
from tools.inventory import InventoryService
from tools.policy import PolicyService
from tools.search import DocSearchService, KnowledgeBaseLike


@dataclass
class Services:
    today: dt.date
    inventory: InventoryService
    policy: PolicyService
    competitor: CompetitorService
    customer: CustomerService
    search: DocSearchService
    analytics: StoreAnalyticsService
    compliance: Any | None = None
    feedback: Any | None = None
    metrics: Any | None = None
    battle_pack: Any | None = None
    workbench: Any | None = None


OPTIONAL_SLOTS = ("compliance", "feedback", "metrics", "battle_pack", "workbench")


def build_services(
    session_factory: SessionFactory,
    today: dt.date,
    kb: KnowledgeBaseLike | Callable[[], KnowledgeBaseLike | None] | None = None,
    **extras: Any,
) -> Services:
    """The core services over one store and clock; `extras` fill the optional slots by name.

    `kb` may be the knowledge base or a zero-argument provider of it (opened on first search).
    """
    unknown = set(extras) - set(OPTIONAL_SLOTS)
    if unknown:
        raise TypeError(f"unknown service slot(s): {', '.join(sorted(unknown))}; known: {OPTIONAL_SLOTS}")
    search = DocSearchService(kb)
    return Services(
        today=today,
        inventory=InventoryService(session_factory, today),
        policy=PolicyService(session_factory, today, search=search),
        competitor=CompetitorService(session_factory, today),
        customer=CustomerService(session_factory, today),
        search=search,
        analytics=StoreAnalyticsService(session_factory, today),
        **extras,
    )


def with_slots(services: Services, **slots: Any) -> Services:
    """A copy with some slots replaced (tests swap in fakes this way)."""
    return dataclasses.replace(services, **slots)
