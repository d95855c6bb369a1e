"""Native threads and runs: a thread per conversation, a run per user turn."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool

from copilot.api.schemas.types import UtcDateTime

NARROWING_KEYS = ("role", "person_id", "customer_ids")


class ThreadCreate(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"title": "滨江中心医院 DCB 准备", "metadata": {}}]}
    )

    title: str = Field(default="", max_length=256)
    metadata: dict[str, str] | None = Field(
        default=None,
        description="Kept with the thread. `role`, `person_id`, `customer_ids` narrow every run of it.",
    )


class ThreadOut(BaseModel):
    id: str = Field(examples=["thr_4f1c2b7a9d0e4e55a1c3"])
    object: Literal["thread"] = "thread"
    title: str
    role: str
    created_at: UtcDateTime
    updated_at: UtcDateTime
    metadata: dict[str, Any] = Field(default_factory=dict)


class ThreadList(BaseModel):
    object: Literal["list"] = "list"
    data: list[ThreadOut]


class MessageOut(BaseModel):
    model_config = ConfigDict(extra="allow")
    role: str = Field(examples=["user"])
    content: str = Field(examples=["杭州仓瑞畅还有多少库存？"])


class MessageList(BaseModel):
    object: Literal["list"] = "list"
    thread_id: str
    data: list[MessageOut]


class ThreadDetail(ThreadOut):
    messages: list[MessageOut] = Field(default_factory=list, description="The history, oldest first.")


class RunCreate(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{"input": "给杭州滨江中心医院做一份瑞畅药物涂层球囊的作战包", "stream": True}]
        }
    )

    input: str = Field(min_length=1, description="The user's message for this turn.")
    stream: StrictBool = Field(default=True, description="SSE events (default) or one JSON result.")
    metadata: dict[str, str] | None = Field(
        default=None, description="May narrow the principal for this run."
    )
