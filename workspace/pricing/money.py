"""Money: currency minor units, the one rounding rule, and strict parsing and formatting of amounts.

Amounts are `Decimal` throughout and travel as strings ("1234.50"); a float never touches money."""

from __future__ import annotations

import re
from decimal import ROUND_HALF_EVEN, Decimal
from types import MappingProxyType
from typing import Final

ROUNDING: Final = ROUND_HALF_EVEN
"""Rounding to minor units is half-even ("banker's rounding"): ties go to the even digit, so rounding many
amounts has no systematic upward drift. It is applied once per amount, never to intermediate results."""

# ISO 4217 minor units of the currencies a price book may use. Extend as the business needs; an unknown
# currency is refused rather than guessed, because guessing 2 places would misprice JPY or KWD.
MINOR_UNITS: Final = MappingProxyType(
    {
        "USD": 2,
        "EUR": 2,
        "GBP": 2,
        "CHF": 2,
        "CAD": 2,
        "AUD": 2,
        "NZD": 2,
        "SEK": 2,
        "NOK": 2,
        "DKK": 2,
        "PLN": 2,
        "CZK": 2,
        "HUF": 2,
        "SGD": 2,
        "HKD": 2,
        "CNY": 2,
        "INR": 2,
        "BRL": 2,
        "MXN": 2,
        "ZAR": 2,
        "ILS": 2,
        "AED": 2,
        "SAR": 2,
        "JPY": 0,
        "KRW": 0,
        "ISK": 0,
        "CLP": 0,
        "VND": 0,
        "BHD": 3,
        "KWD": 3,
        "OMR": 3,
        "JOD": 3,
        "TND": 3,
    }
)

UNIT_PRICE_MAX_PLACES: Final = 6
"""Unit prices may be finer than the currency (USD 0.0045 per API call); shown with up to this many places."""

_QUANTA: Final = MappingProxyType({code: Decimal(1).scaleb(-places) for code, places in MINOR_UNITS.items()})
_UNIT_STEP: Final = Decimal(1).scaleb(-UNIT_PRICE_MAX_PLACES)
# Strict: optional minus, no leading zeros, no exponent, no spaces or group separators, no "5." or ".5".
_NUMBER: Final = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?")
_MAX_DIGITS: Final = 30


class UnknownCurrency(ValueError):
    """The currency code is not one whose minor units we know."""


class InvalidAmount(ValueError):
    """A text is not a well-formed amount."""


def is_currency(code: str) -> bool:
    """Whether `code` is a currency the pricing core can round."""
    return code in MINOR_UNITS


def minor_units(currency: str) -> int:
    """The number of decimal places of `currency` (USD 2, JPY 0, KWD 3)."""
    try:
        return MINOR_UNITS[currency]
    except KeyError:
        raise UnknownCurrency(f"unknown currency {currency!r}") from None


def quantum(currency: str) -> Decimal:
    """The smallest amount of `currency` as a Decimal exponent template (USD: 0.01, JPY: 1)."""
    try:
        return _QUANTA[currency]
    except KeyError:
        raise UnknownCurrency(f"unknown currency {currency!r}") from None


def quantize(amount: Decimal, currency: str) -> Decimal:
    """`amount` rounded half-even to the minor units of `currency`."""
    return amount.quantize(quantum(currency), rounding=ROUNDING)


def parse_decimal(text: str, *, max_places: int | None = None, allow_negative: bool = False) -> Decimal:
    """Strictly parse a plain decimal numeral ("1234.50"); raise `InvalidAmount` on anything else."""
    if not isinstance(text, str) or not _NUMBER.fullmatch(text):
        raise InvalidAmount(f'{text!r} is not a plain decimal number such as "1234.50"')
    if len(text) > _MAX_DIGITS:
        raise InvalidAmount(f"{text!r} has more than {_MAX_DIGITS} characters")
    value = Decimal(text)
    if value < 0 and not allow_negative:
        raise InvalidAmount(f"{text!r} must not be negative")
    places = len(text.partition(".")[2])
    if max_places is not None and places > max_places:
        raise InvalidAmount(f"{text!r} has {places} decimal places; at most {max_places} are allowed")
    return value


def parse_money(text: str, currency: str, *, allow_negative: bool = False) -> Decimal:
    """Strictly parse an amount of `currency`: no more decimal places than its minor units."""
    places = minor_units(currency)
    try:
        return parse_decimal(text, max_places=places, allow_negative=allow_negative)
    except InvalidAmount as error:
        if "decimal places" in str(error):
            raise InvalidAmount(f"{text!r} has more decimal places than {currency} allows ({places})") from None
        raise


def format_money(amount: Decimal, currency: str) -> str:
    """`amount` as a plain string with exactly the minor units of `currency` ("1234.50", JPY "1235")."""
    value = amount.quantize(quantum(currency), rounding=ROUNDING)
    if value.is_zero():
        value = value.copy_abs()  # never "-0.00"
    # str() of a Decimal with an exponent from 0 to -3 is plain notation, and faster than format().
    return str(value)


def format_unit_price(amount: Decimal, currency: str) -> str:
    """A unit price: at least the currency's places, more when the price is finer (up to six)."""
    places = minor_units(currency)
    value = amount.quantize(_UNIT_STEP, rounding=ROUNDING)
    whole, _, fraction = f"{value.copy_abs() if value.is_zero() else value:f}".partition(".")
    fraction = fraction.rstrip("0").ljust(places, "0")
    return f"{whole}.{fraction}" if fraction else whole


def format_percent(value: Decimal) -> str:
    """A percentage with two places, half-even ("12.50")."""
    rounded = value.quantize(Decimal("0.01"), rounding=ROUNDING)
    if rounded.is_zero():
        rounded = rounded.copy_abs()
    return f"{rounded:f}"


def format_quantity(value: Decimal) -> str:
    """A quantity for messages: no trailing zeros, grouped thousands ("1,000", "2.5")."""
    if not value.is_finite() or abs(value.adjusted()) > _MAX_DIGITS:
        return str(value)  # a client's 1E+999999 is quoted as sent, not spelled out in a million digits
    normal = value.normalize()
    return f"{normal:,f}"


def display_money(amount: Decimal, currency: str) -> str:
    """An amount for sentences read by people: "USD 9,600.00"."""
    value = quantize(amount, currency)
    if value.is_zero():
        value = value.copy_abs()
    return f"{currency} {value:,f}"
