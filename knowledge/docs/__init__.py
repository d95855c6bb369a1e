"""Knowledge base: Chroma collection + offline embedders + hybrid retrieval + ingestion.

Import the pieces from their modules (`knowledge.docs.kb`, `.models`, `.embedders`); this package
file stays empty of heavy imports so importing `knowledge` never loads Chroma or a model.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from knowledge.docs.kb import KnowledgeBase
    from knowledge.docs.models import DocumentInfo, Hit, IngestReport

__all__ = ["DocumentInfo", "Hit", "IngestReport", "KnowledgeBase"]


def __getattr__(name: str) -> Any:
    if name == "KnowledgeBase":
        from knowledge.docs.kb import KnowledgeBase

        return KnowledgeBase
    if name in ("Hit", "IngestReport", "DocumentInfo"):
        from knowledge.docs import models

        return getattr(models, name)
    raise AttributeError(name)
