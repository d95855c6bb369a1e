"""Runtime wires the tool services from settings (store URL, pinned date) without opening Chroma."""

from __future__ import annotations

import datetime as dt

from copilot.config import Settings
from copilot.runtime import Runtime
from tools.inventory import InventoryService


def test_runtime_services_are_lazy_and_dated() -> None:
    rt = Runtime(Settings())
    try:
        services = rt.services
        assert isinstance(services.inventory, InventoryService)
        assert services.today == dt.date(2026, 11, 30) == services.analytics.today
        assert "kb" not in rt.__dict__  # the knowledge base opens on the first search only
        assert rt.services is services
    finally:
        rt.close()
