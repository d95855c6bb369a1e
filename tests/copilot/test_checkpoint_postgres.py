"""With a PostgreSQL store the checkpointer is PostgreSQL, and a thread survives a new service."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from langchain_core.messages import AIMessage, BaseMessage

from copilot.chat import GraphChatService
from copilot.checkpoint import open_checkpointer
from tests.copilot.chatkit import ScriptedModel, after_tools, call, fake_spec, make_graph
from tools.common import Principal, Role


def _script(messages: list[BaseMessage], tools: list[dict[str, Any]]) -> AIMessage:
    if any(t["function"]["name"] == "transfer_to_sales" for t in tools):
        return AIMessage(content="", tool_calls=[call("transfer_to_sales", task="x")])
    if not after_tools(messages):
        return AIMessage(content="", tool_calls=[call("lookup")])
    return AIMessage(content=f"answer {len(messages)}")


def _service(url: str, data_dir: Path) -> GraphChatService:
    saver, close = open_checkpointer(url, data_dir)
    graph = make_graph({"lookup": fake_spec("lookup", ("sales",))}, ScriptedModel(script=_script), saver)
    return GraphChatService(graph, on_close=close)


@pytest.mark.postgres
def test_postgres_checkpointer_keeps_threads(pg_url: str, tmp_path: Path) -> None:
    first = _service(pg_url, tmp_path)
    assert type(first.graph.checkpointer).__name__ == "PostgresSaver"
    result = first.ask("hello", Principal(role=Role.REP))
    first.close()
    second = _service(pg_url, tmp_path)
    try:
        second.ask("again", Principal(role=Role.REP), result.thread_id)
        assert [m["role"] for m in second.history(result.thread_id)] == ["user", "assistant"] * 2
        assert not (tmp_path / "checkpoints.sqlite").exists()
    finally:
        second.close()
