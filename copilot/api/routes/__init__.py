"""One router per resource; `ROUTERS` lists them all (the only list to edit for a new one).

The app includes each directly: nesting them under one parent router costs a second round of
route matching on every request."""

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

ROUTERS: list[APIRouter] = [
    _module.router
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
    )
]
