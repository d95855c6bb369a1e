"""openai mode against a local fake OpenAI-compatible server: plain, streaming and tool-call
responses drive the graph; 500 / 429 / 401 / timeout fall back to the offline model with a notice."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from langchain_core.messages import AIMessage, BaseMessage, HumanMessage
from langgraph.checkpoint.memory import InMemorySaver

from copilot.chat import GraphChatService
from copilot.config import Settings
from copilot.graph import build_graph
from copilot.graph_deps import GraphDeps
from copilot.llm.factory import make_models
from copilot.llm.openai_mode import make_openai
from copilot.tool_exec import ToolExecutor
from tests.copilot.chatkit import TODAY, ScriptedModel, after_tools, call, fake_spec
from tests.fakes.openai_server import FakeOpenAIServer, ScriptedResponder
from tools.common import Principal, Role

pytestmark = pytest.mark.slow


def _settings(url: str) -> Settings:
    return Settings(
        model_mode="openai",  # type: ignore[arg-type]
        llm_base_url=url,
        llm_api_key="test-key",  # type: ignore[arg-type]
        llm_model="fake-model",
        llm_timeout_s=0.5,
        llm_max_retries=1,
    )


def _offline_script(messages: list[BaseMessage], tools: list[dict[str, Any]]) -> AIMessage:
    if any(t["function"]["name"] == "transfer_to_sales" for t in tools):
        return AIMessage(content="", tool_calls=[call("transfer_to_sales", task="x")])
    if not after_tools(messages):
        return AIMessage(content="", tool_calls=[call("lookup", customer_id="H-1")])
    return AIMessage(content="offline answer")


@pytest.fixture
def fake() -> Iterator[tuple[FakeOpenAIServer, ScriptedResponder]]:
    responder = ScriptedResponder()
    with FakeOpenAIServer(responder, timeout_sleep_s=2.0) as server:
        yield server, responder


def _service(server: FakeOpenAIServer) -> GraphChatService:
    settings = _settings(server.base_url)
    models = make_models("openai", ScriptedModel(script=_offline_script), settings)  # type: ignore[arg-type]
    deps = GraphDeps(
        models=models,
        executor=ToolExecutor({"lookup": fake_spec("lookup", ("sales",))}, services=None, resolver=None),
        today=lambda: TODAY,
    )
    return GraphChatService(build_graph(deps, InMemorySaver()), default_mode="openai")


def test_plain_and_streaming_responses(fake: tuple[FakeOpenAIServer, ScriptedResponder]) -> None:
    server, responder = fake
    model = make_openai(_settings(server.base_url))
    responder.push({"content": "hello from the fake"})
    assert model.invoke([HumanMessage("hi")]).content == "hello from the fake"
    responder.push({"content": "streamed in several pieces"})
    chunks = [c.content for c in model.stream([HumanMessage("hi")])]
    assert len(chunks) > 2 and "".join(str(c) for c in chunks) == "streamed in several pieces"


def test_tool_calls_from_the_provider_drive_the_graph(
    fake: tuple[FakeOpenAIServer, ScriptedResponder],
) -> None:
    server, responder = fake
    responder.push(
        {"tool_calls": [{"name": "transfer_to_sales", "arguments": {"task": "look it up"}}]},
        {"tool_calls": [{"name": "lookup", "arguments": {"customer_id": "H-9"}}]},
        {"content": "provider answer"},
    )
    result = _service(server).ask("look up H-9", Principal(role=Role.REP))
    assert result.answer == "provider answer"
    assert result.agents == ["sales"] and result.tools == ["lookup"]
    assert result.notices == []
    sent = server.state.requests
    assert sent[0]["model"] == "fake-model" and any(
        t["function"]["name"] == "transfer_to_sales" for t in sent[0]["tools"]
    )
    assert sent[-1]["messages"][-1]["role"] == "tool"


@pytest.mark.parametrize("fault", ["500", "429", "401", "timeout"])
def test_provider_failure_falls_back_to_offline_with_notice(
    fake: tuple[FakeOpenAIServer, ScriptedResponder], fault: str
) -> None:
    server, _ = fake
    server.state.fault(*[fault] * 4)  # more than the client's retries
    result = _service(server).ask("look up H-1", Principal(role=Role.REP))
    assert result.answer == "offline answer"
    assert result.tools == ["lookup"]
    assert result.notices and "offline" in result.notices[0]
