"""One router per resource; `api_router` mounts them all (the only list to edit for a new one)."""

from __future__ import annotations

from fastapi import APIRouter

from copilot.api.routes import (
    battle_packs,
    chat,
    compliance,
    directory,
    health,
    knowledge,
    metrics,
    recommendations,
    threads,
    visits,
    workbench,
)

api_router = APIRouter()
for _module in (
    health,
    knowledge,
    chat,
    threads,
    directory,
    battle_packs,
    compliance,
    visits,
    workbench,
    recommendations,
    metrics,
):
    api_router.include_router(_module.router)
