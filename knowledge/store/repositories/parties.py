"""Customers (hospitals), medical groups and people."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from knowledge.store.models import Customer, MedicalGroup, Person
from knowledge.store.repositories._match import matches


def get_customer(session: Session, customer_id: str) -> Customer | None:
    return session.get(Customer, customer_id)


def list_customers(
    session: Session,
    *,
    province: str | None = None,
    rep_id: str | None = None,
    medical_group_id: str | None = None,
) -> list[Customer]:
    stmt = select(Customer).order_by(Customer.id)
    if province is not None:
        stmt = stmt.where(Customer.province == province)
    if rep_id is not None:
        stmt = stmt.where(Customer.rep_id == rep_id)
    if medical_group_id is not None:
        stmt = stmt.where(Customer.medical_group_id == medical_group_id)
    return list(session.scalars(stmt))


def find_customer(session: Session, text: str) -> Customer | None:
    """A customer by id, Chinese or English name or alias."""
    for c in list_customers(session):
        if matches(text, [c.id, c.name_zh, c.name_en, *c.aliases]):
            return c
    return None


def related_customers(session: Session, customer_id: str) -> list[Customer]:
    """Other members of the customer's medical group (related parties for rebates)."""
    cust = session.get(Customer, customer_id)
    if cust is None or cust.medical_group_id is None:
        return []
    return [c for c in list_customers(session, medical_group_id=cust.medical_group_id) if c.id != customer_id]


def get_medical_group(session: Session, group_id: str) -> MedicalGroup | None:
    return session.get(MedicalGroup, group_id)


def get_person(session: Session, person_id: str) -> Person | None:
    return session.get(Person, person_id)


def list_people(session: Session, *, role: str | None = None, team: str | None = None) -> list[Person]:
    stmt = select(Person).order_by(Person.id)
    if role is not None:
        stmt = stmt.where(Person.role == role)
    if team is not None:
        stmt = stmt.where(Person.team == team)
    return list(session.scalars(stmt))


def find_person(session: Session, text: str) -> Person | None:
    """A person by id (P-SL), Chinese (孙磊) or English (Sun Lei) name."""
    for p in list_people(session):
        if matches(text, [p.id, p.name_zh, p.name_en, p.email]):
            return p
    return None
