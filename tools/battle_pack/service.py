"""BattlePackService: gather, build the three sections, compose, check, save and push.

The supervisor graph calls the steps one by one (gather once, the sections in parallel, then
`finish`); `build` runs the same steps in-process for the CLI and tools. The service holds no
model: wording refinements arrive from the agents through `tools.battle_pack.refine`.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Literal, Protocol

from knowledge.store.db import SessionFactory
from tools.battle_pack import persist, playbooks, sections, situation
from tools.battle_pack.gather import Gathered, gather
from tools.battle_pack.kbcache import CachedSearch
from tools.battle_pack.models import (
    BattlePackDoc,
    Compliance,
    Lang,
    MarketSection,
    MedicalSection,
    PackMeta,
    SalesSection,
)
from tools.common import Principal

log = logging.getLogger(__name__)


class ArtifactGuard(Protocol):
    """The compliance guard's artifact check (tools.compliance Guard)."""

    def check_artifact(self, artifact: dict[str, Any], context: dict[str, Any] | None = None) -> Any: ...


def find_guard(compliance: Any) -> ArtifactGuard | None:
    """The object with `check_artifact` in the compliance slot (the guard itself or its holder)."""
    for candidate in (compliance, getattr(compliance, "guard", None)):
        if candidate is not None and callable(getattr(candidate, "check_artifact", None)):
            return candidate
    return None


_ACTIONS: dict[str, Literal["pass", "warn", "hold", "block"]] = {
    "allow": "pass",
    "redact": "warn",
    "hold": "hold",
    "block": "block",
}


class BattlePackService:
    def __init__(
        self,
        services: Any,
        session_factory: SessionFactory,
        today: dt.date,
        guard: ArtifactGuard | None = None,
        playbook_dirs: Sequence[Path] = (),
        mode: str = "offline",
        search_ttl_s: float = 300.0,
    ) -> None:
        self.services = services
        self.session_factory = session_factory
        self.today = today
        self.guard = guard
        self.playbook_dirs = tuple(Path(p) for p in playbook_dirs)
        self.mode = mode
        inner = getattr(services, "search", None)
        self.search = CachedSearch(inner, search_ttl_s) if inner is not None else None

    @classmethod
    def from_services(
        cls,
        services: Any,
        mode: str = "offline",
        playbook_dirs: Sequence[Path] = (),
        guard: ArtifactGuard | None = None,
    ) -> BattlePackService:
        """Built over a `tools.services.Services`; the guard defaults to its compliance slot's."""
        inventory = services.inventory
        return cls(
            services,
            inventory.session_factory,
            services.today,
            guard=guard or find_guard(getattr(services, "compliance", None)),
            playbook_dirs=playbook_dirs,
            mode=mode,
        )

    @property
    def playbooks(self) -> tuple[playbooks.Playbook, ...]:
        return playbooks.load(self.playbook_dirs)

    # -- steps (the graph calls these) -------------------------------------------------------

    def gather(
        self, customer_id: str, product_id: str, principal: Principal | None = None, lang: Lang = "zh"
    ) -> Gathered:
        """Resolve both entities (NotFoundError names the closest matches) and collect the facts."""
        return gather(self.services, self.session_factory, customer_id, product_id, principal, lang)

    def sales_section(self, g: Gathered, principal: Principal | None = None) -> SalesSection:
        return sections.sales_section(g, self.services, self.playbooks, principal, self.search)

    def market_section(self, g: Gathered) -> MarketSection:
        return situation.market_section(g)

    def medical_section(self, g: Gathered, principal: Principal | None = None) -> MedicalSection:
        return sections.medical_section(g, self.search, principal)

    def compose(
        self,
        g: Gathered,
        sales: SalesSection,
        market: MarketSection,
        medical: MedicalSection,
        refined: Sequence[str] = (),
        warnings: Sequence[str] = (),
    ) -> BattlePackDoc:
        meta = PackMeta(
            id=persist.pack_id(g.customer.customer_id, g.product_id, self.today),
            pack_date=self.today.isoformat(),
            lang=g.facts.lang,
            mode=self.mode,
            refined_sections=list(refined),
            warnings=list(warnings),
        )
        return sections.compose(g, sales, market, medical, meta)

    def check(self, pack: BattlePackDoc, actor: str = "copilot") -> BattlePackDoc:
        """Run the compliance guard over the pack; a redacting guard's version replaces it."""
        if self.guard is None:
            pack.compliance = Compliance(status="unchecked", checked_by="no guard wired")
            return pack
        context = {
            "channel": "artifact",
            "actor": actor,
            "subject_id": pack.meta.id,
            "customer_id": pack.customer_id,
        }
        decision = self.guard.check_artifact({"type": "battle_pack", **pack.model_dump(mode="json")}, context)
        action = str(getattr(decision, "action", "allow"))
        findings = [
            f.model_dump(mode="json") if hasattr(f, "model_dump") else dict(f)
            for f in getattr(decision, "findings", [])
        ]
        redacted = getattr(decision, "redacted_artifact", None)
        if action == "redact" and isinstance(redacted, dict):
            redacted = {k: v for k, v in redacted.items() if k != "type"}
            pack = BattlePackDoc.model_validate({**pack.model_dump(mode="json"), **redacted})
        pack.compliance = Compliance(
            status=_ACTIONS.get(action, "warn"), findings=findings, checked_by="guard"
        )
        return pack

    def finish(self, pack: BattlePackDoc, actor: str = "system", save: bool = True) -> BattlePackDoc:
        """Guard, then save and push (a blocked or held pack is saved for the record, pushed nowhere)."""
        pack = self.check(pack, actor)
        if not save:
            return pack
        now = dt.datetime.now(dt.UTC)
        pushable = pack.compliance.status not in ("block", "hold")
        return persist.save(self.session_factory, pack, actor, now, push=pushable)

    # -- all at once ---------------------------------------------------------------------------

    def build(
        self,
        customer_id: str,
        product_id: str,
        principal: Principal | None = None,
        lang: Lang = "zh",
        save: bool = True,
    ) -> BattlePackDoc:
        g = self.gather(customer_id, product_id, principal, lang)
        pack = self.compose(
            g, self.sales_section(g, principal), self.market_section(g), self.medical_section(g, principal)
        )
        actor = principal.actor if principal else "system"
        return self.finish(pack, actor=actor, save=save)

    def get(self, pack_id: str) -> BattlePackDoc | None:
        return persist.load(self.session_factory, pack_id)
