"""The battle-pack fan-out: three sections in parallel, model rewording kept honest, chat branch."""

from __future__ import annotations

import datetime as dt
import json
import threading
from typing import Any

import pytest
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, SystemMessage
from langchain_core.outputs import ChatGeneration, ChatResult
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.types import Overwrite
from pydantic import ConfigDict

from copilot.battle_pack_flow import build_pack
from copilot.graph import build_graph
from copilot.graph_deps import GraphDeps
from copilot.llm.factory import ModelSet
from copilot.tool_exec import ToolExecutor
from knowledge.store.db import SessionFactory
from tools.common import Principal, Role
from tools.registry import all_tools
from tools.services import Services, build_services

TODAY = dt.date(2026, 11, 30)
ADMIN = Principal(role=Role.ADMIN, key_id="test")


class Scripted(BaseChatModel):
    """Supervisor: calls `battle_pack`. Section agents: wait for each other, then reword.

    The barrier makes the parallelism observable without timing: three section calls made one
    after another would never all reach it, and the barrier would break.
    """

    model_config = ConfigDict(arbitrary_types_allowed=True)
    barrier: Any
    calls: list[str]
    bp_args: dict[str, Any] | None = None  # default: 宁波东港人民医院 + 瑞畅

    @property
    def _llm_type(self) -> str:
        return "scripted"

    def bind_tools(self, tools: Any, **kwargs: Any) -> Any:
        return self

    def _generate(
        self, messages: list[BaseMessage], stop: Any = None, run_manager: Any = None, **kw: Any
    ) -> ChatResult:
        system = str(messages[0].content) if isinstance(messages[0], SystemMessage) else ""
        if "rewording one section" not in system:
            self.calls.append("supervisor")
            args = self.bp_args or {"customer_id": "宁波东港人民医院", "product_id": "瑞畅"}
            call = {"name": "battle_pack", "args": args, "id": "call_bp", "type": "tool_call"}
            return ChatResult(generations=[ChatGeneration(message=AIMessage(content="", tool_calls=[call]))])
        payload = json.loads(str(messages[-1].content))
        self.calls.append(next(iter(payload)))
        self.barrier.wait()
        if "strategies" in payload:
            for s in payload["strategies"]:
                s["title"] = "【要点】" + s["title"]
                s["answer"] = s["answer"] + "，本月再让利8%"  # an invented figure: must be rejected
        elif "situation" in payload:
            payload["situation"] = [t + "。" for t in payload["situation"]]
        else:
            payload["summary"] = "对比表逐项注明来源研究。"
        return ChatResult(
            generations=[ChatGeneration(message=AIMessage(content=json.dumps(payload, ensure_ascii=False)))]
        )


@pytest.fixture
def services(demo_factory: SessionFactory) -> Services:
    return build_services(demo_factory, TODAY)


def test_sections_are_built_in_parallel_and_rewording_adds_no_figure(services: Services) -> None:
    model = Scripted(barrier=threading.Barrier(3, timeout=10), calls=[])
    pack, _state = build_pack(
        services, "H-ZJ-002", "HMT-DCB-02", ADMIN, "zh", "openai", model, (RuntimeError,)
    )
    assert sorted(model.calls) == ["situation", "strategies", "summary"]
    assert pack.meta.refined_sections == ["sales", "market", "medical_affairs"]
    assert all(s.title.startswith("【要点】") for s in pack.strategies)
    assert not any("8%" in s.answer for s in pack.strategies)  # the rewrite with a new figure was refused
    assert any("rewrite rejected" in w for w in pack.meta.warnings)
    assert pack.clinical_comparison.summary == "对比表逐项注明来源研究。"
    assert pack.pushed_to == ["sales", "marketing", "medical_affairs"]


def test_offline_mode_calls_no_model(services: Services) -> None:
    model = Scripted(barrier=threading.Barrier(1), calls=[])
    pack, _ = build_pack(services, "H-SD-001", "HMT-FFR-06", ADMIN, "en", "offline", model)
    assert model.calls == [] and pack.meta.refined_sections == []
    assert pack.substitutes[0].products == ["HMT-FFR-06", "HMT-GW-04"]


def _chat(services: Services, model: Scripted) -> Any:
    deps = GraphDeps(
        models=ModelSet(offline=model, primary=model, errors=(RuntimeError,)),
        executor=ToolExecutor(all_tools(), services, None),
        today=lambda: TODAY,
    )
    return build_graph(deps, InMemorySaver())


def _turn(graph: Any, text: str, principal: Principal) -> dict[str, Any]:
    turn = {
        "messages": [HumanMessage(content=text)],
        "principal": principal.model_dump(mode="json"),
        "mode": "openai",
        "sections": Overwrite([]),
        "notices": Overwrite([]),
    }
    return graph.invoke(turn, {"configurable": {"thread_id": "t1"}})  # type: ignore[no-any-return]


def test_chat_supervisor_fans_out_to_the_three_agents(services: Services) -> None:
    model = Scripted(barrier=threading.Barrier(3, timeout=10), calls=[])
    state = _turn(_chat(services, model), "给宁波东港人民医院做一份瑞畅的作战包", ADMIN)
    meta = state["messages"][-1].additional_kwargs["copilot"]
    assert meta["agents"] == ["sales", "market", "medical_affairs"]
    assert {c["name"] for c in meta["tools"]} == {"battle_pack"}
    assert meta["artifacts"][0]["id"] == "BP-H-ZJ-002-HMT-DCB-02-20261130"
    assert "## 形势 Situation" in state["messages"][-1].content
    assert model.calls[0] == "supervisor" and len(model.calls) == 4


def test_chat_names_what_was_not_found_or_not_visible(services: Services) -> None:
    model = Scripted(
        barrier=threading.Barrier(3, timeout=10),
        calls=[],
        bp_args={"customer_id": "青岛湾医院", "product_id": "IVUS"},
    )
    state = _turn(_chat(services, model), "给青岛湾医院做一份瑞影的作战包", ADMIN)
    answer = state["messages"][-1].content
    assert "未找到客户“青岛湾医院”" in answer and "H-SD-002" in answer
    model2 = Scripted(
        barrier=threading.Barrier(3, timeout=10),
        calls=[],
        bp_args={"customer_id": "H-SD-002", "product_id": "IVUS"},
    )
    rep = Principal(role=Role.REP, person_id="P-ZW")  # Zhang Wei covers Zhejiang, not Qingdao
    assert (
        "无权"
        in _turn(_chat(services, model2), "给青岛海湾医院做一份瑞影的作战包", rep)["messages"][-1].content
    )
