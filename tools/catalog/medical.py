"""Tools of the medical-affairs agent: knowledge-base search for evidence, IFU and policies."""

from __future__ import annotations

from typing import Any

from tools.catalog._common import bind, product_key
from tools.catalog.args import DocSearchArgs
from tools.common import ToolResult
from tools.registry import ToolContext, ToolSpec, register


def _search(ctx: ToolContext, a: DocSearchArgs) -> ToolResult:
    filters: dict[str, Any] = {}
    if a.doc_type:
        filters["doc_type"] = a.doc_type
    product = product_key(ctx, a.product_id)
    if product:
        filters["product_id"] = product
    return ctx.services.search.search(a.query, principal=ctx.principal, k=a.k, filters=filters or None)


register(
    ToolSpec(
        name="doc_search",
        description=(
            "Search the knowledge base (clinical-evidence summaries, instructions for use / IFU, "
            "indications and contraindications, competitor intelligence notes, VBP and insurance notes, "
            "gift and hospitality policy, law summaries, sales playbooks) and return cited passages. "
            "Use for clinical questions and to check whether a use is on-label."
        ),
        args_schema=DocSearchArgs,
        call=bind(DocSearchArgs, _search),
        agents=("medical_affairs",),
        examples=(
            "瑞畅药物球囊注册试验12个月晚期管腔丢失是多少？",
            "瑞畅DCB说明书的适应症和禁忌症是什么？",
            "西罗莫司涂层和紫杉醇涂层球囊的临床证据对比",
            "瑞通支架可以用于分叉病变吗？算不算超适应症？",
            "What is the late lumen loss of RuiChang DCB in its registration trial?",
            "Show the IFU contraindications of the RuiYing IVUS catheter.",
            "Is using the DCB for in-stent restenosis on-label?",
            "Clinical evidence for FFR-guided PCI",
        ),
        keywords=(
            "临床",
            "证据",
            "试验",
            "说明书",
            "适应症",
            "禁忌",
            "超适应症",
            "文献",
            "晚期管腔丢失",
            "clinical",
            "evidence",
            "trial",
            "IFU",
            "indication",
            "contraindication",
            "off-label",
            "study",
            "late lumen loss",
        ),
    )
)
