"""Contract input validation that reports every problem at once, before anything is evaluated.

A rep fixing a contract wants the whole list, not one error per attempt; the CLI prints it and exits
non-zero, the API answers 422 with it, and nothing is stored.
"""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from tools.compliance.facts import ReferenceData
from tools.compliance.models import ContractIn, Problem

SUPPORTED_CURRENCIES = ("CNY",)  # gift values are CNY, so the 3% test needs a CNY total


class ContractValidationError(ValueError):
    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        listing = "; ".join(f"{p.field}: {p.message}" for p in problems)
        super().__init__(f"invalid contract ({len(problems)} problem(s)): {listing}")


def _loc(loc: tuple[int | str, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "contract"


def _reference_problems(raw: dict[str, Any], ref: ReferenceData | None) -> list[Problem]:
    problems: list[Problem] = []
    currency = raw.get("currency", "CNY")
    if isinstance(currency, str) and currency.upper() not in SUPPORTED_CURRENCIES:
        problems.append(
            Problem(field="currency", message=f"must be CNY (gift values are CNY), got {currency!r}")
        )
    if ref is None:
        return problems
    customer = raw.get("customer_id")
    if isinstance(customer, str) and customer and customer not in ref.customers:
        problems.append(Problem(field="customer_id", message=f"unknown customer {customer!r}"))
    lines = raw.get("lines")
    if ref.products and isinstance(lines, list):
        for i, line in enumerate(lines):
            product = line.get("product_id") if isinstance(line, dict) else None
            if isinstance(product, str) and product and product not in ref.products:
                problems.append(
                    Problem(field=f"lines[{i}].product_id", message=f"unknown product {product!r}")
                )
    return problems


def validate_contract(payload: Any, ref: ReferenceData | None = None) -> ContractIn:
    """The typed contract, or ContractValidationError listing every problem found."""
    if not isinstance(payload, dict):
        raise ContractValidationError([Problem(field="contract", message="must be a JSON object")])
    problems: list[Problem] = []
    contract: ContractIn | None = None
    try:
        contract = ContractIn.model_validate(payload)
    except ValidationError as exc:
        problems.extend(Problem(field=_loc(err["loc"]), message=err["msg"]) for err in exc.errors())
    problems.extend(_reference_problems(payload, ref))
    if problems or contract is None:
        raise ContractValidationError(problems)
    if contract.currency != contract.currency.upper():
        contract = contract.model_copy(update={"currency": contract.currency.upper()})
    return contract
