"""The shipped tool catalog: specs are complete, and every LangChain wrapper returns JSON with sources."""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from typing import Any

import pytest
from langchain_core.messages import ToolMessage

from knowledge.store.db import SessionFactory
from tools.common import Principal, Role, ToolResult
from tools.langchain_adapter import as_langchain_tool, run_tool
from tools.registry import ToolContext, ToolSpec, all_tools
from tools.services import build_services

TODAY = dt.date(2026, 11, 30)
MINE = {
    "inventory_stock": {"customer_id": "H-ZJ-001", "product_id": "HMT-DCB-02"},
    "substitute_offers": {"customer_id": "H-SD-001", "product_id": "HMT-IVUS-05"},
    "price_quote": {"product_id": "HMT-BC-03", "province": "广东"},
    "customer_profile": {"customer_id": "H-ZJ-001"},
    "customer_contracts": {"customer_id": "H-ZJ-001", "period": "2026"},
    "store_analytics": {"metric": "prepayments", "group_by": "region", "period": "2026-Q3"},
    "market_access": {"product_id": "HMT-DCB-02", "province": "ZJ"},
    "regulation_lookup": {"law": "反不正当竞争法", "article": 7},
    "competitor_products": {"product_id": "HMT-DCB-02"},
    "competitor_at_hospital": {"customer_id": "H-ZJ-001"},
    "competitor_price_gap": {"product_id": "HMT-DCB-02"},
    "doc_search": {
        "query": "瑞畅 晚期管腔丢失",
        "doc_type": "clinical_evidence",
        "product_id": "RuiChang DCB",
    },
}
CJK = re.compile(r"[\u4e00-\u9fff]")


@dataclass
class FakeHit:
    chunk_id: str
    doc_id: str
    title: str
    text: str
    score: float
    section: str = ""
    page: int | None = None
    source_path: str = ""

    @property
    def citation(self) -> str:
        return f"[{self.chunk_id}] {self.title}"


class FakeKB:
    """Returns a neighbouring law first, so the regulation re-ranking is exercised."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, list[str], int, dict[str, Any] | None]] = []

    def search(self, query: str, roles: list[str], k: int, filters: dict[str, Any] | None) -> list[FakeHit]:
        self.calls.append((query, list(roles), k, filters))
        return [
            FakeHit("law-price#1", "law-price", "价格法摘要", "第十四条 不正当价格行为", 0.9),
            FakeHit(
                "law-aucl#3",
                "law-aucl",
                "反不正当竞争法摘要",
                "第七条 经营者不得采用财物或者其他手段贿赂",
                0.8,
            ),
            FakeHit(
                "ev-dcb#2", "ev-dcb", "RuiChang DCB clinical evidence", "12-month late lumen loss 0.1 mm", 0.7
            ),
        ][:k]


def _ctx(factory: SessionFactory, principal: Principal, kb: FakeKB | None = None) -> ToolContext:
    return ToolContext(principal=principal, services=build_services(factory, TODAY, kb=kb or FakeKB()))


def test_specs_are_complete() -> None:
    tools = all_tools()
    assert set(MINE) <= set(tools)
    for name in MINE:
        spec = tools[name]
        assert 4 <= len(spec.examples) <= 8, name
        assert any(CJK.search(e) for e in spec.examples) and any(not CJK.search(e) for e in spec.examples), (
            name
        )
        assert spec.keywords and len(spec.description) > 80, name
        assert set(spec.agents) <= {"sales", "market", "medical_affairs"}, name
    assert tools["substitute_offers"].agents == ("sales",)
    assert tools["competitor_price_gap"].agents == ("market",)
    assert tools["doc_search"].agents == ("medical_affairs",)


@pytest.mark.parametrize("name", sorted(MINE))
def test_langchain_wrapper_returns_json_with_sources(mini_world: SessionFactory, name: str) -> None:
    spec: ToolSpec = all_tools()[name]
    tool = as_langchain_tool(spec, _ctx(mini_world, Principal(role=Role.MANAGER, person_id="P-CJ")))
    msg = tool.invoke({"type": "tool_call", "id": "call-1", "name": name, "args": MINE[name]})
    assert isinstance(msg, ToolMessage)
    payload = json.loads(str(msg.content))
    assert "error" not in payload, payload
    assert payload["sources"], name
    assert isinstance(msg.artifact, ToolResult)
    assert {s.key for s in msg.artifact.sources} == {f"{s['ref']}:{s['id']}" for s in payload["sources"]}


def test_wrapped_figures(mini_world: SessionFactory) -> None:
    ctx = _ctx(mini_world, Principal(role=Role.ADMIN))
    gap = run_tool(all_tools()["competitor_price_gap"], ctx, {"product_id": "瑞畅药物涂层球囊"})
    assert "6,800 - 5,600 = 1,200" in gap.model_dump_json()
    reg = run_tool(
        all_tools()["regulation_lookup"], ctx, {"law": "Anti-Unfair Competition Law", "article": 7}
    )
    assert reg.sources[0].id == "law-aucl#3"  # re-ranked above the Price Law passage


def test_doc_search_passes_role_and_filters(mini_world: SessionFactory) -> None:
    kb = FakeKB()
    ctx = _ctx(mini_world, Principal(role=Role.MEDICAL_AFFAIRS, person_id="P-ZM"), kb)
    run_tool(all_tools()["doc_search"], ctx, MINE["doc_search"])
    _, roles, _, filters = kb.calls[-1]
    assert roles == ["medical_affairs"]
    assert filters == {"doc_type": "clinical_evidence", "product_id": "HMT-DCB-02"}


def test_errors_come_back_as_json(mini_world: SessionFactory) -> None:
    rep = Principal(role=Role.REP, person_id="P-ZW")
    for name, args, kind in [
        ("substitute_offers", {"customer_id": "H-SD-001", "product_id": "HMT-IVUS-05"}, "access_denied"),
        ("customer_profile", {"customer_id": "H-GD-001"}, "access_denied"),
        ("market_access", {"product_id": "HMT-XYZ-99"}, "not_found"),
        ("store_analytics", {"period": "someday"}, "invalid_request"),
    ]:
        tool = as_langchain_tool(all_tools()[name], _ctx(mini_world, rep))
        msg = tool.invoke({"type": "tool_call", "id": "c", "name": name, "args": args})
        assert json.loads(str(msg.content))["error"]["type"] == kind, name
    no_kb = ToolContext(principal=rep, services=build_services(mini_world, TODAY))
    msg = as_langchain_tool(all_tools()["doc_search"], no_kb).invoke(
        {"type": "tool_call", "id": "c", "name": "doc_search", "args": {"query": "IFU"}}
    )
    assert json.loads(str(msg.content))["error"]["type"] == "unavailable"


def test_build_services_rejects_unknown_slot(mini_world: SessionFactory) -> None:
    with pytest.raises(TypeError):
        build_services(mini_world, TODAY, nonsense=object())
    assert build_services(mini_world, TODAY, compliance="x").compliance == "x"
