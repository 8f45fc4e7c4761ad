"""Shorthand for building deals against the sample price book in tests."""

from __future__ import annotations

from decimal import Decimal

from workspace.pricing.deal_input import DealInput, DealLine


def line(
    sku: str, qty: str | int, discount: str | int = 0, *, id: str | None = None, ramp: tuple[int, ...] = ()
) -> DealLine:
    return DealLine(id or sku.lower(), sku, Decimal(qty), Decimal(discount), tuple(Decimal(q) for q in ramp))


def deal(*lines: DealLine, term: int = 12, currency: str = "USD", billing: str = "annual") -> DealInput:
    return DealInput(currency=currency, term_months=term, lines=tuple(lines), billing=billing)
