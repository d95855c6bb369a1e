"""Fixtures for the feedback tests: the mini world plus every team, a ticking clock, the services."""

from __future__ import annotations

import datetime as dt

import pytest

from knowledge.store.db import SessionFactory
from tests.tools.feedback_world import TickClock, add_team_people
from tools.feedback.service import FeedbackService
from tools.workbench.inbox import WorkbenchService

TODAY = dt.date(2026, 11, 30)


@pytest.fixture
def fb_factory(mini_factory: SessionFactory) -> SessionFactory:
    add_team_people(mini_factory)
    return mini_factory


@pytest.fixture
def clock() -> TickClock:
    return TickClock()


@pytest.fixture
def feedback(fb_factory: SessionFactory, clock: TickClock) -> FeedbackService:
    return FeedbackService(fb_factory, TODAY, clock=clock)


@pytest.fixture
def inbox(fb_factory: SessionFactory, clock: TickClock) -> WorkbenchService:
    return WorkbenchService(fb_factory, TODAY, clock=clock)
