"""The quote as a contract prints it: amounts with their currency rounded to the currency's minor units,
quantities, units and discounts as a reader checks them.

The quote engine keeps its precision (unit prices to six places, `workspace.pricing.money`); only what is
printed rounds, half up as people round by hand, so "53.898333" reads "USD 53.90".
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from workspace.pricing.money import MINOR_UNITS

_PERIOD = {"monthly": "month", "annual": "year"}
_HUNDRED = Decimal(100)
_PERCENT = Decimal("0.01")
ONE_TIME = "one-time"


def _decimal(text: object) -> Decimal | None:
    try:
        value = Decimal(str(text))
    except (InvalidOperation, ValueError):
        return None
    return value if value.is_finite() else None


def rounded(text: object, currency: str) -> Decimal | None:
    """An amount rounded half up to the minor units of `currency` (two places when it is not known)."""
    value = _decimal(text)
    if value is None:
        return None
    return value.quantize(Decimal(1).scaleb(-MINOR_UNITS.get(currency, 2)), rounding=ROUND_HALF_UP)


def money(text: object, currency: str) -> str:
    """An amount with its currency, grouped, rounded for display ("USD 53.90"); what is no number stays as is."""
    value = rounded(text, currency)
    if value is None:
        return str(text)
    if value.is_zero():
        value = value.copy_abs()  # never "-0.00"
    return f"{currency} {value:,f}".strip()


def quantity(text: object) -> str:
    """A quantity as typed, grouped: "1,000", "2.5"."""
    value = _decimal(text)
    return str(text) if value is None else f"{value.normalize():,f}"


def unit(line: Mapping[str, Any]) -> str:
    """What one unit price buys: "users / month", "subscription / year", "package, one-time"."""
    name = str(line.get("unit") or "unit")
    period = line.get("period")
    if period in _PERIOD:
        return f"{name} / {_PERIOD[period]}"
    return f"{name}, {ONE_TIME}" if period == "one_time" else name


def term(line: Mapping[str, Any], term_months: object) -> str:
    """The months a line runs: the deal's term for a recurring line, a dash for a one-time one."""
    if line.get("period") in _PERIOD and isinstance(term_months, int) and not isinstance(term_months, bool):
        return str(term_months)
    return "—"


def discount(line: Mapping[str, Any]) -> str:
    """The discount from list to net unit price ("10%", "17.2%"): volume tiers and the negotiated discount
    together, so that list price less this discount is the net unit price shown next to it."""
    list_unit, net_unit = _decimal(line.get("list_unit")), _decimal(line.get("net_unit"))
    if list_unit is None or net_unit is None or list_unit.is_zero():
        value = _decimal(line.get("discount_pct")) or Decimal(0)
    else:
        value = (list_unit - net_unit) * _HUNDRED / list_unit
    shown = value.quantize(_PERCENT, rounding=ROUND_HALF_UP).normalize()
    return f"{shown.copy_abs() if shown.is_zero() else shown:f}%"


def is_rounded(text: object, currency: str) -> bool:
    """Whether printing the amount rounds it (a unit price finer than the currency)."""
    value, shown = _decimal(text), rounded(text, currency)
    return value is not None and shown is not None and value != shown
