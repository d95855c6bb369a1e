"""One router per resource; `api_router` mounts them all (the only list to edit for a new one)."""

from __future__ import annotations

from fastapi import APIRouter

from copilot.api.routes import chat, directory, health, recommendations, threads, visits, workbench

api_router = APIRouter()
for _module in (health, chat, threads, directory, visits, workbench, recommendations):
    api_router.include_router(_module.router)
