"""The supervisor graph: wiring and thin nodes only (state, deps, prompts and loops live elsewhere).

    START -> supervisor --Send--> agent (x1..n, in parallel) -> compose -> guard -> answer -> END
                  \\-----------------(direct reply)-----------> compose

- supervisor: a model bound to one hand-off tool per agent; each hand-off it calls becomes a
  `Send` to the `agent` node, so a request spanning agents runs them in parallel.
- agent: the agent's tool-calling loop (`agent_loop.run_agent`), enforcement in the executor.
- compose: merges the agents' sections into one answer (one section: passed through).
- guard: the compliance guard checks the outgoing answer (and may redact or block it).
- answer: appends the final AIMessage (with agents/tools/sources as metadata), streams tokens.
"""

from __future__ import annotations

from typing import Any

from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, SystemMessage
from langchain_core.runnables import RunnableConfig
from langgraph.config import get_stream_writer
from langgraph.graph import END, START, StateGraph
from langgraph.graph.state import CompiledStateGraph
from langgraph.types import Command, Send

from agents.base import AgentSection
from agents.supervisor import SUPERVISOR_PROMPT, agent_of, handoff_tool
from copilot import battle_pack_branch as bp
from copilot.agent_loop import run_agent
from copilot.graph_deps import GraphDeps
from copilot.graph_state import AgentTask, ChatState, TurnInput
from copilot.guard_hook import normalize_decision
from copilot.llm.offline.lang import detect
from copilot.llm.offline.model import MEMORY_KEY, text_of
from tools.common import Principal

TOKEN_CHARS = 24


def _request(state: ChatState) -> tuple[str, list[BaseMessage]]:
    messages: list[BaseMessage] = list(state.get("messages") or [])
    idx = max((i for i, m in enumerate(messages) if isinstance(m, HumanMessage)), default=-1)
    return (text_of(messages[idx]) if idx >= 0 else ""), messages[:idx]


def compose_sections(sections: list[dict[str, Any]], deps: GraphDeps, lang: str) -> str:
    """One section passes through; several get a heading each, in the agents' fixed order."""
    order = list(deps.agents)
    ordered = sorted(sections, key=lambda s: order.index(s["agent"]) if s["agent"] in order else len(order))
    if len(ordered) == 1:
        return str(ordered[0]["answer"])
    parts = []
    for sec in ordered:
        spec = deps.agents.get(sec["agent"])
        title = spec.title(lang) if spec else sec["agent"]
        parts.append(f"### {title}\n{sec['answer']}")
    return "\n\n".join(parts)


def build_graph(deps: GraphDeps, checkpointer: Any = None) -> CompiledStateGraph[Any, Any, Any, Any]:
    def history(state_messages: list[BaseMessage]) -> list[BaseMessage]:
        kept: list[BaseMessage] = [
            m
            for m in state_messages
            if isinstance(m, HumanMessage | AIMessage) and not getattr(m, "tool_calls", None)
        ]
        return kept[-deps.history_messages :]

    def supervisor(state: ChatState) -> Command[Any]:
        request, earlier = _request(state)
        principal = Principal(**state["principal"])
        mode = state.get("mode", "offline")
        agents = [a for a in deps.agents.values() if deps.executor.allowed(a.name, principal)]
        tools = [bp.supervisor_tool(), *(handoff_tool(a) for a in agents)]  # battle packs fan out
        past = history(earlier)
        msgs: list[BaseMessage] = [SystemMessage(SUPERVISOR_PROMPT), *past, HumanMessage(request)]
        reply, notice = deps.models.invoke(tools, msgs, mode, detect(request))
        bp_args = bp.battle_pack_call(reply)
        if bp_args is not None:  # sales, market and medical_affairs build their sections in parallel
            return bp.route(
                deps.executor.services, bp_args, state["principal"], mode, detect(request), notice
            )
        routes: list[dict[str, str]] = []
        for call in reply.tool_calls:
            agent = agent_of(call["name"])
            if agent in {a.name for a in agents} and agent not in {r["agent"] for r in routes}:
                routes.append({"agent": agent, "task": str((call.get("args") or {}).get("task") or request)})
        update: dict[str, Any] = {"routes": routes, "notices": [notice] if notice else []}
        if not routes:
            direct = AgentSection(agent="supervisor", answer=text_of(reply) or "", clarify=True)
            return Command(goto="compose", update={**update, "sections": [direct.model_dump(mode="json")]})
        sends = [
            Send(
                "agent",
                AgentTask(
                    agent=r["agent"],
                    task=r["task"],
                    request=request,
                    history=list(past),  # type: ignore[arg-type]
                    principal=state["principal"],
                    mode="offline" if notice else mode,
                ),
            )
            for r in routes
        ]
        return Command(goto=sends, update=update)

    def agent(task: AgentTask) -> dict[str, Any]:
        emit = get_stream_writer()
        emit({"type": "agent_started", "agent": task["agent"], "task": task["task"]})
        result = run_agent(
            deps.agents[task["agent"]],
            task["task"],
            task["request"],
            list(task["history"]),
            Principal(**task["principal"]),
            task["mode"],
            deps.models,
            deps.executor,
            deps.today(),
            emit,
        )
        return {"sections": [result.section.model_dump(mode="json")], "notices": result.notices}

    def compose(state: ChatState) -> dict[str, Any]:
        request, _ = _request(state)
        return {"answer": compose_sections(list(state.get("sections") or []), deps, detect(request))}

    def guard(state: ChatState, config: RunnableConfig) -> dict[str, Any]:
        request, _ = _request(state)
        answer = state.get("answer", "")
        principal = state.get("principal") or {}
        context = {
            "channel": "answer",
            "role": principal.get("role"),
            "actor": principal.get("person_id")
            or principal.get("key_id")
            or principal.get("role")
            or "copilot",
            "thread_id": (config.get("configurable") or {}).get("thread_id"),
            "agents": [s["agent"] for s in state.get("sections") or []],
        }
        decision = deps.guard.check_text(answer, context)
        text, data, notice = normalize_decision(decision, answer, detect(request))
        return {"answer": text, "guard": data, "notices": [notice] if notice else []}

    def answer(state: ChatState) -> dict[str, Any]:
        emit = get_stream_writer()
        text = state.get("answer", "")
        for i in range(0, len(text), TOKEN_CHARS):
            emit({"type": "token", "text": text[i : i + TOKEN_CHARS]})
        sections = list(state.get("sections") or [])
        meta = {
            "agents": [s["agent"] for s in sections if s["agent"] in deps.agents],
            "tools": [c for s in sections for c in s.get("tool_calls", [])],
            "sources": [src for s in sections for src in s.get("sources", [])],
            "artifacts": [a for s in sections for a in s.get("artifacts", [])],
            "notices": list(dict.fromkeys(state.get("notices") or [])),
            "guard": state.get("guard") or {},
            "clarify": any(s.get("clarify") for s in sections),
        }
        return {"messages": [AIMessage(content=text, additional_kwargs={MEMORY_KEY: meta})]}

    graph = StateGraph(ChatState, input_schema=TurnInput)
    graph.add_node("supervisor", supervisor, destinations=("agent", "compose", "bp_section"))
    graph.add_node("agent", agent)  # type: ignore[arg-type]  # takes a Send payload, not the state
    graph.add_node("compose", compose)
    graph.add_node("guard", guard)
    graph.add_node("answer", answer)
    graph.add_edge(START, "supervisor")
    graph.add_edge("agent", "compose")
    graph.add_edge("compose", "guard")
    graph.add_edge("guard", "answer")
    graph.add_edge("answer", END)
    bp.add_nodes(graph, deps.executor.services, deps.models.primary, deps.models.errors, then="guard")
    return graph.compile(checkpointer=checkpointer)
