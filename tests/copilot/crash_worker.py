"""A chat process the crash test kills mid-turn: `python -m tests.copilot.crash_worker DIR MODE TEXT`.

MODE `crash`: the turn's tool call writes DIR/in_tool and then hangs (the test SIGKILLs us there).
MODE `ask`: a normal turn. Either way the thread lives in DIR's SQLite checkpointer; the process
prints the thread's history as JSON when the turn completes.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Any

from langchain_core.messages import AIMessage, BaseMessage, HumanMessage

from copilot.chat import GraphChatService
from copilot.checkpoint import open_checkpointer
from tests.copilot.chatkit import ScriptedModel, after_tools, call, fake_spec, make_graph
from tools.common import Principal, Role

THREAD = "crash-thread"


def main() -> None:
    data_dir, mode, text = Path(sys.argv[1]), sys.argv[2], sys.argv[3]

    def on_call() -> None:
        if mode == "crash":
            (data_dir / "in_tool").write_text("1")
            time.sleep(120)

    def script(messages: list[BaseMessage], tools: list[dict[str, Any]]) -> AIMessage:
        if any(t["function"]["name"] == "transfer_to_sales" for t in tools):
            request = [m for m in messages if isinstance(m, HumanMessage)][-1].content
            return AIMessage(content="", tool_calls=[call("transfer_to_sales", task=request)])
        if not after_tools(messages):
            return AIMessage(content="", tool_calls=[call("slow")])
        request = [m for m in messages if isinstance(m, HumanMessage)][-1].content
        return AIMessage(content=f"answer to {request}")

    saver, close = open_checkpointer(f"sqlite:///{data_dir / 'store.db'}", data_dir)
    graph = make_graph(
        {"slow": fake_spec("slow", ("sales",), on_call=on_call)}, ScriptedModel(script=script), saver
    )
    service = GraphChatService(graph, on_close=close)
    service.ask(text, Principal(role=Role.REP), THREAD)
    print(json.dumps(service.history(THREAD), ensure_ascii=False))
    service.close()


if __name__ == "__main__":
    main()
