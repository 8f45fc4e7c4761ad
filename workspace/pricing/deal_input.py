"""What the quote engine prices: the commercial part of a deal room as plain values, and the checks of
those values that do not need the price book."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from workspace.pricing.limits import DISCOUNT_PLACES, MAX_QTY, MAX_TERM_MONTHS, QTY_PLACES
from workspace.pricing.money import format_quantity
from workspace.pricing.violations import Rule, Violation

_HUNDRED = Decimal(100)
_ZERO = Decimal(0)
_QTY_STEP = Decimal(1).scaleb(-QTY_PLACES)
_DISCOUNT_STEP = Decimal(1).scaleb(-DISCOUNT_PLACES)


class Billing(StrEnum):
    """How often the customer is invoiced."""

    MONTHLY = "monthly"
    QUARTERLY = "quarterly"
    ANNUAL = "annual"
    UPFRONT = "upfront"


@dataclass(frozen=True, slots=True)
class DealLine:
    """A line of the `lines` array. `ramp`, when given, is the quantity of each contract year and takes the
    place of `qty` (a 3-year ramp 100 → 150 → 200 seats)."""

    id: str
    sku: str
    qty: Decimal
    discount_pct: Decimal = Decimal(0)
    ramp: tuple[Decimal, ...] = ()


@dataclass(frozen=True, slots=True)
class DealInput:
    """The `deal` map's pricing fields and its lines."""

    currency: str
    term_months: int
    lines: tuple[DealLine, ...]
    billing: str = Billing.ANNUAL


def contract_years(term_months: int) -> tuple[int, ...]:
    """The months in each contract year: 30 months are (12, 12, 6)."""
    full, rest = divmod(term_months, 12)
    return (12,) * full + ((rest,) if rest else ())


def year_quantities(line: DealLine, years: int) -> tuple[Decimal, ...]:
    """The quantity of each contract year: the ramp, cut or continued at its last value, or `qty` throughout."""
    if not line.ramp or years <= 0:
        return (line.qty,) * years
    ramp = line.ramp[:years]
    return ramp + (ramp[-1],) * (years - len(ramp))


def term_problem(term_months: int) -> str | None:
    """Why `term_months` cannot be priced, or None."""
    if isinstance(term_months, bool) or not isinstance(term_months, int):
        return "The term must be a whole number of months."
    if not 1 <= term_months <= MAX_TERM_MONTHS:
        return f"The term must be between 1 and {MAX_TERM_MONTHS} months, not {term_months}."
    return None


def line_is_valid(line: DealLine) -> bool:
    """Whether `line_problems(line)` is empty; the fast path for the usual, valid line."""
    qty, pct = line.qty, line.discount_pct
    return (
        not line.ramp
        and type(qty) is Decimal
        and type(pct) is Decimal
        and qty.is_finite()
        and pct.is_finite()
        and _ZERO <= qty <= MAX_QTY
        and _ZERO <= pct <= _HUNDRED
        and qty.quantize(_QTY_STEP) == qty
        and pct.quantize(_DISCOUNT_STEP) == pct
    ) or not line_problems(line)


def line_problems(line: DealLine) -> list[Violation]:
    """Problems with the values of one line itself; a line with any of them is not priced."""
    problems: list[Violation] = []
    labelled = [("The quantity", line.qty)] + [(f"The year {n} quantity", qty) for n, qty in enumerate(line.ramp, 1)]
    for label, qty in labelled:
        reason = _quantity_problem(qty)
        if reason:
            problems.append(Violation(line.id, Rule.INVALID_QTY, f"{label} {reason}."))
    reason = _discount_problem(line.discount_pct)
    if reason:
        problems.append(Violation(line.id, Rule.INVALID_DISCOUNT, f"The discount {reason}."))
    return problems


def ramp_notice(line: DealLine, years: int, recurring: bool) -> Violation | None:
    """A ramp that does not fit the term or the product; the line is still priced as explained."""
    if not line.ramp:
        return None
    if not recurring:
        return Violation(line.id, Rule.RAMP, "A one-time item cannot ramp; it is priced once at the quantity.")
    if len(line.ramp) == years:
        return None
    span = f"{len(line.ramp)} year{'s' if len(line.ramp) != 1 else ''}"
    term = f"{years} year{'s' if years != 1 else ''}"
    if len(line.ramp) > years:
        return Violation(
            line.id, Rule.RAMP, f"The ramp covers {span} but the term has {term}; later years are ignored."
        )
    last = format_quantity(line.ramp[-1])
    return Violation(
        line.id, Rule.RAMP, f"The ramp covers {span} but the term has {term}; the last quantity ({last}) continues."
    )


def _quantity_problem(qty: Decimal) -> str | None:
    if not isinstance(qty, Decimal) or not qty.is_finite():
        return "must be a number"
    if qty < 0:
        return "cannot be negative"
    if qty > MAX_QTY:
        return f"cannot exceed {format_quantity(MAX_QTY)}"
    if qty.quantize(_QTY_STEP) != qty:
        return f"can have at most {QTY_PLACES} decimal places"
    return None


def _discount_problem(pct: Decimal) -> str | None:
    if not isinstance(pct, Decimal) or not pct.is_finite():
        return "must be a number"
    if not 0 <= pct <= _HUNDRED:
        return f"must be between 0% and 100%, not {format_quantity(pct)}%"
    if pct.quantize(_DISCOUNT_STEP) != pct:
        return f"can have at most {DISCOUNT_PLACES} decimal places"
    return None
