"""The visit service: record a visit, ask 3 questions, take the answers, route and escalate.

Every write is one transaction: the answer, its work item, any escalation and the audit entries
land together or not at all, so a retry after a failure can never leave half a submission.
Idempotency: a visit's id is derived from its content, and an answer's key is
`<visit id>:<question id>`; the same submission sent twice creates nothing new.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from collections.abc import Mapping, Sequence

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from knowledge.store import audit
from knowledge.store.db import SessionFactory, transaction
from knowledge.store.models import Customer, FeedbackAnswer, Visit, WorkItem
from tools.base import StoreService, can_see_customer, get_customer, get_person, get_product, record
from tools.common import NotFoundError, Principal, Role
from tools.feedback import patterns
from tools.feedback.bank import QuestionBank, default_bank
from tools.feedback.context import build_context
from tools.feedback.models import (
    AnswerConflictError,
    AnswerReceipt,
    AnswerView,
    EscalationView,
    InvalidAnswerError,
    QuestionView,
    VisitRecord,
)
from tools.feedback.routing import resolve_owner, route_answer, route_key
from tools.feedback.screening import NoteScreener, RegexNoteScreener, screen_note
from tools.workbench.clock import Clock, clock_on

log = logging.getLogger(__name__)


class FeedbackService(StoreService):
    def __init__(
        self,
        session_factory: SessionFactory,
        today: dt.date,
        *,
        screener: NoteScreener | None = None,
        bank: QuestionBank | None = None,
        clock: Clock | None = None,
    ) -> None:
        super().__init__(session_factory, today)
        self.screener: NoteScreener = screener or RegexNoteScreener()
        self.bank = bank or default_bank()
        self.now = clock or clock_on(today)

    # -- visits ---------------------------------------------------------------------------------
    def record_visit(
        self,
        *,
        customer: str,
        rep: str | None = None,
        visit_date: dt.date | None = None,
        people_met: Sequence[str] = (),
        note: str = "",
        product: str | None = None,
        principal: Principal | None = None,
    ) -> VisitRecord:
        """Store a visit (note screened first) and choose the 3 questions to ask about it."""
        day = visit_date or self.today
        with transaction(self.session_factory) as session:
            cust = get_customer(session, customer)
            rep_id = self._rep_for(session, cust, rep, principal)
            product_id = get_product(session, product).id if product else None
            stored_note, redactions = screen_note(
                self.screener,
                note.strip(),
                {"channel": "visit_note", "actor": rep_id, "customer_id": cust.id, "role": "rep"},
            )
            visit_id = _visit_id(rep_id, cust.id, day, people_met, note.strip())
            existing = session.get(Visit, visit_id)
            if existing is not None:
                return self._visit_record(existing, redactions, created=False)
            ctx = build_context(session, cust, product_id, day, stored_note, self.bank.recent_days)
            questions = self.bank.select(ctx)
            visit = Visit(
                id=visit_id,
                customer_id=cust.id,
                rep_id=rep_id,
                visit_date=day,
                product_id=product_id,
                people_met=[p.strip() for p in people_met if p.strip()],
                note=stored_note,
                question_ids=[q.id for q in questions],
                created_at=self.now(),
            )
            session.add(visit)
            session.flush()
            audit.append(
                session,
                actor=principal.actor if principal else rep_id,
                action="visit.record",
                subject_type="visit",
                subject_id=visit_id,
                payload={"customer_id": cust.id, "questions": visit.question_ids, "redactions": redactions},
            )
            log.info("visit recorded", extra={"visit_id": visit_id, "questions": visit.question_ids})
            return self._visit_record(visit, redactions, created=True)

    def get_visit(self, visit_id: str) -> VisitRecord:
        with self.session_factory() as session:
            visit = session.get(Visit, visit_id)
            if visit is None:
                raise NotFoundError("visit", visit_id)
            return self._visit_record(visit, [], created=False)

    def _rep_for(self, session: Session, cust: Customer, rep: str | None, principal: Principal | None) -> str:
        if principal is not None and principal.role is Role.REP:
            if not can_see_customer(principal, cust) or principal.person_id is None:
                raise PermissionError(f"{principal.actor} does not cover customer {cust.id}")
            if rep is not None and get_person(session, rep).id != principal.person_id:
                raise PermissionError("a rep records only their own visits")
            return principal.person_id
        if rep is not None:
            return get_person(session, rep).id
        if cust.rep_id is None:
            raise ValueError(f"customer {cust.id} has no rep; say who made the visit")
        return cust.rep_id

    def _visit_record(self, visit: Visit, redactions: list[str], *, created: bool) -> VisitRecord:
        return VisitRecord(
            visit_id=visit.id,
            customer_id=visit.customer_id,
            rep_id=visit.rep_id,
            visit_date=visit.visit_date,
            product_id=visit.product_id,
            people_met=list(visit.people_met or []),
            note=visit.note,
            redactions=redactions,
            questions=[QuestionView.of(self.bank.question(q)) for q in visit.question_ids or []],
            created=created,
            sources=[record("visits", visit.id)],
        )

    # -- answers --------------------------------------------------------------------------------
    def answer(
        self, visit_id: str, answers: Mapping[str, str], *, principal: Principal | None = None
    ) -> AnswerReceipt:
        """Take the rep's choices ({question id: option id}); safe to send twice."""
        try:
            return self._answer(visit_id, answers, principal)
        except IntegrityError:
            # A concurrent twin of this submission won the race for the idempotency key; replaying
            # now finds its rows and reports them as already there.
            log.info("answer race on visit %s; replaying", visit_id)
            return self._answer(visit_id, answers, principal)

    def _answer(
        self, visit_id: str, answers: Mapping[str, str], principal: Principal | None
    ) -> AnswerReceipt:
        with transaction(self.session_factory) as session:
            visit = session.get(Visit, visit_id)
            if visit is None:
                raise NotFoundError("visit", visit_id)
            if principal is not None and principal.role is Role.REP and principal.person_id != visit.rep_id:
                raise PermissionError("a rep answers only for their own visits")
            customer = session.get(Customer, visit.customer_id)
            assert customer is not None
            actor = principal.actor if principal else visit.rep_id
            now = self.now()
            views = [
                self._one_answer(session, visit, customer, q, o, actor, now)
                for q, o in self._validated(visit, answers)
            ]
            escalations: list[EscalationView] = []
            if any(v.created for v in views):
                rep = get_person(session, visit.rep_id)
                escalations = self._escalate(
                    session, regions={customer.province}, teams={rep.team}, actor=actor, now=now
                )
            sources = [record("visits", visit.id)] + [record("feedback_answers", v.answer_id) for v in views]
            return AnswerReceipt(visit_id=visit.id, answers=views, escalations=escalations, sources=sources)

    def _validated(self, visit: Visit, answers: Mapping[str, str]) -> list[tuple[str, str]]:
        if not answers:
            raise InvalidAnswerError("no answers given")
        asked = list(visit.question_ids or [])
        pairs: list[tuple[str, str]] = []
        for qid, oid in answers.items():
            if qid not in asked:
                raise InvalidAnswerError(f"{qid} was not asked at visit {visit.id} (asked: {asked})")
            question = self.bank.question(qid)
            try:
                question.option(oid)
            except KeyError:
                valid = [o.id for o in question.options]
                raise InvalidAnswerError(f"{oid} is not an option of {qid} (options: {valid})") from None
            pairs.append((qid, oid))
        return sorted(pairs, key=lambda p: asked.index(p[0]))

    def _one_answer(
        self,
        session: Session,
        visit: Visit,
        customer: Customer,
        qid: str,
        oid: str,
        actor: str,
        now: dt.datetime,
    ) -> AnswerView:
        question = self.bank.question(qid)
        option = question.option(oid)
        key = f"{visit.id}:{qid}"
        existing = session.execute(
            select(FeedbackAnswer).where(FeedbackAnswer.idempotency_key == key)
        ).scalar_one_or_none()
        if existing is not None:
            if existing.option_id != oid:
                raise AnswerConflictError(
                    f"{qid} was already answered {existing.option_id} for visit {visit.id}"
                )
            return _answer_view(session, existing, created=False)
        owner = resolve_owner(session, option.route, visit.rep_id) if option.route else None
        answer = FeedbackAnswer(
            visit_id=visit.id,
            question_id=qid,
            option_id=oid,
            theme=option.theme,
            team=option.route.team.value if option.route else None,
            owner_id=owner,
            province=customer.province,
            rep_id=visit.rep_id,
            answered_at=now,
            idempotency_key=key,
        )
        session.add(answer)
        session.flush()
        routed = route_answer(
            session,
            answer=answer,
            question=question,
            option=option,
            customer=customer,
            visit_date=visit.visit_date,
            actor=actor,
            now=now,
        )
        audit.append(
            session,
            actor=actor,
            action="feedback.answer",
            subject_type="feedback_answer",
            subject_id=str(answer.id),
            payload={"visit_id": visit.id, "question_id": qid, "option_id": oid, "theme": option.theme},
        )
        return _answer_view(session, answer, created=True, work_item_id=routed[0].id if routed else None)

    # -- patterns -------------------------------------------------------------------------------
    def scan_patterns(self, actor: str = "system") -> list[EscalationView]:
        """Replay the whole history and raise every escalation not raised yet."""
        with transaction(self.session_factory) as session:
            return self._escalate(session, regions=None, teams=None, actor=actor, now=self.now())

    def _escalate(
        self,
        session: Session,
        *,
        regions: set[str] | None,
        teams: set[str] | None,
        actor: str,
        now: dt.datetime,
    ) -> list[EscalationView]:
        views: list[EscalationView] = []
        for firing in patterns.detect(session, self.bank, regions=regions, teams=teams):
            item, created = patterns.raise_escalation(session, self.bank, firing, actor=actor, now=now)
            log.info("escalation %s (%s)", firing.key, "raised" if created else "exists")
            views.append(
                EscalationView(
                    work_item_id=item.id,
                    dedupe_key=firing.key,
                    theme=firing.theme,
                    rule=firing.rule,
                    workbench=item.workbench,
                    owner_id=item.owner_id,
                    province=item.province,
                    answer_ids=[a.id for a in firing.answers],
                    created=created,
                )
            )
        return views


def _visit_id(rep_id: str, customer_id: str, day: dt.date, people: Sequence[str], note: str) -> str:
    """Same rep, customer, day, people and note = the same visit (a retried `record`)."""
    raw = "|".join([rep_id, customer_id, day.isoformat(), ",".join(sorted(people)), note])
    return f"V-{day:%Y%m%d}-{hashlib.sha256(raw.encode('utf-8')).hexdigest()[:10]}"


def _answer_view(
    session: Session, answer: FeedbackAnswer, *, created: bool, work_item_id: int | None = None
) -> AnswerView:
    if work_item_id is None and answer.team is not None:
        work_item_id = session.execute(
            select(WorkItem.id).where(WorkItem.dedupe_key == route_key(answer))
        ).scalar_one_or_none()
    return AnswerView(
        answer_id=answer.id,
        question_id=answer.question_id,
        option_id=answer.option_id,
        theme=answer.theme,
        team=answer.team,
        owner_id=answer.owner_id,
        work_item_id=work_item_id,
        created=created,
    )
