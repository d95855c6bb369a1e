"""What the feedback, workbench and analytics tests add to the mini world: the other teams' people
and a clock that ticks one minute per reading (so the order of answers is explicit)."""

from __future__ import annotations

import datetime as dt

from knowledge.store.db import SessionFactory, transaction
from knowledge.store.models import Person

T0 = dt.datetime(2026, 11, 2, 2, 0, tzinfo=dt.UTC)  # 10:00 in Shanghai


def add_team_people(factory: SessionFactory) -> None:
    with transaction(factory) as s:
        for pid, zh, en, role in [
            ("P-LY", "刘洋", "Liu Yang", "marketing"),
            ("P-ZM", "赵敏", "Zhao Min", "medical_affairs"),
            ("P-SL", "孙磊", "Sun Lei", "legal_compliance"),
        ]:
            s.add(Person(id=pid, name_zh=zh, name_en=en, role=role, team=role))


class TickClock:
    """Returns `start`, then one more `step` at every call; `set` jumps to a given instant."""

    def __init__(self, start: dt.datetime = T0, step: dt.timedelta = dt.timedelta(minutes=1)) -> None:
        self.current = start - step
        self.step = step

    def __call__(self) -> dt.datetime:
        self.current += self.step
        return self.current

    def set(self, when: dt.datetime) -> None:
        self.current = when - self.step
