"""Visits, feedback answers, work items, recommendation judgements and battle packs."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from knowledge.store.base import Base


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class Visit(Base):
    __tablename__ = "visits"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    customer_id: Mapped[str] = mapped_column(ForeignKey("customers.id"), index=True)
    rep_id: Mapped[str] = mapped_column(ForeignKey("people.id"), index=True)
    visit_date: Mapped[dt.date] = mapped_column(index=True)
    product_id: Mapped[str | None] = mapped_column(ForeignKey("products.id"), default=None)
    people_met: Mapped[list[str]] = mapped_column(default=list)
    note: Mapped[str] = mapped_column(Text, default="")
    question_ids: Mapped[list[str]] = mapped_column(default=list)  # the 3 questions asked
    created_at: Mapped[dt.datetime] = mapped_column(default=_now)


class FeedbackAnswer(Base):
    __tablename__ = "feedback_answers"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    visit_id: Mapped[str] = mapped_column(ForeignKey("visits.id"), index=True)
    question_id: Mapped[str] = mapped_column(String(32))
    option_id: Mapped[str] = mapped_column(String(32))
    theme: Mapped[str] = mapped_column(String(64), index=True)
    team: Mapped[str | None] = mapped_column(String(32), default=None)  # routing target, None = nobody
    owner_id: Mapped[str | None] = mapped_column(ForeignKey("people.id"), default=None)
    province: Mapped[str] = mapped_column(ForeignKey("provinces.code"), index=True)
    rep_id: Mapped[str] = mapped_column(ForeignKey("people.id"))
    answered_at: Mapped[dt.datetime] = mapped_column(default=_now, index=True)
    idempotency_key: Mapped[str] = mapped_column(String(128), unique=True)


class WorkItem(Base):
    """An item in a role's workbench inbox: pushes, routes, escalations, compliance alerts."""

    __tablename__ = "work_items"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    workbench: Mapped[str] = mapped_column(String(32), index=True)  # sales, marketing, ...
    kind: Mapped[str] = mapped_column(
        String(32), index=True
    )  # battle_pack, feedback_route, escalation, compliance_alert
    title: Mapped[str] = mapped_column(String(256))
    body: Mapped[dict[str, Any]] = mapped_column(default=dict)
    owner_id: Mapped[str | None] = mapped_column(ForeignKey("people.id"), default=None)
    province: Mapped[str | None] = mapped_column(String(8), default=None, index=True)
    source_type: Mapped[str | None] = mapped_column(String(32), default=None)
    source_id: Mapped[str | None] = mapped_column(String(64), default=None)
    dedupe_key: Mapped[str | None] = mapped_column(String(160), unique=True, default=None)
    status: Mapped[str] = mapped_column(String(16), default="open", index=True)  # open, acknowledged, closed
    sla_due: Mapped[dt.datetime | None] = mapped_column(default=None)
    created_at: Mapped[dt.datetime] = mapped_column(default=_now, index=True)
    updated_at: Mapped[dt.datetime] = mapped_column(default=_now)
    acknowledged_at: Mapped[dt.datetime | None] = mapped_column(default=None)
    acknowledged_by: Mapped[str | None] = mapped_column(String(64), default=None)
    closed_at: Mapped[dt.datetime | None] = mapped_column(default=None)
    closed_by: Mapped[str | None] = mapped_column(String(64), default=None)
    close_note: Mapped[str | None] = mapped_column(Text, default=None)


class Recommendation(Base):
    """A suggestion the copilot made, and how the rep judged it (adopted / rejected / invalid)."""

    __tablename__ = "recommendations"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))  # strategy, substitute, next_step
    source_type: Mapped[str] = mapped_column(String(32))  # battle_pack, chat
    source_id: Mapped[str] = mapped_column(String(64), index=True)
    text: Mapped[str] = mapped_column(Text)
    province: Mapped[str | None] = mapped_column(String(8), default=None)
    rep_id: Mapped[str | None] = mapped_column(ForeignKey("people.id"), default=None)
    created_at: Mapped[dt.datetime] = mapped_column(default=_now)
    judgement: Mapped[str | None] = mapped_column(String(16), default=None)
    reason: Mapped[str | None] = mapped_column(Text, default=None)
    judged_by: Mapped[str | None] = mapped_column(String(64), default=None)
    judged_at: Mapped[dt.datetime | None] = mapped_column(default=None)


class BattlePack(Base):
    __tablename__ = "battle_packs"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)  # BP-<customer>-<product>-<yyyymmdd>
    customer_id: Mapped[str] = mapped_column(ForeignKey("customers.id"), index=True)
    product_id: Mapped[str] = mapped_column(ForeignKey("products.id"))
    pack_date: Mapped[dt.date]
    content: Mapped[dict[str, Any]]
    version: Mapped[int] = mapped_column(default=1)
    created_by: Mapped[str | None] = mapped_column(String(64), default=None)
    created_at: Mapped[dt.datetime] = mapped_column(default=_now)
    updated_at: Mapped[dt.datetime] = mapped_column(default=_now)
