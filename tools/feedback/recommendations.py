"""Reps judge the copilot's suggestions: adopted, rejected, or invalid (with a reason).

Battle packs record their strategies and substitutes in `recommendations`; this service lets the
rep judge any of them and keeps the "invalid" ones as a review queue: the examples of what the
copilot got wrong, the material for improving it ("AI training" feedback). A judgement can be
changed (the rep tried it after all); the audit chain keeps every change.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Literal

from pydantic import BaseModel
from sqlalchemy import select

from knowledge.store import audit
from knowledge.store.db import SessionFactory, transaction
from knowledge.store.models import Recommendation
from tools.base import StoreService, record
from tools.common import NotFoundError, Principal, Role, ToolResult
from tools.workbench.clock import Clock, as_utc, clock_on

Judgement = Literal["adopted", "rejected", "invalid"]
JUDGEMENTS: tuple[str, ...] = ("adopted", "rejected", "invalid")


class RecommendationView(BaseModel):
    id: str
    kind: str
    source_type: str
    source_id: str
    text: str
    province: str | None
    rep_id: str | None
    created_at: dt.datetime
    judgement: str | None
    reason: str | None
    judged_by: str | None
    judged_at: dt.datetime | None

    @classmethod
    def of(cls, row: Recommendation) -> RecommendationView:
        return cls(
            id=row.id,
            kind=row.kind,
            source_type=row.source_type,
            source_id=row.source_id,
            text=row.text,
            province=row.province,
            rep_id=row.rep_id,
            created_at=as_utc(row.created_at),
            judgement=row.judgement or None,
            reason=row.reason or None,
            judged_by=row.judged_by or None,
            judged_at=as_utc(row.judged_at) if row.judged_at else None,
        )


class RecommendationList(ToolResult):
    items: list[RecommendationView]


class RecommendationService(StoreService):
    def __init__(self, session_factory: SessionFactory, today: dt.date, clock: Clock | None = None) -> None:
        super().__init__(session_factory, today)
        self.now = clock or clock_on(today)

    def record(
        self,
        *,
        kind: str,
        source_type: str,
        source_id: str,
        text: str,
        province: str | None = None,
        rep_id: str | None = None,
    ) -> RecommendationView:
        """Register a suggestion made outside a battle pack (e.g. a next step in chat); idempotent."""
        digest = hashlib.sha256(f"{source_type}|{source_id}|{kind}|{text}".encode()).hexdigest()[:12]
        rec_id = f"REC-{source_type[:8]}-{digest}"
        with transaction(self.session_factory) as session:
            row = session.get(Recommendation, rec_id)
            if row is None:
                row = Recommendation(
                    id=rec_id,
                    kind=kind,
                    source_type=source_type,
                    source_id=source_id,
                    text=text,
                    province=province,
                    rep_id=rep_id,
                    created_at=self.now(),
                )
                session.add(row)
                session.flush()
            return RecommendationView.of(row)

    def judge(
        self,
        rec_id: str,
        judgement: str,
        *,
        reason: str | None = None,
        actor: str,
        principal: Principal | None = None,
    ) -> RecommendationView:
        """Mark a suggestion; "invalid" needs a reason, since the reason is what reviewers learn from."""
        if judgement not in JUDGEMENTS:
            raise ValueError(f"judgement must be one of {JUDGEMENTS}, got {judgement!r}")
        reason = (reason or "").strip() or None
        if judgement == "invalid" and reason is None:
            raise ValueError("marking a suggestion invalid needs a reason")
        with transaction(self.session_factory) as session:
            row = session.get(Recommendation, rec_id)
            if row is None:
                raise NotFoundError("recommendation", rec_id)
            if (
                principal is not None
                and principal.role is Role.REP
                and row.rep_id not in (None, principal.person_id)
            ):
                raise PermissionError("a rep judges only the suggestions made for them")
            if (row.judgement, row.reason) == (judgement, reason):
                return RecommendationView.of(row)  # the same judgement sent twice
            previous = row.judgement or None
            row.judgement, row.reason, row.judged_by, row.judged_at = judgement, reason, actor, self.now()
            audit.append(
                session,
                actor=actor,
                action="recommendation.judge",
                subject_type="recommendation",
                subject_id=rec_id,
                payload={"judgement": judgement, "reason": reason, "previous": previous},
            )
            return RecommendationView.of(row)

    def list(
        self,
        *,
        judgement: str | None = None,
        rep_id: str | None = None,
        source_id: str | None = None,
        limit: int = 200,
    ) -> RecommendationList:
        """Suggestions newest first; judgement "none" lists the ones still waiting for the rep."""
        query = select(Recommendation)
        if judgement == "none":
            query = query.where((Recommendation.judgement.is_(None)) | (Recommendation.judgement == ""))
        elif judgement is not None:
            query = query.where(Recommendation.judgement == judgement)
        if rep_id is not None:
            query = query.where(Recommendation.rep_id == rep_id)
        if source_id is not None:
            query = query.where(Recommendation.source_id == source_id)
        query = query.order_by(Recommendation.created_at.desc(), Recommendation.id).limit(limit)
        with self.session_factory() as session:
            rows = [RecommendationView.of(r) for r in session.execute(query).scalars()]
        return RecommendationList(items=rows, sources=[record("recommendations", r.id) for r in rows])

    def review_queue(self, limit: int = 200) -> RecommendationList:
        """The suggestions reps marked invalid, with their reasons: what to fix in the copilot."""
        return self.list(judgement="invalid", limit=limit)
