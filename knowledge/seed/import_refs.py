"""Resolving the references in an imported row (ids, names or aliases) against the store, cached."""

from __future__ import annotations

from functools import cached_property

from sqlalchemy import select
from sqlalchemy.orm import Session

from knowledge.store.models import Contract, Customer, MedicalGroup, Person, Product, Province, Warehouse
from knowledge.store.repositories._match import norm


class Refs:
    """Lookups by normalised id / name / alias; built once per import (a handful of small tables)."""

    def __init__(self, session: Session) -> None:
        self.session = session

    @staticmethod
    def _index(pairs: list[tuple[str, list[str | None]]]) -> dict[str, str]:
        out: dict[str, str] = {}
        for key, names in pairs:
            for name in names:
                if name:
                    out.setdefault(norm(name), key)
        return out

    @cached_property
    def _products(self) -> dict[str, str]:
        rows = self.session.scalars(select(Product)).all()
        return self._index([(p.id, [p.id, p.name_zh, p.name_en, *p.aliases]) for p in rows])

    @cached_property
    def _warehouses(self) -> dict[str, str]:
        rows = self.session.scalars(select(Warehouse)).all()
        return self._index([(w.id, [w.id, w.name_zh, w.name_en]) for w in rows])

    @cached_property
    def _provinces(self) -> dict[str, str]:
        rows = self.session.scalars(select(Province)).all()
        return self._index([(p.code, [p.code, p.name_zh, p.name_zh + "省", p.name_en]) for p in rows])

    @cached_property
    def _people(self) -> dict[str, str]:
        rows = self.session.scalars(select(Person)).all()
        return self._index([(p.id, [p.id, p.name_zh, p.name_en, p.email]) for p in rows])

    @cached_property
    def _customers(self) -> dict[str, Customer]:
        rows = self.session.scalars(select(Customer)).all()
        index = self._index([(c.id, [c.id, c.name_zh, c.name_en]) for c in rows])
        by_id = {c.id: c for c in rows}
        return {k: by_id[v] for k, v in index.items()}

    def product(self, text: str) -> str | None:
        return self._products.get(norm(text))

    def warehouse(self, text: str) -> str | None:
        return self._warehouses.get(norm(text))

    def province(self, text: str) -> str | None:
        return self._provinces.get(norm(text))

    def person(self, text: str) -> str | None:
        return self._people.get(norm(text))

    def customer(self, text: str) -> Customer | None:
        return self._customers.get(norm(text))

    def medical_group(self, group_id: str) -> bool:
        return self.session.get(MedicalGroup, group_id) is not None

    def contract_exists(self, contract_id: str) -> bool:
        return self.session.get(Contract, contract_id) is not None
