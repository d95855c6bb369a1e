"""The shipped tools; importing this package registers them (see `tools.registry.all_tools`).

Each module registers the tools of one agent; features owned elsewhere (compliance, feedback,
battle packs, workbench) register theirs from their own modules.
"""

from tools.battle_pack import tool as battle_pack_tool  # noqa: F401  (registers `battle_pack`)
from tools.catalog import manager_specs, market, medical, sales

__all__ = ["manager_specs", "market", "medical", "sales"]
