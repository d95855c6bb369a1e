"""Battle packs: situation, three strategies, two in-stock substitutes and a clinical table per
(customer, product), every figure traceable to a record or chunk. See `service.BattlePackService`."""

from tools.battle_pack.models import BattlePackDoc
from tools.battle_pack.service import BattlePackService

__all__ = ["BattlePackDoc", "BattlePackService"]
