"""Helpers the catalog modules share: typed call binding and the customer-visibility gate."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from pydantic import BaseModel

from tools.base import get_product
from tools.common import ToolResult
from tools.registry import ToolContext

A = TypeVar("A", bound=BaseModel)


def bind(
    model: type[A], fn: Callable[[ToolContext, A], ToolResult]
) -> Callable[[ToolContext, BaseModel], ToolResult]:
    """Adapt a call typed on its own args model to the registry's `(ctx, BaseModel)` signature."""

    def call(ctx: ToolContext, args: BaseModel) -> ToolResult:
        typed = args if isinstance(args, model) else model.model_validate(args.model_dump())
        return fn(ctx, typed)

    call.__name__ = fn.__name__
    call.__doc__ = fn.__doc__
    return call


def visible(ctx: ToolContext, customer_id: str | None) -> str | None:
    """The canonical customer id after checking the caller may see it (raises AccessDeniedError)."""
    if customer_id is None:
        return None
    return str(ctx.services.customer.check_visible(customer_id, ctx.principal))


def product_key(ctx: ToolContext, product: str | None) -> str | None:
    """Resolve a product name or alias to its id (document filters need the canonical id)."""
    if product is None:
        return None
    with ctx.services.inventory.session_factory() as session:
        return get_product(session, product).id
