"""Request metadata may narrow a key's principal, never widen it.

The role comes from the key. An admin or integration key (which sees everything) may act as a
narrower role or person, e.g. a CRM acting for one rep; any key may restrict itself to a subset
of the customers it can already see. Anything else is a 403: a request cannot talk its way into
more than its key grants.
"""

from __future__ import annotations

from collections.abc import Mapping

from copilot.api.errors import ApiError
from copilot.api.security import customers_of
from knowledge.store.db import SessionFactory
from knowledge.store.models import Person
from tools.common import Principal, Role

BROAD_ROLES = frozenset({Role.ADMIN, Role.INTEGRATION})


def _forbidden(field: str, why: str) -> ApiError:
    return ApiError(403, f"metadata.{field} {why}", code="forbidden", param=f"metadata.{field}")


def narrow(factory: SessionFactory, principal: Principal, metadata: Mapping[str, str] | None) -> Principal:
    if not metadata:
        return principal
    out = principal
    broad = principal.role in BROAD_ROLES
    role_name = (metadata.get("role") or "").strip()
    if role_name and role_name != principal.role.value:
        try:
            role = Role(role_name)
        except ValueError as exc:
            raise ApiError(
                400, f"unknown role {role_name!r}", code="invalid_role", param="metadata.role"
            ) from exc
        if not broad:
            raise _forbidden("role", f"cannot change a {principal.role.value} key's role")
        out = out.model_copy(update={"role": role, "customer_ids": [] if role is Role.REP else None})
    person_id = (metadata.get("person_id") or "").strip()
    if person_id and person_id != principal.person_id:
        if not broad:
            raise _forbidden("person_id", "cannot change the person a key acts for")
        with factory() as session:
            if session.get(Person, person_id) is None:
                raise ApiError(
                    400, f"unknown person {person_id!r}", code="invalid_person", param="metadata.person_id"
                )
            customers = customers_of(session, person_id) if out.role is Role.REP else None
        out = out.model_copy(update={"person_id": person_id, "customer_ids": customers})
    raw = metadata.get("customer_ids")
    if raw is not None and raw.strip():
        wanted = sorted({c.strip() for c in raw.split(",") if c.strip()})
        if out.customer_ids is not None and not set(wanted) <= set(out.customer_ids):
            raise _forbidden("customer_ids", "may only narrow the customers this key can see")
        out = out.model_copy(update={"customer_ids": wanted})
    return out
