"""Types every tool shares: who is asking, where a fact came from, and the result envelope.

Every tool result carries `sources`, so any figure in an answer can be traced to the record or
document chunk it came from.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, Field


class Role(StrEnum):
    REP = "rep"
    MANAGER = "manager"
    MARKETING = "marketing"
    MEDICAL_AFFAIRS = "medical_affairs"
    LEGAL_COMPLIANCE = "legal_compliance"
    ADMIN = "admin"
    INTEGRATION = "integration"


class Workbench(StrEnum):
    SALES = "sales"
    MARKETING = "marketing"
    MEDICAL_AFFAIRS = "medical_affairs"
    LEGAL_COMPLIANCE = "legal_compliance"
    MANAGER = "manager"


# The workbench a role reads; admin and integration read every workbench.
ROLE_WORKBENCH: dict[Role, Workbench] = {
    Role.REP: Workbench.SALES,
    Role.MANAGER: Workbench.MANAGER,
    Role.MARKETING: Workbench.MARKETING,
    Role.MEDICAL_AFFAIRS: Workbench.MEDICAL_AFFAIRS,
    Role.LEGAL_COMPLIANCE: Workbench.LEGAL_COMPLIANCE,
}


class Principal(BaseModel):
    """Who is asking. `customer_ids` None means every customer (a role without a person)."""

    role: Role
    person_id: str | None = None
    customer_ids: list[str] | None = None
    key_id: str | None = None

    def can_see_customer(self, customer_id: str) -> bool:
        return self.customer_ids is None or customer_id in self.customer_ids

    @property
    def actor(self) -> str:
        return self.person_id or self.key_id or self.role.value


class Source(BaseModel):
    """A record or a document chunk a fact was taken from."""

    kind: Literal["record", "chunk"]
    ref: str = Field(description="Table for records (e.g. 'stock'), document id for chunks.")
    id: str = Field(description="Record key or chunk id.")
    title: str = ""
    detail: str = Field(default="", description="Section, page or the fields used.")

    @property
    def key(self) -> str:
        return f"{self.ref}:{self.id}"


class ToolResult(BaseModel):
    """Base of every tool result; `summary` is a one-line bilingual-ready statement of the result."""

    sources: list[Source] = Field(default_factory=list)


class NotFoundError(LookupError):
    """A named entity is unknown; carries the closest matches so the caller can ask back."""

    def __init__(self, kind: str, query: str, suggestions: list[str] | None = None) -> None:
        self.kind = kind
        self.query = query
        self.suggestions = suggestions or []
        hint = f"; closest: {', '.join(self.suggestions)}" if self.suggestions else ""
        super().__init__(f"unknown {kind} {query!r}{hint}")
