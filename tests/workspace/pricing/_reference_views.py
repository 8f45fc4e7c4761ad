"""The quote views as they were before issue 13 made them fast, kept word for word as the oracle of
`test_views_as_before`. Do not change it: it defines the numbers the views must keep showing.

A quote as JSON-ready data, money as strings ("1234.50"). Two views: what everyone in the room may see,
and what internal roles see on top (cost, margin, floor). A customer must only ever get `public_view`."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal
from typing import Any

from workspace.pricing.money import MINOR_UNITS, format_money, format_percent, format_unit_price
from workspace.pricing.quote_model import LineQuote, Quote, Totals
from workspace.pricing.violations import Violation

_PLAIN_DIGITS = 40


def public_view(quote: Quote) -> dict[str, Any]:
    """The quote without cost, margin, floor prices or floor breaches. `priceable` is False when some line
    (or the deal as a whole) cannot be priced; `pricing_problems` then says why, in the violations' shape.
    `currencies` are the ones the room's price book prices."""
    currency = quote.currency
    return {
        "currency": currency,
        "term_months": quote.term_months,
        "billing": quote.billing,
        "book_version": quote.book_version,
        "currencies": list(quote.currencies),
        "months": list(quote.months),
        "lines": [_line(line, currency) for line in quote.lines],
        "totals": _totals(quote.totals, currency),
        "violations": [_violation(violation) for violation in quote.violations],
        "priceable": quote.priceable,
        "pricing_problems": [_violation(violation) for violation in quote.pricing_problems],
    }


def unpriceable_reason(view: dict[str, Any]) -> str | None:
    """Why a quote view is not a complete price ("the quote cannot be priced: STORAGE is not in the price
    book (version 2)"), or None when it is. Nobody approves or exports a price that is not one."""
    if view.get("priceable", True):
        return None
    counts = Counter(str(problem["message"]).rstrip(".") for problem in view.get("pricing_problems", []))
    problems = [message if n == 1 else f"{message} ({n} lines)" for message, n in counts.items()]
    return "the quote cannot be priced: " + ("; ".join(problems) or "a line has no price") + "; fix the lines first"


def _violation(violation: Violation) -> dict[str, Any]:
    return {"line_id": violation.line_id, "rule": str(violation.rule), "message": violation.message}


def internal_view(quote: Quote) -> dict[str, Any]:
    """The public view plus, per line and in the totals, cost, margin and floor information."""
    view = public_view(quote)
    currency = quote.currency
    for shown, line in zip(view["lines"], quote.lines, strict=True):
        shown["cost_total"] = _maybe_money(line.cost_total, currency)
        shown["margin"] = _maybe_money(line.margin, currency)
        shown["margin_pct"] = _percent(line.margin_pct)
        shown["floor_unit"] = None if line.floor_unit is None else _unit(line.floor_unit, currency)
        shown["below_floor"] = line.below_floor
    totals = quote.totals
    view["totals"].update(
        cost_total=_maybe_money(totals.cost_total, currency),
        margin=_maybe_money(totals.margin, currency),
        margin_pct=_percent(totals.margin_pct),
        max_line_discount_pct=plain(totals.max_line_discount_pct),
        below_floor=list(totals.below_floor),
    )
    return view


def plain(value: Decimal) -> str:
    """A quantity or an entered percentage as typed, without exponent or trailing zeros ("400", "12.5")."""
    # Echoing a client's NaN or 1E+999999 back next to the violation that refuses it: as is, not a
    # million digits long.
    if not value.is_finite() or abs(value.adjusted()) > _PLAIN_DIGITS:
        return str(value)
    text = f"{value.normalize():f}"
    return "0" if text in ("-0", "0") else text


def _line(line: LineQuote, currency: str) -> dict[str, Any]:
    return {
        "id": line.id,
        "sku": line.sku,
        "name": line.name,
        "period": None if line.period is None else str(line.period),
        "unit": line.unit,
        "qty": plain(line.qty),
        "year_qty": [plain(qty) for qty in line.year_qty],
        "discount_pct": plain(line.discount_pct),
        "priced": line.priced,
        "list_unit": _unit(line.list_unit, currency),
        "tier_unit": _unit(line.tier_unit, currency),
        "net_unit": _unit(line.net_unit, currency),
        "per_period": _money(line.per_period, currency),
        "years": [_money(amount, currency) for amount in line.years],
        "first_year": _money(line.first_year, currency),
        "annual_recurring": _money(line.annual_recurring, currency),
        "list_total": _money(line.list_total, currency),
        "volume_discount": _money(line.volume_discount, currency),
        "negotiated_discount": _money(line.negotiated_discount, currency),
        "total_discount": _money(line.total_discount, currency),
        "net_total": _money(line.net_total, currency),
    }


def _totals(totals: Totals, currency: str) -> dict[str, Any]:
    return {
        "list_total": _money(totals.list_total, currency),
        "volume_discount": _money(totals.volume_discount, currency),
        "negotiated_discount": _money(totals.negotiated_discount, currency),
        "total_discount": _money(totals.total_discount, currency),
        "total_discount_pct": format_percent(totals.total_discount_pct),
        "net_total": _money(totals.net_total, currency),
        "years": [_money(amount, currency) for amount in totals.years],
        "first_year": _money(totals.first_year, currency),
        "annual_recurring": _money(totals.annual_recurring, currency),
    }


def _money(amount: Decimal, currency: str) -> str:
    # A quote in a currency we cannot round is all zeros and carries a violation; show it as it is.
    return format_money(amount, currency) if currency in MINOR_UNITS else f"{amount:f}"


def _unit(amount: Decimal, currency: str) -> str:
    return format_unit_price(amount, currency) if currency in MINOR_UNITS else f"{amount:f}"


def _maybe_money(amount: Decimal | None, currency: str) -> str | None:
    return None if amount is None else _money(amount, currency)


def _percent(value: Decimal | None) -> str | None:
    return None if value is None else format_percent(value)
