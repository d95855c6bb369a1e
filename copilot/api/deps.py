"""Every dependency a route may ask for, as `Annotated` aliases (the full-stack-fastapi-template way).

Cheap dependencies are `async def` so FastAPI calls them on the event loop; a plain `def` would
cost a thread-pool hop each on every request. Those that may load something heavy on first use
(the chat graph, the knowledge base) stay plain functions.

Routes declare what they need (`principal: Manager`, `chat: ChatDep`) and tests swap any of these
with `app.dependency_overrides`, so a router can be exercised against fakes before, or without,
the real service. Role checks live here, one alias per group of roles, so the route table in the
tests and the code read the same.
"""

from __future__ import annotations

import threading
from collections.abc import Awaitable, Callable
from typing import Annotated, Any, Protocol

from fastapi import Depends, FastAPI, Request
from fastapi._compat.shared import field_annotation_is_sequence
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.concurrency import run_in_threadpool

from copilot.api.errors import ApiError
from copilot.api.middleware import set_response_headers
from copilot.api.ratelimit import RateLimiter
from copilot.api.security import AuthError, authenticate
from copilot.chat_types import ChatService
from copilot.config import Settings
from copilot.runtime import Runtime
from knowledge.docs.models import DocumentInfo, Hit
from knowledge.store.db import SessionFactory
from tools.analytics.metrics import MetricsService
from tools.battle_pack import BattlePackService
from tools.common import Principal, Role
from tools.compliance.service import ComplianceService
from tools.feedback.recommendations import RecommendationService
from tools.feedback.service import FeedbackService
from tools.workbench.inbox import WorkbenchService

_lock = threading.Lock()


def runtime_of(app: FastAPI) -> Runtime:
    """The app's runtime, built from settings on first use when none was given."""
    runtime: Runtime | None = getattr(app.state, "runtime", None)
    if runtime is None:
        with _lock:
            runtime = getattr(app.state, "runtime", None)
            if runtime is None:
                from copilot.config import load_settings

                runtime = Runtime(load_settings())
                app.state.runtime = runtime
                app.state.owns_runtime = True
    return runtime


def limiter_of(app: FastAPI) -> RateLimiter:
    limiter: RateLimiter | None = getattr(app.state, "limiter", None)
    if limiter is None:
        s = runtime_of(app).settings
        limiter = RateLimiter(s.rate_limit_per_minute, s.redis_url)
        app.state.limiter = limiter
    return limiter


async def get_runtime(request: Request) -> Runtime:
    return runtime_of(request.app)


RuntimeDep = Annotated[Runtime, Depends(get_runtime)]


async def get_settings(runtime: RuntimeDep) -> Settings:
    return runtime.settings


SettingsDep = Annotated[Settings, Depends(get_settings)]


async def get_session_factory(runtime: RuntimeDep) -> SessionFactory:
    return runtime.session_factory


SessionFactoryDep = Annotated[SessionFactory, Depends(get_session_factory)]

bearer = HTTPBearer(auto_error=False, description="An API key from `copilot keys create`.")


def _authenticate(factory: SessionFactory, key: str | None) -> Principal:
    with factory() as session:
        return authenticate(session, key)


async def get_principal(
    request: Request,
    factory: SessionFactoryDep,
    creds: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> Principal:
    """Authenticate the key (401) and count the request against its rate limit (429)."""
    key = creds.credentials if creds is not None else None
    try:
        principal = await run_in_threadpool(_authenticate, factory, key)
    except AuthError as exc:
        raise ApiError(
            401, exc.reason, code="invalid_api_key", headers={"www-authenticate": "Bearer"}
        ) from exc
    status = await limiter_of(request.app).hit(principal.key_id or "")
    if status is not None:
        set_response_headers(request.scope.setdefault("state", {}), status.headers())
        if not status.allowed:
            raise ApiError(
                429,
                f"rate limit of {status.limit} requests per minute exceeded for key {principal.key_id}",
                code="rate_limit_exceeded",
            )
    request.state.principal = principal
    return principal


PrincipalDep = Annotated[Principal, Depends(get_principal)]


def require(*roles: Role) -> Callable[[Principal], Awaitable[Principal]]:
    """A dependency letting only `roles` through (403 otherwise); `.roles` is read by tests."""
    allowed = frozenset(roles)

    async def check(principal: PrincipalDep) -> Principal:
        if principal.role not in allowed:
            names = ", ".join(sorted(r.value for r in allowed))
            raise ApiError(
                403,
                f"role {principal.role.value!r} may not use this route (allowed: {names})",
                code="forbidden",
            )
        return principal

    check.roles = allowed  # type: ignore[attr-defined]
    return check


R = Role
ALL_ROLES = tuple(Role)
# Role groups, one per kind of route (the route table in tests/copilot/api mirrors these).
BATTLE_PACK_WRITERS = (R.REP, R.MANAGER, R.MARKETING, R.ADMIN, R.INTEGRATION)
COMPLIANCE_CHECKERS = (R.REP, R.MANAGER, R.LEGAL_COMPLIANCE, R.ADMIN, R.INTEGRATION)
RULE_READERS = (R.LEGAL_COMPLIANCE, R.MANAGER, R.ADMIN)
RULE_EDITORS = (R.LEGAL_COMPLIANCE, R.ADMIN)
ALERT_READERS = (R.LEGAL_COMPLIANCE, R.MANAGER, R.ADMIN, R.INTEGRATION)
VISIT_WRITERS = (R.REP, R.ADMIN, R.INTEGRATION)
VISIT_READERS = (R.REP, R.MANAGER, R.ADMIN, R.INTEGRATION)
WORKBENCH_USERS = (R.REP, R.MANAGER, R.MARKETING, R.MEDICAL_AFFAIRS, R.LEGAL_COMPLIANCE, R.ADMIN)
JUDGES = (R.REP, R.MANAGER, R.ADMIN, R.INTEGRATION)
METRICS_READERS = (R.MANAGER, R.MARKETING, R.ADMIN, R.INTEGRATION)
KB_UPLOADERS = (R.MARKETING, R.MEDICAL_AFFAIRS, R.LEGAL_COMPLIANCE, R.ADMIN)

AnyRole = PrincipalDep
BattlePackWriter = Annotated[Principal, Depends(require(*BATTLE_PACK_WRITERS))]
ComplianceChecker = Annotated[Principal, Depends(require(*COMPLIANCE_CHECKERS))]
RuleReader = Annotated[Principal, Depends(require(*RULE_READERS))]
RuleEditor = Annotated[Principal, Depends(require(*RULE_EDITORS))]
AlertReader = Annotated[Principal, Depends(require(*ALERT_READERS))]
VisitWriter = Annotated[Principal, Depends(require(*VISIT_WRITERS))]
VisitReader = Annotated[Principal, Depends(require(*VISIT_READERS))]
WorkbenchUser = Annotated[Principal, Depends(require(*WORKBENCH_USERS))]
Judge = Annotated[Principal, Depends(require(*JUDGES))]
MetricsReader = Annotated[Principal, Depends(require(*METRICS_READERS))]
KbUploader = Annotated[Principal, Depends(require(*KB_UPLOADERS))]


def _service(runtime: Runtime, name: str, what: str) -> Any:
    """A runtime service, or 503 while the build has no such service yet."""
    if not hasattr(type(runtime), name):
        raise ApiError(503, f"{what} is not available in this build", code="service_unavailable")
    return getattr(runtime, name)


def get_chat(runtime: RuntimeDep) -> ChatService:
    service: ChatService = _service(runtime, "chat", "the chat service")
    return service


ChatDep = Annotated[ChatService, Depends(get_chat)]


def _prefer(runtime: Runtime, name: str, build: Callable[[], Any]) -> Any:
    """The runtime's own instance when it wires one, else a fresh one on today's date.

    Building per request is cheap (a session factory and a date) and keeps `today` right when
    a long-running server crosses midnight without a pinned COPILOT_TODAY.
    """
    if hasattr(type(runtime), name):
        return getattr(runtime, name)
    return build()


async def get_feedback(runtime: RuntimeDep) -> FeedbackService:
    service: FeedbackService = _prefer(
        runtime, "feedback", lambda: FeedbackService(runtime.session_factory, runtime.today())
    )
    return service


async def get_recommendations(runtime: RuntimeDep) -> RecommendationService:
    service: RecommendationService = _prefer(
        runtime, "recommendations", lambda: RecommendationService(runtime.session_factory, runtime.today())
    )
    return service


async def get_workbench(runtime: RuntimeDep) -> WorkbenchService:
    service: WorkbenchService = _prefer(
        runtime, "workbench", lambda: WorkbenchService(runtime.session_factory, runtime.today())
    )
    return service


FeedbackDep = Annotated[FeedbackService, Depends(get_feedback)]
RecommendationsDep = Annotated[RecommendationService, Depends(get_recommendations)]
WorkbenchDep = Annotated[WorkbenchService, Depends(get_workbench)]


def get_battle_packs(runtime: RuntimeDep) -> BattlePackService:
    service: BattlePackService = _service(runtime, "battle_packs", "battle packs")
    return service


BattlePackDep = Annotated[BattlePackService, Depends(get_battle_packs)]


async def get_compliance(runtime: RuntimeDep) -> ComplianceService:
    service: ComplianceService = _service(runtime, "compliance", "compliance")
    return service


ComplianceDep = Annotated[ComplianceService, Depends(get_compliance)]


async def get_metrics(runtime: RuntimeDep) -> MetricsService:
    service: MetricsService = _prefer(
        runtime, "metrics", lambda: MetricsService(runtime.session_factory, runtime.today())
    )
    return service


MetricsDep = Annotated[MetricsService, Depends(get_metrics)]


class KnowledgeBaseLike(Protocol):
    """What the API uses of `knowledge.docs.kb.KnowledgeBase` (importing it loads Chroma)."""

    def search(
        self, query: str, roles_of_caller: str, k: int = 5, filters: dict[str, Any] | None = None
    ) -> list[Hit]: ...

    def documents(self) -> list[DocumentInfo]: ...

    def chunk(self, chunk_id: str, roles_of_caller: str) -> Hit | None: ...

    def ingest(self, paths: Any, overrides: dict[str, Any] | None = None, progress: Any = None) -> Any: ...


def get_kb(runtime: RuntimeDep) -> KnowledgeBaseLike:
    """The knowledge base (opening it loads the embedder once per worker)."""
    kb: KnowledgeBaseLike = _service(runtime, "kb", "the knowledge base")
    return kb


KbDep = Annotated[KnowledgeBaseLike, Depends(get_kb)]


_QUERY_NAMES: dict[int, tuple[frozenset[str], frozenset[str]]] = {}


def _query_fields(dependant: Any) -> list[Any]:
    fields = list(dependant.query_params)
    for sub in dependant.dependencies:
        fields += _query_fields(sub)
    return fields


def _route_query(route: Any) -> tuple[frozenset[str], frozenset[str]]:
    """(every query name the route takes, the names that may repeat: list parameters)."""
    known = _QUERY_NAMES.get(id(route))
    if known is None:
        fields = _query_fields(route.dependant)
        names = frozenset(f.alias for f in fields)
        lists = frozenset(f.alias for f in fields if field_annotation_is_sequence(f.field_info.annotation))
        known = _QUERY_NAMES[id(route)] = (names, lists)
    return known


async def reject_unknown_query(request: Request) -> None:
    """Refuse query parameters a route does not take, and a single-valued one given twice (400):
    a typo such as `?stauts=open` fails loudly instead of silently returning unfiltered results."""
    if not request.query_params:
        return
    route = request.scope.get("route")
    if getattr(route, "dependant", None) is None:
        return
    allowed, lists = _route_query(route)
    given = [k for k, _ in request.query_params.multi_items()]
    unknown = sorted(set(given) - allowed)
    if unknown:
        listed = ", ".join(repr(u) for u in unknown)
        known = ", ".join(sorted(allowed)) or "none"
        raise ApiError(
            400,
            f"unknown query parameter(s) {listed}; this route takes: {known}",
            code="unknown_parameter",
            param=unknown[0],
        )
    repeated = sorted({k for k in given if given.count(k) > 1} - lists)
    if repeated:
        raise ApiError(
            400,
            f"query parameter {repeated[0]!r} given more than once",
            code="repeated_parameter",
            param=repeated[0],
        )
