"""Reps' judgements of the copilot's suggestions: adopted, rejected, or invalid with a reason."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Query
from pydantic import BaseModel, ConfigDict, Field, model_validator
from starlette.concurrency import run_in_threadpool

from copilot.api.deps import AnyRole, Judge, RecommendationsDep
from copilot.api.errors import AUTH_ERRORS, BAD_REQUEST, NOT_FOUND
from tools.common import Principal, Role
from tools.feedback.recommendations import RecommendationService, RecommendationView

router = APIRouter(prefix="/v1/recommendations", tags=["recommendations"], responses=AUTH_ERRORS)


class JudgementIn(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {"recommendation_id": "REC-battle_p-1a2b3c4d5e6f", "judgement": "adopted"},
                {
                    "kind": "next_step",
                    "source_type": "chat",
                    "source_id": "thr_4f1c2b7a9d0e4e55a1c3:3",
                    "text": "下周约王主任演示瑞畅的 12 个月晚期管腔丢失数据",
                    "judgement": "invalid",
                    "reason": "王主任已退休",
                },
            ]
        }
    )

    recommendation_id: str | None = Field(default=None, max_length=64)
    kind: Literal["strategy", "substitute", "next_step"] | None = None
    source_type: Literal["battle_pack", "chat"] | None = None
    source_id: str | None = Field(default=None, max_length=64)
    text: str | None = Field(default=None, max_length=2000)
    judgement: Literal["adopted", "rejected", "invalid"]
    reason: str | None = Field(default=None, max_length=2000, description="Required for `invalid`.")

    @model_validator(mode="after")
    def _target(self) -> JudgementIn:
        if self.recommendation_id is None and not (
            self.kind and self.source_type and self.source_id and self.text
        ):
            raise ValueError("give recommendation_id, or kind, source_type, source_id and text")
        return self


class RecommendationList(BaseModel):
    object: Literal["list"] = "list"
    data: list[RecommendationView]


def _judge(service: RecommendationService, body: JudgementIn, principal: Principal) -> RecommendationView:
    rec_id = body.recommendation_id
    if rec_id is None:  # a suggestion made outside a battle pack: register it first
        assert body.kind and body.source_type and body.source_id and body.text
        rep = principal.person_id if principal.role is Role.REP else None
        rec_id = service.record(
            kind=body.kind, source_type=body.source_type, source_id=body.source_id, text=body.text, rep_id=rep
        ).id
    return service.judge(
        rec_id, body.judgement, reason=body.reason, actor=principal.actor, principal=principal
    )


@router.post(
    "/judgements",
    response_model=RecommendationView,
    summary="Judge a suggestion",
    responses={**BAD_REQUEST, **NOT_FOUND},
)
async def judge(body: JudgementIn, principal: Judge, service: RecommendationsDep) -> RecommendationView:
    """Adopted / rejected / invalid; an invalid one joins the review queue with its reason."""
    return await run_in_threadpool(_judge, service, body, principal)


@router.get("", response_model=RecommendationList, summary="List suggestions")
async def list_recommendations(
    principal: AnyRole,
    service: RecommendationsDep,
    judgement: Literal["adopted", "rejected", "invalid", "none"] | None = Query(
        default=None, description="`none` = not judged yet; `invalid` = the review queue."
    ),
    source_id: str | None = Query(default=None, min_length=1, max_length=64),
    limit: int = Query(default=100, ge=1, le=500),
) -> RecommendationList:
    """Newest first; a rep sees the suggestions made for them."""
    rep = (principal.person_id or "") if principal.role is Role.REP else None
    result = await run_in_threadpool(
        lambda: service.list(judgement=judgement, rep_id=rep, source_id=source_id, limit=limit)
    )
    return RecommendationList(data=result.items)
