"""Volume tiers: how the quantity of a line sets its price.

A tier starts at `from_qty`, a unit number counted from 1: tiers from 1, 101 and 501 cover units 1-100,
101-500 and 501 on. Internally each tier starts after a *bound* `from_qty - 1`, which keeps fractional
quantities consistent: 100.5 units put the last half unit in the tier from 101.

- graduated: each unit is priced by the tier it falls in (the first 100 at tier 1, the next 400 at tier 2...).
- all_units: every unit is priced at the tier the last unit falls in.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from itertools import pairwise

_ZERO = Decimal(0)
_ONE = Decimal(1)


class TierMode(StrEnum):
    GRADUATED = "graduated"
    ALL_UNITS = "all_units"


@dataclass(frozen=True, slots=True)
class TierTable:
    """The tiers of one product in one currency, ready to price any quantity exactly."""

    mode: TierMode
    bounds: tuple[Decimal, ...]
    prices: tuple[Decimal, ...]
    # Graduated amount of a quantity equal to each bound, so pricing is one lookup, not a walk.
    cumulative: tuple[Decimal, ...]

    @classmethod
    def build(cls, mode: TierMode, steps: Sequence[tuple[Decimal, Decimal]]) -> TierTable:
        """From (from_qty, unit_price) steps; from_qty must start at 1 and strictly increase."""
        if not steps or steps[0][0] != _ONE:
            raise ValueError("the first tier must start at unit 1")
        bounds = tuple(from_qty - _ONE for from_qty, _ in steps)
        if any(later <= earlier for earlier, later in pairwise(bounds)):
            raise ValueError("tier starts must strictly increase")
        prices = tuple(price for _, price in steps)
        cumulative = [_ZERO]
        for index in range(1, len(bounds)):
            width = bounds[index] - bounds[index - 1]
            cumulative.append(cumulative[-1] + width * prices[index - 1])
        return cls(mode, bounds, prices, tuple(cumulative))

    @classmethod
    def flat(cls, price: Decimal) -> TierTable:
        """One price for every quantity."""
        return cls(TierMode.ALL_UNITS, (_ZERO,), (price,), (_ZERO,))

    def index(self, qty: Decimal) -> int:
        """The tier the last unit of `qty` falls in (the first tier for zero)."""
        return max(bisect_left(self.bounds, qty) - 1, 0)

    def amount(self, qty: Decimal) -> Decimal:
        """The exact, unrounded amount of `qty` units for one billing period."""
        at = self.index(qty)
        if self.mode is TierMode.ALL_UNITS:
            return qty * self.prices[at]
        return self.cumulative[at] + (qty - self.bounds[at]) * self.prices[at]

    def unit_price(self, qty: Decimal) -> Decimal:
        """The unit price of `qty`: the tier price (all-units) or the average over the tiers (graduated)."""
        at = self.index(qty)
        if self.mode is TierMode.ALL_UNITS or at == 0 or qty <= 0:
            return self.prices[at]
        return self.amount(qty) / qty
