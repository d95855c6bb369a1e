"""Wires the store, knowledge base, tools and graph from settings.

Everything is built lazily (first use), so `copilot --help` and the API's import stay fast and
a command only pays for what it touches. This is the one object the CLI and the API hold.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from functools import cached_property
from typing import TYPE_CHECKING

from sqlalchemy import Engine

from copilot.config import Settings
from knowledge.store.db import SessionFactory, make_engine, make_session_factory
from knowledge.store.schema import migrate

if TYPE_CHECKING:
    from copilot.chat import GraphChatService
    from knowledge.docs.kb import KnowledgeBase
    from knowledge.docs.models import IngestReport
    from tools.analytics.metrics import MetricsService
    from tools.battle_pack import BattlePackService
    from tools.battle_pack.models import BattlePackDoc
    from tools.common import Principal
    from tools.compliance.service import ComplianceService
    from tools.feedback.recommendations import RecommendationService
    from tools.feedback.service import FeedbackService
    from tools.services import Services
    from tools.workbench.inbox import WorkbenchService

log = logging.getLogger(__name__)


class Runtime:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def today(self) -> dt.date:
        return self.settings.current_date()

    @cached_property
    def engine(self) -> Engine:
        engine = make_engine(self.settings.resolved_database_url)
        migrate(engine)
        return engine

    @cached_property
    def session_factory(self) -> SessionFactory:
        return make_session_factory(self.engine)

    @cached_property
    def kb(self) -> KnowledgeBase:
        """The knowledge base: Chroma server if `chroma_url`, else `<data_dir>/chroma`."""
        from knowledge.docs.factory import open_knowledge_base

        s = self.settings
        return open_knowledge_base(
            embedder=s.embedder,
            chroma_path=None if s.chroma_url else s.resolved_chroma_path,
            chroma_url=s.chroma_url,
            data_dir=s.data_dir,
            session_factory=self.session_factory,
        )

    def seed_documents(self, progress: Callable[[str, int, int], None] | None = None) -> IngestReport:
        """Ingest the demo documents (knowledge/seed/docs); unchanged ones are skipped."""
        from knowledge.docs.factory import SEED_DOCS, SEED_EXCLUDE

        return self.kb.ingest([SEED_DOCS], progress=progress, exclude_names=SEED_EXCLUDE, prune=True)

    @cached_property
    def services(self) -> Services:
        """Domain services for tool calls; the knowledge base is opened on the first search. The
        compliance, feedback, workbench and metrics slots are filled here (their constructors touch
        no store), so chat tools find them whichever runtime property was used first."""
        from tools.services import build_services

        return build_services(
            self.session_factory,
            self.today(),
            kb=lambda: self.kb,
            compliance=self.compliance,
            feedback=self.feedback,
            workbench=self.workbench,
            metrics=self.metrics,
        )

    @cached_property
    def battle_packs(self) -> BattlePackService:
        """Battle packs over the domain services (company playbooks: `<data_dir>/playbooks/*.yaml`)."""
        from tools.battle_pack import BattlePackService

        extra = self.settings.data_dir / "playbooks"
        service = BattlePackService.from_services(
            self.services,
            mode=self.settings.model_mode.value,
            playbook_dirs=[extra] if extra.is_dir() else [],
            guard=self.compliance.guard,
        )
        self.services.battle_pack = service  # the `battle_pack` tool finds it in its slot
        return service

    def build_battle_pack(
        self, customer: str, product: str, principal: Principal, lang: str | None = None
    ) -> BattlePackDoc:
        """The one way the CLI and the API build a pack: the supervisor's fan-out to the sales,
        market and medical-affairs sections in parallel (LangGraph `Send`) and the composer, with
        the configured model (in openai mode it may reword; figures still come only from tools)."""
        from copilot.battle_pack_flow import build_pack

        primary = None
        errors: tuple[type[BaseException], ...] = ()
        if self.settings.model_mode.value == "openai":
            from copilot.llm.openai_mode import make_openai, provider_errors

            primary, errors = make_openai(self.settings), provider_errors()
        self.battle_packs  # noqa: B018  (wires the service, with the compliance guard, into services)
        pack, _state = build_pack(
            self.services,
            customer,
            product,
            principal,
            lang or self.settings.language.value,
            self.settings.model_mode.value,
            primary,
            errors,
        )
        return pack

    @cached_property
    def compliance(self) -> ComplianceService:
        """Contract checks, history scan, rule authoring and the answer guard (`.guard`)."""
        from tools.compliance.service import ComplianceService

        service = ComplianceService(self.session_factory, self.today())
        return service

    @cached_property
    def feedback(self) -> FeedbackService:
        """Visits, the 3 questions, answers, routing and escalations; notes go through the guard."""
        from tools.feedback.service import FeedbackService

        service = FeedbackService(self.session_factory, self.today(), screener=self.compliance.guard)
        return service

    @cached_property
    def workbench(self) -> WorkbenchService:
        """Role inboxes: list, acknowledge, close."""
        from tools.workbench.inbox import WorkbenchService

        service = WorkbenchService(self.session_factory, self.today())
        return service

    @cached_property
    def metrics(self) -> MetricsService:
        """The manager's numbers (adoption, closure, response time, density, iteration, escalations)."""
        from tools.analytics.metrics import MetricsService

        service = MetricsService(self.session_factory, self.today())
        return service

    @cached_property
    def recommendations(self) -> RecommendationService:
        """Reps' judgements of the copilot's suggestions (adopted / rejected / invalid)."""
        from tools.feedback.recommendations import RecommendationService

        return RecommendationService(self.session_factory, self.today())

    @cached_property
    def chat(self) -> GraphChatService:
        """The chat service: supervisor graph, offline/openai models, guard, checkpointer."""
        from copilot.chat_factory import build_chat_service

        return build_chat_service(self)

    def close(self) -> None:
        if "chat" in self.__dict__:
            self.chat.close()
        if "engine" in self.__dict__:
            self.engine.dispose()
