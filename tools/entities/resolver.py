"""Entity resolver over the store: customers, products, competitors, warehouses, regions, people.

The offline model fills tool arguments with it, and the graph uses it to check which customers a
request touches. It reads the store once through the session factory it is given (the entity
tables are small) and keeps the alias index in memory; `refresh()` rebuilds it after an import.
"""

from __future__ import annotations

import logging
import re
import threading
import time
from typing import Any

from sqlalchemy import select

from knowledge.store.db import SessionFactory
from knowledge.store.models import (
    Competitor,
    CompetitorProduct,
    Customer,
    Person,
    Product,
    Province,
    Warehouse,
)
from tools.entities.aliases import is_cjk, name_aliases, norm
from tools.entities.index import Entity, EntityIndex, Mention

log = logging.getLogger(__name__)

# Nicknames reps use for a product category, keyed by the code segment of our product ids.
_CODE_NICKNAMES: dict[str, tuple[str, ...]] = {
    "DES": ("DES", "药物洗脱支架", "洗脱支架", "drug-eluting stent", "支架", "stent"),
    "DCB": (
        "DCB",
        "药物涂层球囊",
        "药球",
        "药物球囊",
        "涂层球囊",
        "drug-coated balloon",
        "drug coated balloon",
    ),
    "BC": (
        "PTCA",
        "PTCA球囊",
        "预扩球囊",
        "球囊扩张导管",
        "扩张球囊",
        "球囊导管",
        "普通球囊",
        "dilatation balloon",
        "PTCA balloon",
        "balloon catheter",
    ),
    "GW": ("导丝", "guidewire", "guide wire", "普通导丝"),
    "IVUS": ("IVUS", "血管内超声", "intravascular ultrasound"),
    "FFR": ("FFR", "压力导丝", "pressure wire", "FFR导丝"),
}
_NICK_WEIGHT = 0.6
# Category words that, after a competitor's name, point to its product against ours ("康维球囊").
_CATEGORY_WORDS: dict[str, tuple[str, ...]] = {
    "DES": ("支架", "stent"),
    "DCB": ("球囊", "药球", "balloon", "DCB"),
    "BC": ("球囊", "balloon", "PTCA"),
    "GW": ("导丝", "guidewire"),
    "IVUS": ("IVUS", "超声", "血管内超声"),
    "FFR": ("压力导丝", "FFR", "pressure wire"),
}


def _attrs(**kwargs: str | None) -> tuple[tuple[str, str], ...]:
    return tuple((k, v) for k, v in kwargs.items() if v)


def _add_names(index: EntityIndex, ent: Entity, names: list[str], places: tuple[str, ...]) -> None:
    for name in names:
        for alias, weight in name_aliases(name, places).items():
            index.add(ent, alias, weight)


def build_index(session_factory: SessionFactory) -> EntityIndex:
    """Read the entity tables and build the alias index (a few hundred aliases)."""
    with session_factory() as s:
        provinces = list(s.execute(select(Province)).scalars())
        warehouses = list(s.execute(select(Warehouse)).scalars())
        products = list(s.execute(select(Product)).scalars())
        customers = list(s.execute(select(Customer)).scalars())
        competitors = list(s.execute(select(Competitor)).scalars())
        comp_products = list(s.execute(select(CompetitorProduct)).scalars())
        people = list(s.execute(select(Person)).scalars())
    index = EntityIndex(entities=[])
    city_province: dict[str, str] = {}
    for c in customers:
        for part in c.city.split():
            city_province.setdefault(part, c.province)
    served: dict[str, list[str]] = {}
    for p in provinces:
        served.setdefault(p.warehouse_id, []).append(p.code)

    for p in provinces:
        ent = Entity("province", p.code, p.name_zh, p.name_en, _attrs(warehouse_id=p.warehouse_id))
        index.entities.append(ent)
        for alias in (p.name_zh, p.name_en, f"{p.name_zh}省", f"{p.name_zh}市", f"{p.name_zh}区域"):
            index.add(ent, alias, 1.0)
        index.add(ent, p.code, 1.0, case_sensitive=True)
    by_code = {e.id: e for e in index.entities}
    for city, code in city_province.items():
        if code in by_code:
            index.add(by_code[code], city, 0.5)

    for w in warehouses:
        ent = Entity(
            "warehouse", w.id, w.name_zh, w.name_en, _attrs(provinces=",".join(served.get(w.id, [])))
        )
        index.entities.append(ent)
        for alias in (w.id, w.name_zh, w.name_en):
            index.add(ent, alias, 1.0)
        for part in {*w.city.split(), w.name_en.split()[0] if w.name_en else ""} - {""}:
            index.add(ent, part, 0.6)
            if is_cjk(part):
                index.add(ent, f"{part}仓库", 1.0)

    own_aliases: set[str] = set()
    for prod in products:
        ent = Entity("product", prod.id, prod.name_zh, prod.name_en, _attrs(category=prod.category))
        index.entities.append(ent)
        _add_names(index, ent, [prod.name_zh, prod.name_en], ())
        for alias in [prod.id, *(prod.aliases or [])]:
            index.add(ent, alias, 1.0)
        code = prod.id.split("-")[1] if prod.id.count("-") >= 2 else ""
        for nick in _CODE_NICKNAMES.get(code, ()):
            index.add(ent, nick, _NICK_WEIGHT)
        index.add(ent, prod.category, _NICK_WEIGHT)
        own_aliases |= {norm(a) for a in name_aliases(prod.name_en) | name_aliases(prod.name_zh)}
        own_aliases |= {norm(n) for n in _CODE_NICKNAMES.get(code, ())}

    brands: dict[str, set[str]] = {}
    for comp in competitors:
        ent = Entity("competitor", comp.id, comp.name_zh, comp.name_en, _attrs(origin=comp.origin))
        index.entities.append(ent)
        names = [comp.name_zh, comp.name_en, *(comp.aliases or [])]
        _add_names(index, ent, [comp.name_zh, comp.name_en], ())
        for alias in [comp.id, *(comp.aliases or [])]:
            index.add(ent, alias, 1.0, case_sensitive=True)
        brands[comp.id] = {norm(re.split(r"[\s(（]", n)[0]) for n in names if n} | {
            norm(a) for n in names for a, w in name_aliases(n).items() if w < 1.0
        }
    for cp in comp_products:
        ent = Entity(
            "competitor_product",
            cp.id,
            cp.name_zh,
            cp.name_en,
            _attrs(competitor_id=cp.competitor_id, against_product_id=cp.against_product_id),
        )
        index.entities.append(ent)
        index.add(ent, cp.id, 1.0)
        for alias in cp.aliases or []:
            index.add(ent, alias, 1.0)
        for name in (cp.name_zh, cp.name_en):
            for alias, weight in name_aliases(name).items():
                key = norm(alias)
                if weight < 1.0 and (key in own_aliases or key in brands.get(cp.competitor_id, set())):
                    continue  # "DCB" alone is our product; "博越" alone is the company
                index.add(ent, alias, weight)

    _company_category_aliases(index, competitors, comp_products)

    for person in people:
        ent = Entity("person", person.id, person.name_zh, person.name_en, _attrs(role=person.role))
        index.entities.append(ent)
        for alias in (person.id, person.name_zh, person.name_en):
            index.add(ent, alias, 1.0)
        parts = person.name_en.split()
        if len(parts) == 2:
            index.add(ent, f"{parts[1]} {parts[0]}", 1.0)

    for cust in customers:
        places = tuple(p for part in cust.city.split() for p in (part, f"{part}市"))
        ent = Entity(
            "customer",
            cust.id,
            cust.name_zh,
            cust.name_en,
            _attrs(province=cust.province, rep_id=cust.rep_id, group=cust.medical_group_id),
        )
        index.entities.append(ent)
        index.add(ent, cust.id, 1.0)
        _add_names(index, ent, [cust.name_zh, cust.name_en], places)
        for alias in cust.aliases or []:
            index.add(ent, alias, 1.0)
    index.finish()
    log.info("entity index built", extra={"entities": len(index.entities), "aliases": len(index.aliases)})
    return index


def _company_category_aliases(index: EntityIndex, competitors: list[Any], comp_products: list[Any]) -> None:
    """ "Kangwei balloon" / 康维球囊: a company name plus the category of one of its products."""
    by_company: dict[str, list[Any]] = {}
    for cp in comp_products:
        by_company.setdefault(cp.competitor_id, []).append(cp)
    for comp in competitors:
        names = {re.split(r"[\s(（]", n)[0] for n in (comp.name_zh, comp.name_en, *(comp.aliases or [])) if n}
        names |= {a for n in (comp.name_zh, comp.name_en) for a, w in name_aliases(n).items() if w < 1.0}
        words: dict[str, list[Any]] = {}
        for cp in by_company.get(comp.id, []):
            code = cp.against_product_id.split("-")[1] if cp.against_product_id.count("-") >= 2 else ""
            for word in _CATEGORY_WORDS.get(code, ()):
                words.setdefault(word, []).append(cp)
        for word, owners in words.items():
            if len(owners) != 1:
                continue  # the word fits two of the company's products: leave it ambiguous
            ent = index.by_id("competitor_product", owners[0].id)
            if ent is None:
                continue
            for name in names:
                joiner = "" if is_cjk(name) or is_cjk(word) else " "
                index.add(ent, f"{name}{joiner}{word}", 0.9)


class EntityResolver:
    """Lazily built, thread-safe view of the store's entities for matching free text.

    The index is rebuilt when older than `max_age_s`, so customers imported by another process
    become resolvable in a long-running API without a restart.
    """

    def __init__(self, session_factory: SessionFactory, max_age_s: float = 300.0) -> None:
        self._factory = session_factory
        self._index: EntityIndex | None = None
        self._built = 0.0
        self._max_age = max_age_s
        self._lock = threading.Lock()

    @property
    def index(self) -> EntityIndex:
        index = self._index
        if index is None or time.monotonic() - self._built > self._max_age:
            with self._lock:
                if self._index is None or time.monotonic() - self._built > self._max_age:
                    self._index = build_index(self._factory)
                    self._built = time.monotonic()
                index = self._index
        return index

    def refresh(self) -> None:
        with self._lock:
            self._index = None

    def find(self, text: str) -> list[Mention]:
        return self.index.find(text)

    def mask(self, text: str) -> str:
        return self.index.mask(text)

    def entity(self, kind: str, ident: str) -> Entity | None:
        return self.index.by_id(kind, ident)

    def entities(self, kind: str) -> list[Entity]:
        return self.index.of_kind(kind)

    def suggest(self, kind: str, query: str, n: int = 3) -> list[Entity]:
        return self.index.suggest(kind, query, n)
