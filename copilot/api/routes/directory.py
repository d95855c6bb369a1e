"""Who am I, and the customers and products I may pick from (what forms and pickers need)."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Query
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool

from copilot.api.deps import AnyRole, RuntimeDep, SessionFactoryDep
from copilot.api.errors import AUTH_ERRORS
from knowledge.store.db import SessionFactory
from knowledge.store.models import Person
from knowledge.store.repositories.catalog import list_products
from knowledge.store.repositories.parties import list_customers
from tools.common import Principal
from tools.inventory import StockResult

router = APIRouter(prefix="/v1", tags=["directory"], responses=AUTH_ERRORS)


class Me(BaseModel):
    role: str
    key_id: str | None
    person_id: str | None
    person_name: str | None
    person_name_en: str | None
    customer_ids: list[str] | None


class CustomerOut(BaseModel):
    id: str
    name_zh: str
    name_en: str
    province: str
    city: str
    tier: str
    medical_group_id: str | None
    rep_id: str | None


class CustomerList(BaseModel):
    object: Literal["list"] = "list"
    data: list[CustomerOut]


class ProductOut(BaseModel):
    id: str
    name_zh: str
    name_en: str
    category: str
    list_price: float
    nrdl_category: str


class ProductList(BaseModel):
    object: Literal["list"] = "list"
    data: list[ProductOut]


def _me(factory: SessionFactory, principal: Principal) -> Me:
    person = None
    if principal.person_id:
        with factory() as session:
            person = session.get(Person, principal.person_id)
    return Me(
        role=principal.role.value,
        key_id=principal.key_id,
        person_id=principal.person_id,
        person_name=person.name_zh if person else None,
        person_name_en=person.name_en if person else None,
        customer_ids=principal.customer_ids,
    )


@router.get("/me", response_model=Me, summary="The key's principal")
async def me(principal: AnyRole, factory: SessionFactoryDep) -> Me:
    """The role, person and customers this key acts for (all derived from the key)."""
    return await run_in_threadpool(_me, factory, principal)


def _customers(factory: SessionFactory, principal: Principal) -> CustomerList:
    with factory() as session:
        rows = [c for c in list_customers(session) if principal.can_see_customer(c.id)]
        return CustomerList(data=[CustomerOut.model_validate(c, from_attributes=True) for c in rows])


@router.get("/customers", response_model=CustomerList, summary="Customers visible to this key")
async def customers(principal: AnyRole, factory: SessionFactoryDep) -> CustomerList:
    """A rep sees the hospitals they own; other roles see every customer."""
    return await run_in_threadpool(_customers, factory, principal)


def _products(factory: SessionFactory) -> ProductList:
    with factory() as session:
        return ProductList(
            data=[ProductOut.model_validate(p, from_attributes=True) for p in list_products(session)]
        )


@router.get("/products", response_model=ProductList, summary="Our products")
async def products(_principal: AnyRole, factory: SessionFactoryDep) -> ProductList:
    return await run_in_threadpool(_products, factory)


@router.get("/stock", response_model=StockResult, summary="Stock by warehouse")
async def stock(
    _principal: AnyRole,
    runtime: RuntimeDep,
    product_id: str | None = Query(default=None, min_length=1, max_length=64, examples=["HMT-DCB-02"]),
    warehouse_id: str | None = Query(default=None, min_length=1, max_length=32, examples=["WH-HZ"]),
    province: str | None = Query(
        default=None, min_length=1, max_length=16, description="Its serving warehouse only."
    ),
) -> StockResult:
    """On hand, on order and safety stock per warehouse (the ERP snapshot), each row cited; a row
    below safety stock is reserved and cannot be offered where that warehouse serves."""
    inventory = runtime.services.inventory
    return await run_in_threadpool(lambda: inventory.stock(product_id, warehouse_id, province))
