"""The subset of OpenAI's Chat Completions wire format the copilot speaks.

Unknown request fields (temperature, tools, ...) are accepted and ignored, as other
OpenAI-compatible servers do, so clients written for OpenAI work unchanged. Responses add two
fields OpenAI clients keep as extras: `thread_id` and `copilot` (agents, tools, sources).
"""

from __future__ import annotations

import re
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool

from tools.common import Source

MODEL_ID = "copilot"


class ContentPart(BaseModel):
    model_config = ConfigDict(extra="allow")
    type: str = Field(description="Only `text` parts are understood.", examples=["text"])
    text: str | None = None


class ChatMessageIn(BaseModel):
    model_config = ConfigDict(extra="allow")
    role: Literal["system", "developer", "user", "assistant", "tool"]
    content: str | list[ContentPart] | None = None
    name: str | None = None


class StreamOptions(BaseModel):
    model_config = ConfigDict(extra="allow")
    include_usage: StrictBool = False


_REQUEST_EXAMPLE: dict[str, Any] = {
    "model": "copilot",
    "messages": [{"role": "user", "content": "杭州仓瑞畅药物涂层球囊还有多少库存？"}],
    "metadata": {"thread_id": "thr_4f1c2b7a9d0e4e55a1c3"},
}


class ChatCompletionRequest(BaseModel):
    model_config = ConfigDict(extra="allow", json_schema_extra={"examples": [_REQUEST_EXAMPLE]})

    model: str = Field(description="Any value is accepted; the copilot answers as `copilot`.")
    messages: list[ChatMessageIn] = Field(
        min_length=1,
        description="The last message must come from the user. With `metadata.thread_id` the server "
        "keeps the conversation, so only the new user message matters; earlier messages are ignored.",
    )
    stream: StrictBool | None = Field(
        default=False, description="Stream OpenAI `chat.completion.chunk` events (SSE)."
    )
    stream_options: StreamOptions | None = None
    user: str | None = Field(default=None, max_length=256, description="End-user id, kept for audit.")
    metadata: dict[str, str] | None = Field(
        default=None,
        description="`thread_id` continues a thread owned by this key. `role`, `person_id` and "
        "`customer_ids` (comma-separated) may only narrow what the key may see.",
    )


class AssistantMessage(BaseModel):
    role: Literal["assistant"] = "assistant"
    content: str
    refusal: str | None = None


class Choice(BaseModel):
    index: int = 0
    message: AssistantMessage
    finish_reason: Literal["stop"] = "stop"
    logprobs: None = None


class Usage(BaseModel):
    """Estimated: CJK characters count one token each, other text about four characters a token."""

    prompt_tokens: int
    completion_tokens: int
    total_tokens: int


class CopilotExtras(BaseModel):
    agents: list[str] = Field(default_factory=list)
    tools: list[str] = Field(default_factory=list)
    sources: list[Source] = Field(default_factory=list)
    artifacts: list[dict[str, Any]] = Field(default_factory=list)
    notices: list[str] = Field(default_factory=list)
    guard: dict[str, Any] = Field(default_factory=dict)


class ChatCompletion(BaseModel):
    id: str = Field(examples=["chatcmpl-8d2f0c5b4a3e4b1f9e6d7c8b"])
    object: Literal["chat.completion"] = "chat.completion"
    created: int
    model: str
    choices: list[Choice]
    usage: Usage
    system_fingerprint: str | None = None
    thread_id: str = Field(description="Send it back as `metadata.thread_id` to continue.")
    copilot: CopilotExtras


class ChunkDelta(BaseModel):
    role: Literal["assistant"] | None = None
    content: str | None = None


class ChunkChoice(BaseModel):
    index: int = 0
    delta: ChunkDelta
    finish_reason: Literal["stop"] | None = None
    logprobs: None = None


class ChatCompletionChunk(BaseModel):
    id: str
    object: Literal["chat.completion.chunk"] = "chat.completion.chunk"
    created: int
    model: str
    choices: list[ChunkChoice]
    usage: Usage | None = None
    thread_id: str
    copilot: CopilotExtras | None = None


class ModelCard(BaseModel):
    id: str = MODEL_ID
    object: Literal["model"] = "model"
    created: int
    owned_by: str = "sales-copilot"


class ModelList(BaseModel):
    object: Literal["list"] = "list"
    data: list[ModelCard]


_CJK = re.compile(r"[\u3000-\u9fff\uf900-\ufaff\uff00-\uffef]")


def estimate_tokens(text: str) -> int:
    """A rough token count (no tokenizer download): good enough for usage reporting."""
    cjk = len(_CJK.findall(text))
    return cjk + (len(text) - cjk + 3) // 4


def message_text(message: ChatMessageIn) -> str:
    """The text of a message; non-text parts are refused by the caller."""
    if message.content is None:
        return ""
    if isinstance(message.content, str):
        return message.content
    return "".join(part.text or "" for part in message.content if part.type == "text")
