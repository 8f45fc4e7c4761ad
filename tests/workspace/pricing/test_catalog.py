"""Price book: loading from JSON, the precise error list of an invalid book, and lookups."""

from __future__ import annotations

import copy
from decimal import Decimal
from typing import Any

import pytest

from workspace.pricing.catalog import BillingPeriod, PriceBook
from workspace.pricing.catalog_load import load_price_book
from workspace.pricing.errors import PriceBookInvalid
from workspace.pricing.samples import SAMPLE_PRICE_BOOK, sample_book
from workspace.pricing.tiers import TierMode


def _book(**changes: Any) -> dict[str, Any]:
    """A small valid book: a tiered platform and an add-on that requires it."""
    book: dict[str, Any] = {
        "version": 4,
        "currencies": ["USD", "EUR"],
        "products": [
            {
                "sku": "PLAT",
                "name": "Platform",
                "unit": "user",
                "billing_period": "monthly",
                "prices": {"USD": "45.00", "EUR": "42.00"},
                "cost": {"USD": "7.50"},
                "floor": {"USD": "27.00"},
                "tier_mode": "graduated",
                "tiers": [
                    {"from_qty": 1, "unit_price": {"USD": "45.00", "EUR": "42.00"}},
                    {"from_qty": "101", "unit_price": {"USD": "40.00", "EUR": "37.00"}},
                ],
                "rules": {"min_qty": "10", "allowed_terms": [36, 12, 24]},
            },
            {
                "sku": "SSO",
                "name": "SSO add-on",
                "unit": "user",
                "billing_period": "monthly",
                "prices": {"USD": "6.00"},
                "rules": {"requires": ["PLAT"]},
                "facts": {"often_bought_with": ["PLAT"]},
            },
        ],
    }
    book.update(changes)
    return book


def _errors(data: Any) -> list[str]:
    with pytest.raises(PriceBookInvalid) as caught:
        load_price_book(data)
    return caught.value.errors


def test_a_valid_book_loads_with_decimals_tiers_and_rules() -> None:
    book = load_price_book(_book())
    platform = book.product("PLAT")
    assert platform is not None
    assert book.version == 4
    assert platform.billing_period is BillingPeriod.MONTHLY
    assert platform.prices == {"USD": Decimal("45.00"), "EUR": Decimal("42.00")}
    assert platform.tier_mode is TierMode.GRADUATED
    assert [tier.from_qty for tier in platform.tiers] == [Decimal(1), Decimal(101)]
    assert platform.rules.min_qty == Decimal(10)
    assert platform.rules.allowed_terms == (12, 24, 36)
    sso = book.product("SSO")
    assert sso is not None and sso.rules.requires == (("PLAT",),)


def test_the_sample_book_is_valid_and_prices_every_product_in_every_currency() -> None:
    book = sample_book()
    assert len(book.products) == len(SAMPLE_PRICE_BOOK["products"])
    for product in book.products:
        for currency in book.currencies:
            assert book.price_point(product.sku, currency) is not None, (product.sku, currency)


def test_a_price_point_carries_list_cost_floor_and_tiers_per_currency() -> None:
    book = load_price_book(_book())
    usd = book.price_point("PLAT", "USD")
    eur = book.price_point("PLAT", "EUR")
    assert usd is not None and eur is not None
    assert (usd.list_price, usd.cost, usd.floor) == (Decimal("45.00"), Decimal("7.50"), Decimal("27.00"))
    assert (eur.cost, eur.floor) == (None, None)
    assert eur.tiers.amount(Decimal(150)) == Decimal("100") * Decimal("42.00") + Decimal("50") * Decimal("37.00")
    assert book.price_point("SSO", "EUR") is None  # no EUR price
    assert book.price_point("NOPE", "USD") is None


def test_tier_starts_that_do_not_increase_are_reported_with_their_path() -> None:
    data = _book()
    data["products"][0]["tiers"][1]["from_qty"] = 1
    assert _errors(data) == ["products[0].tiers[1].from_qty must increase (it follows 1)"]


def test_every_problem_is_reported_at_once_each_with_its_path() -> None:
    data = _book(currencies=["USD", "EUR", "XYZ"])
    platform, sso = data["products"]
    platform["prices"]["USD"] = 45.5
    platform["floor"]["EUR"] = "50.00"
    platform["flor"] = {"USD": "1.00"}
    platform["tiers"][0]["from_qty"] = 2
    platform["tiers"][1]["unit_price"] = {"USD": "41.00"}
    platform["rules"]["max_qty"] = "5"
    sso["sku"] = "PLAT"
    sso["rules"]["requires"] = [["NOPE", "PLAT"]]
    sso["billing_period"] = "weekly"
    assert _errors(data) == [
        "currencies[2] 'XYZ' is not a known currency code",
        "products[0].flor is not a known field",
        'products[0].prices.USD must be a string such as "45.5", not a JSON number with a fraction (it can lose cents)',
        "products[0].floor.EUR 50.00 is above the list price 42.00",
        "products[0].tiers[0].from_qty must be 1 (the first tier starts at the first unit)",
        "products[0].tiers[1].unit_price.EUR is required (the product has a EUR list price)",
        "products[0].rules.max_qty 5 is below min_qty 10",
        "products[1].billing_period must be one of monthly, annual, one_time",
        "products[1].sku 'PLAT' is already used by products[0]",
    ]


def test_tier_prices_must_not_exceed_the_list_price_or_the_previous_tier() -> None:
    data = _book()
    data["products"][0]["tiers"][0]["unit_price"]["USD"] = "46.00"
    data["products"][0]["tiers"].append({"from_qty": 501, "unit_price": {"USD": "41.00", "EUR": "30.00"}})
    assert _errors(data) == [
        "products[0].tiers[0].unit_price.USD 46.00 is above the list price 45.00",
        "products[0].tiers[2].unit_price.USD 41.00 is above the previous tier's 40.00",
    ]


def test_references_to_unknown_or_own_skus_are_reported() -> None:
    data = _book()
    data["products"][0]["rules"]["excludes"] = ["PLAT"]
    data["products"][1]["rules"]["requires"] = [["NOPE", "PLAT"]]
    data["products"][1]["facts"]["often_bought_with"] = ["GHOST"]
    assert _errors(data) == [
        "products[0].rules.excludes names the product itself (PLAT)",
        "products[1].rules.requires[0] names unknown SKU 'NOPE'",
        "products[1].facts.often_bought_with names unknown SKU 'GHOST'",
    ]


def test_prices_in_a_currency_the_book_does_not_offer_and_too_many_places_are_refused() -> None:
    data = _book()
    data["products"][1]["prices"] = {"CHF": "6.00", "USD": "6.0000001"}
    assert _errors(data) == [
        "products[1].prices.CHF is not one of the price book's currencies (USD, EUR)",
        "products[1].prices.USD is invalid: '6.0000001' has 7 decimal places; at most 6 are allowed",
    ]


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ([], ["the price book must be a JSON object"]),
        ({"currencies": ["USD"], "products": []}, ["version must be a whole number"]),
        ({"version": 1, "currencies": [], "products": []}, ["currencies must name at least one currency"]),
        ({"version": 1, "currencies": ["USD"], "products": [{}]}, [
            "products[0].sku is required",
            "products[0].name is required",
            "products[0].unit is required",
            "products[0].billing_period must be one of monthly, annual, one_time",
            "products[0].prices is required",
        ]),
    ],
)  # fmt: skip
def test_structural_errors(data: Any, expected: list[str]) -> None:
    assert _errors(data) == expected


def test_the_error_is_a_value_error_whose_message_lists_the_problems() -> None:
    data = _book()
    data["products"][0]["tiers"][1]["from_qty"] = 1
    with pytest.raises(ValueError, match=r"invalid price book: products\[0\]\.tiers\[1\]\.from_qty must increase"):
        load_price_book(data)


def test_loading_does_not_change_the_input() -> None:
    data = _book()
    before = copy.deepcopy(data)
    load_price_book(data)
    assert data == before


def test_exclusions_hold_both_ways_and_customers_see_only_shareable_facts() -> None:
    book = sample_book()
    assert "PLAT-ENT" in book.excluded_with("PLAT-PRO")
    assert "PLAT-PRO" in book.excluded_with("PLAT-ENT")  # only PLAT-PRO declares it
    facts = book.facts_for_customer("PLAT-ENT")
    assert facts is not None
    assert [link.title for link in facts.collateral] == ["Enterprise datasheet", "Security whitepaper"]
    assert facts.competitor_notes == ()
    full = book.product("PLAT-ENT")
    assert full is not None and len(full.facts.competitor_notes) == 2


def test_a_book_built_in_code_indexes_its_products() -> None:
    book = PriceBook(version=1, currencies=("USD",), products=sample_book().products)
    assert book.product("STORAGE") is not None
    storage = book.product("STORAGE")
    assert storage is not None and storage.units(Decimal(2)) == "blocks of 100 GB"
    sandbox = book.product("ADD-SANDBOX")
    assert sandbox is not None and sandbox.units(Decimal(1)) == "environment"
    assert sandbox.units(Decimal(3)) == "environments"
