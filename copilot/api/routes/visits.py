"""Visits and their 3-question feedback: record a visit, get its questions, answer them."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter
from fastapi import Path as PathParam
from pydantic import BaseModel, ConfigDict, Field, model_validator
from starlette.concurrency import run_in_threadpool

from copilot.api.deps import FeedbackDep, VisitReader, VisitWriter
from copilot.api.errors import AUTH_ERRORS, BAD_REQUEST, CONFLICT, NOT_FOUND, not_found
from copilot.api.schemas.types import IsoDate
from tools.common import Principal, Role
from tools.feedback.models import AnswerReceipt, VisitRecord
from tools.feedback.service import FeedbackService

VisitId = Annotated[
    str, PathParam(max_length=64, openapi_examples={"demo": {"value": "V-20251202-6751de16ea"}})
]
router = APIRouter(
    prefix="/v1/visits", tags=["visits"], responses={**AUTH_ERRORS, **NOT_FOUND, **BAD_REQUEST}
)


class VisitCreate(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "customer_id": "H-ZJ-001",
                    "product_id": "HMT-DCB-02",
                    "visit_date": "2026-11-30",
                    "people_met": ["心内科 王主任"],
                    "note": "主任关心瑞畅的供货和集采执行时间",
                }
            ]
        }
    )

    customer_id: str = Field(min_length=1, max_length=64, description="Customer id or name.")
    product_id: str | None = Field(default=None, max_length=64)
    visit_date: IsoDate | None = Field(default=None, description="Defaults to today.")
    people_met: list[str] = Field(default_factory=list, max_length=20)
    note: str = Field(default="", max_length=4000, description="Screened for personal data before storage.")
    rep_id: str | None = Field(default=None, max_length=32, description="Who visited (not for rep keys).")


class VisitOut(VisitRecord):
    id: str = Field(description="Same as visit_id.")


class AnswerIn(BaseModel):
    question_id: str = Field(min_length=1, max_length=64)
    option_id: str = Field(min_length=1, max_length=64)


class FeedbackIn(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{"answers": [{"question_id": "Q-SUBSTITUTE", "option_id": "Q-SUBSTITUTE-A"}]}]
        }
    )

    answers: list[AnswerIn] = Field(min_length=1, max_length=3, description="One tap per question.")

    @model_validator(mode="after")
    def _distinct(self) -> FeedbackIn:
        ids = [a.question_id for a in self.answers]
        if len(set(ids)) != len(ids):
            raise ValueError("each question may be answered once")
        return self


def _out(rec: VisitRecord) -> VisitOut:
    return VisitOut(id=rec.visit_id, **rec.model_dump())


def _visible(service: FeedbackService, visit_id: str, principal: Principal) -> VisitRecord:
    """The visit, or 404 when this key may not see it (a rep sees only their own visits)."""
    rec = service.get_visit(visit_id)
    if principal.role is Role.REP and rec.rep_id != principal.person_id:
        raise not_found("visit", visit_id)
    if not principal.can_see_customer(rec.customer_id):
        raise not_found("visit", visit_id)
    return rec


@router.post("", response_model=VisitOut, status_code=201, summary="Record a visit")
async def record_visit(body: VisitCreate, principal: VisitWriter, service: FeedbackDep) -> VisitOut:
    """Store the visit and pick the 3 questions to ask about it (same visit twice = same id)."""
    rec = await run_in_threadpool(
        lambda: service.record_visit(
            customer=body.customer_id,
            rep=body.rep_id,
            visit_date=body.visit_date,
            people_met=body.people_met,
            note=body.note,
            product=body.product_id,
            principal=principal,
        )
    )
    return _out(rec)


@router.get("/{visit_id}", response_model=VisitOut, summary="Get a visit and its questions")
async def get_visit(visit_id: VisitId, principal: VisitReader, service: FeedbackDep) -> VisitOut:
    return _out(await run_in_threadpool(_visible, service, visit_id, principal))


@router.post(
    "/{visit_id}/feedback",
    response_model=AnswerReceipt,
    summary="Answer the visit's questions",
    responses=CONFLICT,
)
async def answer_visit(
    visit_id: VisitId, body: FeedbackIn, principal: VisitWriter, service: FeedbackDep
) -> AnswerReceipt:
    """Route each answer to the team that must act; sending the same answers again is harmless."""
    await run_in_threadpool(_visible, service, visit_id, principal)
    answers = {a.question_id: a.option_id for a in body.answers}
    return await run_in_threadpool(lambda: service.answer(visit_id, answers, principal=principal))
