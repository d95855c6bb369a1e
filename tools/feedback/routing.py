"""Turning an answer that needs someone into a work item in that team's workbench.

The work item's `dedupe_key` is derived from the answer's idempotency key, so a retried or
double-tapped submission finds the item it already created instead of adding a second one.
"""

from __future__ import annotations

import datetime as dt
import logging

from sqlalchemy.orm import Session

from knowledge.store.models import Customer, FeedbackAnswer, WorkItem
from tools.base import get_person
from tools.common import NotFoundError
from tools.feedback.bank import Option, Question, Route
from tools.workbench.push import push_item

log = logging.getLogger(__name__)

REP_REF = "$rep"
ROUTE_KIND = "feedback_route"


def resolve_owner(session: Session, route: Route, rep_id: str) -> str | None:
    """The person id a route names; None (team inbox, no owner) when the reference is unknown."""
    if route.owner is None:
        return None
    if route.owner == REP_REF:
        return rep_id
    try:
        return get_person(session, route.owner).id
    except NotFoundError:
        log.warning("route owner %r is not a known person; item goes to the team inbox", route.owner)
        return None


def route_key(answer: FeedbackAnswer) -> str:
    return f"{ROUTE_KIND}:{answer.idempotency_key}"


def route_answer(
    session: Session,
    *,
    answer: FeedbackAnswer,
    question: Question,
    option: Option,
    customer: Customer,
    visit_date: dt.date,
    actor: str,
    now: dt.datetime,
) -> tuple[WorkItem, bool] | None:
    """Create the answer's work item (or find the one a previous submission created)."""
    if option.route is None or answer.team is None:
        return None
    title = f"[{customer.name_zh}] {option.text.zh} / [{customer.name_en}] {option.text.en}"
    body = {
        "visit_id": answer.visit_id,
        "answer_id": answer.id,
        "question_id": question.id,
        "question": question.text.model_dump(),
        "option_id": option.id,
        "answer": option.text.model_dump(),
        "theme": option.theme,
        "customer_id": customer.id,
        "rep_id": answer.rep_id,
        "visit_date": visit_date.isoformat(),
    }
    return push_item(
        session,
        workbench=answer.team,
        kind=ROUTE_KIND,
        title=title[:256],
        body=body,
        owner_id=answer.owner_id,
        province=answer.province,
        source_type="feedback_answer",
        source_id=str(answer.id),
        dedupe_key=route_key(answer),
        sla_hours=option.route.sla_hours,
        actor=actor,
        now=now,
    )
