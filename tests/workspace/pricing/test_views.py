"""The quote as JSON: money as strings, and nothing internal in what a customer is sent."""

from __future__ import annotations

import json
from typing import Any

from workspace.pricing.quote import price_deal
from workspace.pricing.samples import sample_book, sample_deal
from workspace.pricing.views import internal_view, public_view

from ._deals import deal, line

BOOK = sample_book()
INTERNAL_KEYS = {"cost_total", "margin", "margin_pct", "floor_unit", "below_floor", "max_line_discount_pct"}


def _keys(value: Any) -> set[str]:
    if isinstance(value, dict):
        return set(value) | {key for item in value.values() for key in _keys(item)}
    if isinstance(value, list):
        return {key for item in value for key in _keys(item)}
    return set()


def test_the_public_view_carries_no_cost_margin_or_floor() -> None:
    view = public_view(price_deal(sample_deal(20), BOOK))
    assert _keys(view).isdisjoint(INTERNAL_KEYS)
    json.dumps(view)  # plain JSON: strings, numbers, lists, no Decimal


def test_the_internal_view_adds_them() -> None:
    quote = price_deal(deal(line("PLAT-ENT", 100, 45)), BOOK)
    view = internal_view(quote)
    assert _keys(view) >= INTERNAL_KEYS
    shown = view["lines"][0]
    assert shown["cost_total"] == "11400.00"  # 9.50 x 100 x 12
    assert shown["floor_unit"] == "45.00" and shown["below_floor"] is True
    assert view["totals"]["below_floor"] == [quote.lines[0].id]
    assert view["totals"]["max_line_discount_pct"] == "45"


def test_amounts_are_strings_in_the_currencys_minor_units() -> None:
    view = public_view(price_deal(deal(line("PLAT-PRO", 150, "12.5"), line("SMS", 1001), term=24), BOOK))
    pro, sms = view["lines"]
    assert pro["qty"] == "150" and pro["discount_pct"] == "12.5"
    assert pro["list_unit"] == "45.00" and pro["tier_unit"] == "43.333333" and pro["net_unit"] == "37.916667"
    assert pro["per_period"] == "5687.50" and pro["years"] == ["68250.00", "68250.00"]
    assert sms["net_unit"] == "0.0079"
    assert sms["years"] == ["94.89", "94.89"]  # 1,001 x 0.0079 x 12 = 94.8948
    assert view["totals"]["net_total"] == "136689.78"  # 2 x 68,250.00 + 2 x 94.89
    jpy = public_view(price_deal(deal(line("PLAT-TEAM", 3), currency="JPY"), BOOK))
    assert jpy["lines"][0]["per_period"] == "9000" and jpy["totals"]["net_total"] == "108000"


def test_violations_are_part_of_both_views() -> None:
    quote = price_deal(deal(line("ADD-SSO", 5)), BOOK)
    expected = [
        {
            "line_id": "add-sso",
            "rule": "requires",
            "message": "SSO & SCIM add-on requires Platform Professional or Platform Enterprise on the same quote.",
        }
    ]
    assert public_view(quote)["violations"] == expected
    assert internal_view(quote)["violations"] == expected


def test_a_quote_in_an_unknown_currency_still_renders() -> None:
    view = internal_view(price_deal(deal(line("PLAT-TEAM", 3), currency="XXX"), BOOK))
    assert view["totals"]["net_total"] == "0.00"
    assert view["violations"][0]["rule"] == "currency"


def test_a_quote_says_whether_it_is_a_complete_price_and_what_stops_it() -> None:
    priced = public_view(price_deal(deal(line("PLAT-ENT", 100), line("ADD-SSO", 5)), BOOK))
    assert priced["priceable"] is True and priced["pricing_problems"] == []  # a broken rule still has a price
    assert priced["currencies"] == ["USD", "EUR", "GBP", "JPY"]

    unknown = public_view(price_deal(deal(line("PLAT-ENT", 100), line("NOPE", 1)), BOOK))
    assert unknown["priceable"] is False
    assert [(p["line_id"], p["rule"]) for p in unknown["pricing_problems"]] == [("nope", "unknown_sku")]
    assert unknown["totals"]["net_total"] == "90000.00"  # the known line only: hence "not priceable"

    invalid = public_view(price_deal(deal(line("PLAT-ENT", -5)), BOOK))
    assert invalid["priceable"] is False and invalid["pricing_problems"][0]["rule"] == "invalid_qty"


def test_a_currency_the_book_does_not_price_makes_the_whole_quote_unpriceable() -> None:
    view = public_view(price_deal(deal(line("PLAT-ENT", 100), currency="CHF"), BOOK))
    assert view["priceable"] is False
    assert view["pricing_problems"] == [
        {
            "line_id": None,
            "rule": "currency",
            "message": "The price book has no prices in CHF; it offers USD, EUR, GBP, JPY.",
        }
    ]
    assert internal_view(price_deal(deal(line("PLAT-ENT", 100), currency="CHF"), BOOK))["priceable"] is False
