"""One router per resource; `api_router` mounts them all (the only list to edit for a new one)."""

from __future__ import annotations

from fastapi import APIRouter

from copilot.api.routes import chat, health, threads

api_router = APIRouter()
for _module in (health, chat, threads):
    api_router.include_router(_module.router)
