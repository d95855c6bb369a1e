"""Wires the store, knowledge base, tools and graph from settings.

Everything is built lazily (first use), so `copilot --help` and the API's import stay fast and
a command only pays for what it touches. This is the one object the CLI and the API hold.
"""

from __future__ import annotations

import datetime as dt
import logging
from functools import cached_property

from sqlalchemy import Engine

from copilot.config import Settings
from knowledge.store.db import SessionFactory, make_engine, make_session_factory
from knowledge.store.schema import migrate

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

    def close(self) -> None:
        if "engine" in self.__dict__:
            self.engine.dispose()
