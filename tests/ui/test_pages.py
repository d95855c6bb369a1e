"""Page logic with Streamlit's AppTest against the real API served by the test."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.ui.servers import ROOT, Stack, running_stack

pytestmark = pytest.mark.slow
APP = str(ROOT / "ui" / "app.py")


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    with running_stack(tmp_path_factory.mktemp("ui") / "data", with_ui=False) as s:
        yield s


def _signed_in(stack: Stack, monkeypatch: pytest.MonkeyPatch, role: str, person: str | None) -> AppTest:
    monkeypatch.setenv("COPILOT_API_URL", stack.api_url)
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    at.text_input[0].input(stack.key(role, person))
    at.button[0].click()
    at.run()
    assert not at.exception, at.exception
    return at


def test_bad_key_shows_message_not_traceback(stack: Stack, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COPILOT_API_URL", stack.api_url)
    at = AppTest.from_file(APP, default_timeout=30)
    at.run()
    at.text_input[0].input("sk-not-a-key")
    at.button[0].click()
    at.run()
    assert not at.exception
    assert any("密钥无效" in e.value for e in at.error)


def test_api_down_is_a_clear_message(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COPILOT_API_URL", "http://127.0.0.1:9")
    at = AppTest.from_file(APP, default_timeout=30)
    at.run()
    at.text_input[0].input("sk-anything")
    at.button[0].click()
    at.run()
    assert not at.exception
    assert any("服务暂时不可用" in e.value for e in at.error)


def test_role_decides_pages(stack: Stack, monkeypatch: pytest.MonkeyPatch) -> None:
    rep = _signed_in(stack, monkeypatch, "rep", "P-ZW")
    rep_pages = rep.sidebar.radio(key="page").options
    assert "对话" in rep_pages and "管理看板" not in rep_pages
    legal = _signed_in(stack, monkeypatch, "legal_compliance", "P-SL")
    assert legal.sidebar.radio(key="page").options[0] == "合规"


def test_chat_answers_with_sources(stack: Stack, monkeypatch: pytest.MonkeyPatch) -> None:
    at = _signed_in(stack, monkeypatch, "rep", "P-ZW")
    at.chat_input[0].set_value("杭州仓瑞畅DCB还有多少库存？").run()
    assert not at.exception, at.exception
    texts = " ".join(m.value for m in at.markdown)
    assert "35" in texts


def test_compliance_check_flags_gift_ratio(stack: Stack, monkeypatch: pytest.MonkeyPatch) -> None:
    at = _signed_in(stack, monkeypatch, "legal_compliance", "P-SL")
    at.number_input[0].set_value(50000.0)  # the 2,000 CNY gift is then 4% of the total
    [b for b in at.button if b.label == "检查合同"][0].click().run()
    assert not at.exception, at.exception
    assert any("gift_ratio_exceeded" in m.value for m in at.markdown)


def test_workbench_lists_legal_escalation(stack: Stack, monkeypatch: pytest.MonkeyPatch) -> None:
    at = _signed_in(stack, monkeypatch, "legal_compliance", "P-SL")
    at.sidebar.radio(key="page").set_value("page_workbench").run()
    assert not at.exception, at.exception
    assert any("合同" in m.value or "contract" in m.value.lower() for m in at.markdown)


def test_manager_dashboard_shows_numbers(stack: Stack, monkeypatch: pytest.MonkeyPatch) -> None:
    at = _signed_in(stack, monkeypatch, "manager", "P-CJ")
    assert not at.exception, at.exception
    assert len(at.metric) >= 5
