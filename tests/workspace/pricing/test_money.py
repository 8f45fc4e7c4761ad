"""Money: minor units, half-even rounding, strict parsing and string formatting."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from workspace.pricing.money import (
    InvalidAmount,
    UnknownCurrency,
    display_money,
    format_money,
    format_percent,
    format_unit_price,
    minor_units,
    parse_decimal,
    parse_money,
    quantize,
)


@pytest.mark.parametrize(("currency", "places"), [("USD", 2), ("EUR", 2), ("GBP", 2), ("JPY", 0), ("KWD", 3)])
def test_minor_units_follow_iso_4217(currency: str, places: int) -> None:
    assert minor_units(currency) == places


def test_an_unknown_currency_is_refused_not_guessed() -> None:
    with pytest.raises(UnknownCurrency, match="XYZ"):
        quantize(Decimal("1.005"), "XYZ")


@pytest.mark.parametrize(
    ("amount", "currency", "rounded"),
    [
        ("349.475", "USD", "349.48"),  # tie, 7 is odd: up to the even 8
        ("2.345", "USD", "2.34"),  # tie, 4 is even: stays
        ("0.125", "USD", "0.12"),  # tie, 2 is even: stays (half-up would give 0.13)
        ("0.135", "USD", "0.14"),
        ("1201.5", "JPY", "1202"),
        ("1202.5", "JPY", "1202"),
        ("1.0005", "KWD", "1.000"),
    ],
)
def test_rounding_is_half_even_to_the_currency(amount: str, currency: str, rounded: str) -> None:
    assert format_money(Decimal(amount), currency) == rounded


def test_formatting_never_shows_an_exponent_or_negative_zero() -> None:
    assert format_money(Decimal("1E+3"), "USD") == "1000.00"
    assert format_money(Decimal("-0.001"), "USD") == "0.00"
    assert format_money(Decimal("1234.5"), "USD") == "1234.50"
    assert format_money(Decimal("7119000"), "JPY") == "7119000"


def test_unit_prices_keep_finer_precision_than_the_currency() -> None:
    assert format_unit_price(Decimal("0.0079"), "USD") == "0.0079"
    assert format_unit_price(Decimal("43.333333333333"), "USD") == "43.333333"
    assert format_unit_price(Decimal("75"), "USD") == "75.00"
    assert format_unit_price(Decimal("1.2"), "JPY") == "1.2"
    assert format_unit_price(Decimal("11300"), "JPY") == "11300"


def test_percent_and_display_formats() -> None:
    assert format_percent(Decimal("80.769230")) == "80.77"
    assert display_money(Decimal("9600"), "USD") == "USD 9,600.00"


@pytest.mark.parametrize("text", ["1234.50", "0", "0.5", "75", "1000000.000001"])
def test_plain_decimals_parse(text: str) -> None:
    assert parse_decimal(text) == Decimal(text)


@pytest.mark.parametrize(
    "text", ["", " 1", "1 ", "1,000.00", "1e3", "NaN", "Infinity", "+1", ".5", "5.", "007", "1_000", "0x10", "١٢"]
)
def test_anything_but_a_plain_decimal_is_refused(text: str) -> None:
    with pytest.raises(InvalidAmount):
        parse_decimal(text)


def test_money_parsing_enforces_sign_and_minor_units() -> None:
    assert parse_money("12.50", "USD") == Decimal("12.50")
    with pytest.raises(InvalidAmount, match="more decimal places than USD allows"):
        parse_money("12.345", "USD")
    with pytest.raises(InvalidAmount, match="more decimal places than JPY allows"):
        parse_money("1.5", "JPY")
    with pytest.raises(InvalidAmount, match="must not be negative"):
        parse_money("-1.00", "USD")
    assert parse_money("-1.00", "USD", allow_negative=True) == Decimal("-1.00")


@given(st.decimals(min_value=-(10**9), max_value=10**9, places=6), st.sampled_from(["USD", "JPY", "KWD"]))
def test_format_then_parse_is_the_rounded_amount(amount: Decimal, currency: str) -> None:
    text = format_money(amount, currency)
    assert parse_money(text, currency, allow_negative=True) == quantize(amount, currency)
    assert format_money(Decimal(text), currency) == text
