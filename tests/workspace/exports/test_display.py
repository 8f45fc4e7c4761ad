"""How the contract prints the quote: amounts to the cent with their currency, rounded half up for display
only; units, terms and discounts a reader can check against each other."""

from __future__ import annotations

from workspace.exports import _display as show


def test_money_is_rounded_half_up_to_the_currencys_minor_units_with_the_currency() -> None:
    assert show.money("53.898333", "USD") == "USD 53.90"
    assert show.money("58.125", "USD") == "USD 58.13", "half up, as people round by hand (half-even gives 58.12)"
    assert show.money("582102.00", "EUR") == "EUR 582,102.00"
    assert show.money("0.0079", "USD") == "USD 0.01"
    assert show.money("1234.5", "JPY") == "JPY 1,235"
    assert show.money("-0.001", "USD") == "USD 0.00"
    assert show.money("not a number", "USD") == "not a number"
    assert show.is_rounded("53.898333", "USD") and not show.is_rounded("53.90", "USD")


def test_units_terms_and_discounts_read_as_a_reader_checks_them() -> None:
    seats = {"unit": "users", "period": "monthly", "list_unit": "75.00", "net_unit": "53.898333", "discount_pct": "27"}
    assert (show.unit(seats), show.term(seats, 36), show.discount(seats)) == ("users / month", "36", "28.14%")
    onboarding = {"unit": "package", "period": "one_time", "list_unit": "7500.00", "net_unit": "7125.00"}
    assert (show.unit(onboarding), show.term(onboarding, 36), show.discount(onboarding)) == (
        "package, one-time", "—", "5%"
    )  # fmt: skip
    support = {"unit": "subscription", "period": "annual", "list_unit": "0", "net_unit": "0", "discount_pct": "0"}
    assert (show.unit(support), show.term(support, 12), show.discount(support)) == ("subscription / year", "12", "0%")
    assert show.quantity("1000") == "1,000" and show.quantity("2.50") == "2.5"
