"""The battle-pack branch: the supervisor fans out to sales, market and medical_affairs in parallel.

    supervisor --(battle_pack call)--Send x3--> bp_section (sales | market | medical_affairs)
                                                   -> bp_compose -> guard -> answer
(the chat graph's side of it is `copilot.battle_pack_branch`)

`bp_section` builds one agent's section from the facts (tools only) and, in `openai` mode, asks
the model to rephrase it in that agent's voice; `tools.battle_pack.refine` keeps only rewrites
that add no figure. `bp_compose` merges the sections, runs the artifact guard, saves the pack and
pushes the work items. The same nodes also form a standalone graph (`standalone_graph`) used by
`copilot battle-pack`, the API and the benchmark, so every path builds packs the same way.
"""

from __future__ import annotations

import json
import logging
import threading
import time
import uuid
from collections import OrderedDict
from typing import Annotated, Any, TypedDict

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, HumanMessage, SystemMessage
from langgraph.graph import END, START, StateGraph
from langgraph.types import Send

from agents.base import AgentSection, ToolCallRecord
from agents.registry import AGENTS
from tools.battle_pack import refine
from tools.battle_pack.gather import Gathered
from tools.battle_pack.models import BattlePackDoc, MarketSection, MedicalSection, SalesSection
from tools.battle_pack.render_md import render
from tools.battle_pack.service import BattlePackService
from tools.battle_pack.tool import result_of
from tools.common import Principal

log = logging.getLogger(__name__)

BP_TOOL = "battle_pack"
SECTION_AGENTS = ("sales", "market", "medical_affairs")
PHRASE_RULES = """
You are rewording one section of a battle pack for a sales rep, in {lang}. Return ONLY a JSON object
with exactly the keys and list lengths you were given. Keep every number, date, id, product and
hospital name exactly as written; add no new facts, figures, promises or claims."""
RESET = "__reset__"


def merge_bp(old: dict[str, Any] | None, new: dict[str, Any] | None) -> dict[str, Any]:
    """Reducer of `bp_sections`: parallel sections merge; `{"__reset__": True}` clears the slot."""
    if new and new.get(RESET):
        return {k: v for k, v in new.items() if k != RESET}
    return {**(old or {}), **(new or {})}


class BpTask(TypedDict):
    agent: str
    run_key: str
    customer_id: str
    product_id: str
    lang: str
    principal: dict[str, Any]
    mode: str


class BpState(TypedDict, total=False):
    """The standalone graph's state (the chat graph carries the same `bp_sections` key)."""

    request: dict[str, Any]
    bp_sections: Annotated[dict[str, Any], merge_bp]
    sections: list[dict[str, Any]]
    answer: str
    pack: dict[str, Any]
    notices: list[str]


class _Cache:
    """Gathered facts of packs in flight, so three parallel sections gather once per process."""

    def __init__(self, size: int = 64) -> None:
        self._items: OrderedDict[str, Gathered] = OrderedDict()
        self._lock = threading.Lock()
        self.size = size

    def put(self, g: Gathered) -> str:
        key = uuid.uuid4().hex
        with self._lock:
            self._items[key] = g
            while len(self._items) > self.size:
                self._items.popitem(last=False)
        return key

    def get(self, key: str) -> Gathered | None:
        with self._lock:
            return self._items.get(key)

    def drop(self, key: str) -> None:
        with self._lock:
            self._items.pop(key, None)


CACHE = _Cache()


def service_of(services: Any) -> BattlePackService:
    """The wired service in the services' slot, or one built over them (and kept there)."""
    if getattr(services, "battle_pack", None) is None:
        services.battle_pack = BattlePackService.from_services(services)
    return services.battle_pack


def battle_pack_call(reply: AIMessage) -> dict[str, Any] | None:
    """The arguments of the supervisor's `battle_pack` call, if it made one."""
    for call in reply.tool_calls:
        if call["name"] == BP_TOOL:
            return dict(call.get("args") or {})
    return None


def start(
    service: BattlePackService, args: dict[str, Any], principal: dict[str, Any], mode: str, lang: str
) -> list[Send]:
    """Gather once (raising NotFoundError / AccessDeniedError early), then one Send per agent."""
    who = Principal(**principal)
    pack_lang = str(args.get("lang") or lang)
    g = service.gather(str(args["customer_id"]), str(args["product_id"]), who, pack_lang)  # type: ignore[arg-type]
    key = CACHE.put(g)
    task = {
        "run_key": key,
        "customer_id": g.customer.customer_id,
        "product_id": g.product_id,
        "lang": pack_lang,
        "principal": principal,
        "mode": mode,
    }
    return [Send("bp_section", BpTask(agent=a, **task)) for a in SECTION_AGENTS]  # type: ignore[typeddict-item]


def _parse_json(text: str) -> dict[str, Any] | None:
    body = text.strip()
    if body.startswith("```"):
        body = body.strip("`").split("\n", 1)[-1]
    start_at, end_at = body.find("{"), body.rfind("}")
    if start_at < 0 or end_at <= start_at:
        return None
    try:
        data = json.loads(body[start_at : end_at + 1])
    except json.JSONDecodeError:
        return None
    return data if isinstance(data, dict) else None


def phrase(model: BaseChatModel, agent: str, payload: dict[str, Any], lang: str) -> dict[str, Any] | None:
    """One completion: the agent's role prompt plus the rewording rules, over the section's text."""
    spec = AGENTS.get(agent)
    system = (spec.prompt if spec else "") + PHRASE_RULES.format(
        lang="Chinese" if lang == "zh" else "English"
    )
    reply = model.invoke([SystemMessage(system), HumanMessage(json.dumps(payload, ensure_ascii=False))])
    return _parse_json(str(reply.content))


Section = SalesSection | MarketSection | MedicalSection


def _make(service: BattlePackService, agent: str, g: Gathered, principal: Principal) -> Section:
    if agent == "sales":
        return service.sales_section(g, principal)
    if agent == "market":
        return service.market_section(g)
    return service.medical_section(g, principal)


def _payload(section: Section) -> dict[str, Any]:
    if isinstance(section, SalesSection):
        return refine.sales_payload(section)
    if isinstance(section, MarketSection):
        return refine.market_payload(section)
    return refine.medical_payload(section)


def _apply(section: Section, rewrite: dict[str, Any]) -> list[str]:
    if isinstance(section, SalesSection):
        return refine.apply_sales(section, rewrite)
    if isinstance(section, MarketSection):
        return refine.apply_market(section, rewrite)
    return refine.apply_medical(section, rewrite)


def build_section(
    service: BattlePackService,
    task: BpTask,
    primary: BaseChatModel | None,
    errors: tuple[type[BaseException], ...],
) -> dict[str, Any]:
    """One agent's section as JSON, reworded by the model in openai mode (facts unchanged)."""
    principal = Principal(**task["principal"])
    g = CACHE.get(task["run_key"])
    if g is None:  # another process started the pack: gather again
        g = service.gather(task["customer_id"], task["product_id"], principal, task["lang"])  # type: ignore[arg-type]
    section = _make(service, task["agent"], g, principal)
    out: dict[str, Any] = {"refined": False, "rejected": [], "model_calls": [], "notice": None}
    if task["mode"] == "openai" and primary is not None:
        started = time.perf_counter()
        try:
            rewrite = phrase(primary, task["agent"], _payload(section), task["lang"])
        except errors as exc:
            log.warning(
                "phrasing failed; template wording kept", extra={"agent": task["agent"], "error": str(exc)}
            )
            rewrite, out["notice"] = None, f"{task['agent']}: model unavailable, template wording kept"
        out["model_calls"].append(time.perf_counter() - started)
        if rewrite:
            out["rejected"] = _apply(section, rewrite)
            out["refined"] = True
    out["data"] = section.model_dump(mode="json")
    return {"bp_sections": {task["agent"]: out, "__run__": task["run_key"], "__request__": dict(task)}}


def compose(
    service: BattlePackService, bp: dict[str, Any]
) -> tuple[BattlePackDoc, list[dict[str, Any]], list[str]]:
    """Merge the three sections, guard, save and push; returns the pack and one section per agent."""
    task = bp["__request__"]
    principal = Principal(**task["principal"])
    g = CACHE.get(bp["__run__"]) or service.gather(
        task["customer_id"], task["product_id"], principal, task["lang"]
    )
    CACHE.drop(bp["__run__"])
    sales = SalesSection.model_validate(bp["sales"]["data"])
    market = MarketSection.model_validate(bp["market"]["data"])
    medical = MedicalSection.model_validate(bp["medical_affairs"]["data"])
    refined = [a for a in SECTION_AGENTS if bp[a]["refined"]]
    warnings = [
        f"{a}: rewrite rejected at {', '.join(bp[a]['rejected'])}"
        for a in SECTION_AGENTS
        if bp[a]["rejected"]
    ]
    pack = service.compose(g, sales, market, medical, refined=refined, warnings=warnings)
    pack = service.finish(pack, actor=principal.actor)
    result = result_of(pack)
    artifact = {"type": "battle_pack", "id": pack.meta.id, "pack": result.pack}
    parts = {"sales": sales.sources, "market": market.sources, "medical_affairs": medical.sources}
    sections = [
        AgentSection(
            agent=a,
            answer="",
            tool_calls=[
                ToolCallRecord(
                    name=BP_TOOL, args={"customer_id": pack.customer_id, "product_id": pack.product_id}
                )
            ],
            sources=parts[a],
            artifacts=[artifact] if a == "sales" else [],
        ).model_dump(mode="json")
        for a in SECTION_AGENTS
    ]
    notices = [bp[a]["notice"] for a in SECTION_AGENTS if bp[a].get("notice")]
    return pack, sections, notices


def model_seconds(bp: dict[str, Any]) -> float:
    return sum(t for a in SECTION_AGENTS for t in (bp.get(a) or {}).get("model_calls", []))


def standalone_graph(
    services: Any, primary: BaseChatModel | None = None, errors: tuple[type[BaseException], ...] = ()
) -> Any:
    """START -> bp_start --Send x3--> bp_section -> bp_compose -> END (CLI, API, benchmarks)."""
    service = service_of(services)

    def bp_start(state: BpState) -> dict[str, Any]:
        return {"bp_sections": {RESET: True}}

    def fan_out(state: BpState) -> list[Send]:
        r = state["request"]
        return start(service, r, r["principal"], r.get("mode", "offline"), r.get("lang", "zh"))

    def bp_section(task: BpTask) -> dict[str, Any]:
        return build_section(service, task, primary, errors)

    def bp_compose(state: BpState) -> dict[str, Any]:
        bp = state["bp_sections"]
        pack, sections, notices = compose(service, bp)
        return {
            "pack": pack.model_dump(mode="json"),
            "answer": render(pack),
            "sections": sections,
            "notices": notices,
            "bp_sections": {RESET: True, "__model_seconds__": model_seconds(bp)},
        }

    graph = StateGraph(BpState)
    graph.add_node("bp_start", bp_start)
    graph.add_node("bp_section", bp_section)  # type: ignore[arg-type]
    graph.add_node("bp_compose", bp_compose)
    graph.add_edge(START, "bp_start")
    graph.add_conditional_edges("bp_start", fan_out, ["bp_section"])
    graph.add_edge("bp_section", "bp_compose")
    graph.add_edge("bp_compose", END)
    return graph.compile()


def build_pack(
    services: Any,
    customer_id: str,
    product_id: str,
    principal: Principal,
    lang: str = "zh",
    mode: str = "offline",
    primary: BaseChatModel | None = None,
    errors: tuple[type[BaseException], ...] = (),
) -> tuple[BattlePackDoc, dict[str, Any]]:
    """Run the standalone graph once; returns the pack and the final state (timings, notices)."""
    graph = standalone_graph(services, primary, errors)
    request = {
        "customer_id": customer_id,
        "product_id": product_id,
        "principal": principal.model_dump(mode="json"),
        "lang": lang,
        "mode": mode,
    }
    state = graph.invoke({"request": request})
    return BattlePackDoc.model_validate(state["pack"]), state
