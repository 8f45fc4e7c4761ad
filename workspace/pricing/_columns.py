"""Columns of amounts as the views show them, a whole quote's at once.

Each function gives exactly what `money.format_money`, `money.format_unit_price` and `views.plain` give for
each value, but a 1,000-line quote has some 15,000 amounts: formatting them one Python call at a time was
most of the time a room spent writing its quote. The engine rounds every amount it sums to the currency, so
`str()` of each already is the text shown: a column whose amounts all have the currency's places is converted
in one pass, and only another is rounded value by value. Unit prices come from the price book, so a quote
holds few distinct ones: each is formatted once per column.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from decimal import ROUND_HALF_EVEN, Decimal
from functools import cache
from itertools import repeat

from workspace.pricing.money import MINOR_UNITS, UNIT_PRICE_MAX_PLACES

Column = Callable[[Sequence[Decimal]], list[str]]

_UNIT_STEP = Decimal(1).scaleb(-UNIT_PRICE_MAX_PLACES)
_PLAIN_DIGITS = 40
# Up to 27 characters: `normalize` in any context of 28 digits or more is exact there, so a plain text without
# trailing zeros is already what `plain` gives.
_TYPED = re.compile(r"(?:(?:0|[1-9][0-9]*)(?:\.[0-9]*[1-9])?\n)*")


def plain(value: Decimal) -> str:
    """A quantity or an entered percentage as typed, without exponent or trailing zeros ("400", "12.5")."""
    # Echoing a client's NaN or 1E+999999 back next to the violation that refuses it: as is, not a
    # million digits long.
    if not value.is_finite() or abs(value.adjusted()) > _PLAIN_DIGITS:
        return str(value)
    text = f"{value.normalize():f}"
    return "0" if text in ("-0", "0") else text


def plain_column(values: Sequence[Decimal]) -> list[str]:
    """`plain` of each value."""
    texts = list(map(str, values))
    if texts and max(map(len, texts)) <= 27 and _TYPED.fullmatch("\n".join(texts) + "\n"):
        return texts
    return list(map(plain, values))


@cache
def money_column(currency: str) -> Column:
    """`format_money(amount, currency)` of each amount; for a currency we cannot round, the amounts as they are
    (such a quote is all zeros and carries a violation)."""
    if currency not in MINOR_UNITS:
        return _as_is
    return _rounded(MINOR_UNITS[currency])


def percent_column(percentages: Sequence[Decimal]) -> list[str]:
    """`format_percent` of each percentage."""
    return _PERCENT(percentages)


def _rounded(places: int) -> Column:
    """Each amount half-even to `places` places, in plain notation, never "-0.00"."""
    step = Decimal(1).scaleb(-places)
    zero = str(Decimal(0).quantize(step))
    negative_zero = "-" + zero

    def one(amount: Decimal) -> str:
        value = amount.quantize(step, ROUND_HALF_EVEN)
        return str(value) if value else zero  # plain notation for exponents 0 to -3; never "-0.00"

    def column(amounts: Sequence[Decimal]) -> list[str]:
        if not all(map(Decimal.same_quantum, amounts, repeat(step))):
            return list(map(one, amounts))
        # Rounded to `places` already: str() is the text (quantize would give the same number back).
        texts = list(map(str, amounts))
        if negative_zero in texts:
            return [zero if text == negative_zero else text for text in texts]
        return texts

    return column


@cache
def unit_column(currency: str) -> Column:
    """`format_unit_price(amount, currency)` of each amount (as they are for a currency we cannot round)."""
    if currency not in MINOR_UNITS:
        return _as_is
    step = Decimal(1).scaleb(-MINOR_UNITS[currency])
    zero = str(Decimal(0).quantize(step))

    def one(amount: Decimal) -> str:
        value = amount.quantize(_UNIT_STEP, ROUND_HALF_EVEN)
        if not value:
            return zero
        short = value.quantize(step, ROUND_HALF_EVEN)
        if short == value:
            return str(short)
        return str(value).rstrip("0")  # six places and not zero: plain notation, no trailing zeros

    def column(amounts: Sequence[Decimal]) -> list[str]:
        return list(map(cache(one), amounts))  # equal prices show alike: one text per distinct price

    return column


_PERCENT = _rounded(2)


def _as_is(amounts: Sequence[Decimal]) -> list[str]:
    return [f"{amount:f}" for amount in amounts]
