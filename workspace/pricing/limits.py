"""Bounds on what the pricing core accepts. Bounded inputs keep every product of a price and a quantity
exact within the Decimal precision we compute at, so the only rounding is the documented one."""

from __future__ import annotations

from decimal import Decimal
from typing import Final

MAX_QTY: Final = Decimal(10) ** 9
"""A billion units per line: beyond any real deal (API calls are sold in packs), and keeps amounts exact."""

QTY_PLACES: Final = 4
"""Quantities may be fractional (2.5 service days, 0.25 FTE) but not finer than this."""

MAX_PRICE: Final = Decimal(10) ** 9
"""No unit price, cost or bonus above a billion in any currency (JPY included)."""

PRICE_PLACES: Final = 6
"""Unit prices may be finer than the currency (USD 0.0045 per API call) but not finer than this."""

DISCOUNT_PLACES: Final = 4
"""A discount such as 12.3456 % is fine; more places are noise from a client."""

MAX_TERM_MONTHS: Final = 120
"""Ten years: the longest contract term the quote engine prices."""

MAX_TIERS: Final = 50
"""A product's volume tiers; more is a data error, not a price list."""

WORK_PRECISION: Final = 60
"""Significant digits of the Decimal context the engine computes in: with the bounds above, every
intermediate amount is exact or (annual prices over partial years, divided by 12) far finer than a cent."""
