"""The what-if of a room: its current deal priced again at another discount (every line) or term, by the same
engine, side by side with the deal as it stands. Read-only: the room is never changed."""

from __future__ import annotations

import dataclasses
from datetime import datetime
from decimal import Decimal
from typing import Any

from workspace.derive import commission_view
from workspace.errors import InvalidInput
from workspace.pipeline.deals import Deal, move_view
from workspace.pricing import DealInput, IncentivePlan, PriceBook, estimate, internal_view, price_deal
from workspace.pricing.limits import DISCOUNT_PLACES, MAX_TERM_MONTHS
from workspace.pricing.money import InvalidAmount, parse_decimal

_MAX_PARAM = 20  # characters of a query value: "12.3456" is seven


@dataclasses.dataclass(frozen=True)
class WhatIf:
    """What to change: the discount of every line (percent) and the term (months); None keeps the deal's."""

    discount_pct: Decimal | None
    term_months: int | None

    @classmethod
    def parse(cls, params: Any) -> WhatIf:
        """From query parameters; 400 with a precise message for anything out of range."""
        unknown = sorted(set(params) - {"discount_pct", "term_months"})
        if unknown:
            raise InvalidInput(f"unknown parameter(s): {', '.join(unknown)}")
        discount, term = params.get("discount_pct"), params.get("term_months")
        if discount is None and term is None:
            raise InvalidInput("give 'discount_pct' (0 to 100) or 'term_months' (1 to 120), or both")
        return cls(_discount(discount) if discount is not None else None, _term(term) if term is not None else None)

    def apply(self, deal: DealInput) -> DealInput:
        lines = deal.lines
        if self.discount_pct is not None:
            lines = tuple(dataclasses.replace(line, discount_pct=self.discount_pct) for line in lines)
        term = self.term_months if self.term_months is not None else deal.term_months
        return dataclasses.replace(deal, lines=lines, term_months=term)


def _discount(raw: str) -> Decimal:
    try:
        value = parse_decimal(raw, max_places=DISCOUNT_PLACES) if len(raw) <= _MAX_PARAM else None
    except InvalidAmount:
        value = None
    if value is None or not Decimal(0) <= value <= Decimal(100):
        raise InvalidInput(f"'discount_pct' must be a number from 0 to 100 with at most {DISCOUNT_PLACES} decimals")
    return value


def _term(raw: str) -> int:
    if not raw.isdigit() or len(raw) > 3 or not 1 <= int(raw) <= MAX_TERM_MONTHS:
        raise InvalidInput(f"'term_months' must be a whole number of months from 1 to {MAX_TERM_MONTHS}")
    return int(raw)


def _side(deal: Deal, deal_input: DealInput, book: PriceBook, plan: IncentivePlan | None) -> dict[str, Any]:
    quote = price_deal(deal_input, book)
    totals = internal_view(quote)["totals"]
    facts = deal.room_deal.facts
    result = estimate(quote, plan, facts.vertical, facts.close_date, deal.standing) if plan is not None else None
    commission = commission_view(plan, quote, facts, deal.standing)
    return {
        "priceable": quote.priceable,
        "term_months": deal_input.term_months,
        "discount_pct": totals["total_discount_pct"],
        "total": totals["net_total"], "first_year": totals["first_year"],
        "margin": totals["margin"], "margin_pct": totals["margin_pct"],
        "commission": commission["total"] if commission is not None else None,
        "layers": commission["layers"] if commission is not None else [],
        "attainment": move_view(result.move if result is not None else None, False),
        "tier": result.move.tier_after.label if result is not None and result.move is not None else None,
    }  # fmt: skip


def what_if(deal: Deal, change: WhatIf, plan: IncentivePlan | None, now: datetime) -> dict[str, Any]:
    """The deal now and with `change`, side by side (pure pricing; nothing is written)."""
    assert deal.book is not None  # the route answers 404 for a room without a price book
    current = deal.room_deal.deal
    return {
        "room_id": deal.room.id, "currency": current.currency, "stage": deal.progress.stage.value,
        "asked": {"discount_pct": str(change.discount_pct) if change.discount_pct is not None else None,
                  "term_months": change.term_months},
        "now": _side(deal, current, deal.book, plan),
        "what_if": _side(deal, change.apply(current), deal.book, plan),
        "at": now.isoformat(),
    }  # fmt: skip
