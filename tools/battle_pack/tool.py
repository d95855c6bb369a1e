"""The `battle_pack` tool: what the offline router and the agents see of battle packs.

Tagged `fanout`: the supervisor graph does not run it inside one agent's loop but builds the pack
by sending the sales, market and medical_affairs agents their sections in parallel (see
`copilot.battle_pack_flow`); the tool call itself is the in-process fallback (same steps, serial).
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

from tools.battle_pack.render_md import render
from tools.catalog._common import bind, visible
from tools.common import Source, ToolResult
from tools.registry import ToolContext, ToolSpec, register

FANOUT_TAG = "fanout:battle_pack"


class BattlePackArgs(BaseModel):
    customer_id: str = Field(description="The hospital: id (H-ZJ-001) or Chinese / English name or alias.")
    product_id: str = Field(description="Our product: id (HMT-DCB-02) or Chinese / English name or alias.")
    lang: Literal["zh", "en"] | None = Field(None, description="Pack language; default: the request's.")


class BattlePackResult(ToolResult):
    pack_id: str
    pack: dict[str, Any]
    markdown: str
    summary: str


def result_of(pack: Any) -> BattlePackResult:
    """The tool result for a composed pack (also used by the graph's fan-out branch)."""
    data = pack.model_dump(mode="json")
    titles = "; ".join(s.title for s in pack.strategies)
    combos = "; ".join("+".join(s.products) for s in pack.substitutes)
    summary = (
        f"{pack.meta.id}: {pack.customer_name} × {pack.product_name}; strategies: {titles}; "
        f"substitutes: {combos}; compared with {pack.clinical_comparison.competitor_product}; "
        f"compliance {pack.compliance.status}; pushed to {', '.join(pack.pushed_to) or 'nobody'}"
    )
    sources = [Source.model_validate(s) for s in data["sources"]]
    return BattlePackResult(
        pack_id=pack.meta.id, pack=data, markdown=render(pack), summary=summary, sources=sources
    )


def _battle_pack(ctx: ToolContext, a: BattlePackArgs) -> ToolResult:
    from tools.battle_pack.service import BattlePackService

    service = ctx.services.battle_pack or BattlePackService.from_services(ctx.services)
    ctx.services.battle_pack = service  # keep it (and its search cache) for the next call
    customer = visible(ctx, a.customer_id)
    assert customer is not None
    pack = service.build(customer, a.product_id, principal=ctx.principal, lang=a.lang or "zh")
    return result_of(pack)


SPEC = register(
    ToolSpec(
        name="battle_pack",
        description=(
            "Build a battle pack (作战包) for one hospital and one of our products: the situation "
            "(tier, medical group, NRDL and VBP status, stock where the hospital is served, the competitor "
            "and its price), three negotiation strategies, two in-stock substitute combinations and a "
            "clinical-value comparison table with sources; saved and pushed to the sales, marketing and "
            "medical affairs workbenches."
        ),
        args_schema=BattlePackArgs,
        call=bind(BattlePackArgs, _battle_pack),
        agents=("supervisor",),  # a supervisor-level tool: it fans out to the three agents
        examples=(
            "给宁波东港人民医院做一份瑞畅的作战包",
            "帮我准备杭州滨江中心医院瑞通支架的作战包",
            "济南历下人民医院 IVUS 谈判材料",
            "为广州天河心血管医院出一份瑞达球囊的竞争作战方案",
            "battle pack for Qingdao Bay Hospital on IVUS",
            "Build a battle pack for Hangzhou Binjiang Central Hospital on RuiChang DCB",
            "Prepare a negotiation pack for Shenzhen Nanshan on the FFR wire",
        ),
        keywords=(
            "作战包",
            "作战方案",
            "谈判材料",
            "谈判策略",
            "battle pack",
            "battle card",
            "negotiation pack",
        ),
        tags=frozenset({FANOUT_TAG}),
    )
)
