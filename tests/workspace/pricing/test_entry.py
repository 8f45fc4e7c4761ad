"""What a person may enter on a line or the deal: the bounds the write guard holds every client to."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from workspace.pricing.entry import (
    PriceLimits,
    deal_problem,
    discount_problem,
    line_problem,
    qty_problem,
    removed,
    sku_problem,
)
from workspace.pricing.samples import sample_book

LIMITS = PriceLimits.of(sample_book())


def test_the_limits_of_a_book_are_its_active_skus_and_its_currencies() -> None:
    assert "PLAT-ENT" in LIMITS.skus and "LEGACY-ANALYTICS" not in LIMITS.skus
    assert LIMITS.retired == frozenset({"LEGACY-ANALYTICS"})
    assert LIMITS.currencies == ("USD", "EUR", "GBP", "JPY")


@pytest.mark.parametrize("qty", [1, 1.0, 250, 10**9])
def test_a_whole_quantity_from_one_is_taken(qty: object) -> None:
    assert qty_problem(qty) is None


@pytest.mark.parametrize("qty", [-5, 0, 0.5, 2.5, 10**9 + 1, "10", True, None, float("nan"), float("inf")])
def test_any_other_quantity_is_refused(qty: object) -> None:
    assert qty_problem(qty) is not None


def test_the_reason_names_the_value() -> None:
    assert qty_problem(-5.0) == "the quantity must be a whole number from 1 to 1,000,000,000, not -5"
    assert discount_problem(150) == "the discount must be a number from 0 to 100 (percent), not 150"
    assert discount_problem(12.345) == "the discount may have at most 2 decimals, not 12.345"
    assert sku_problem("X" * 80, LIMITS) == "SKU 'XXXXXXXXXXXXXXXXXXXX... is not in this room's price book (version 3)"


@given(st.integers(0, 10_000))
def test_every_discount_of_at_most_two_decimals_is_taken(hundredths: int) -> None:
    # As a browser sends it: the shortest double for the typed text ("12.34", not 12.3399999...).
    assert discount_problem(float(f"{hundredths / 100:.2f}")) is None


@pytest.mark.parametrize("pct", [-0.01, 100.01, 12.345, 0.1 + 0.2, "20", False])
def test_other_discounts_are_refused(pct: object) -> None:
    assert discount_problem(pct) is not None


def test_a_sku_must_be_an_active_product_of_the_rooms_book() -> None:
    assert sku_problem("PLAT-ENT", LIMITS) is None
    assert sku_problem("plat-ent", LIMITS) is not None  # the book's own spelling; the browser fixes the case
    assert sku_problem("LEGACY-ANALYTICS", LIMITS) == "'LEGACY-ANALYTICS' is no longer sold (price book version 3)"
    assert sku_problem("ANYTHING", None) is None  # no price book: nothing is priced, nothing to check against
    assert sku_problem(3, None) == "a SKU is text, not 3"


def test_a_new_line_is_checked_whole_and_a_change_only_where_it_changed() -> None:
    good = {"id": "a", "sku": "PLAT-ENT", "qty": 10, "discountPct": 5, "locked": False, "note": ""}
    assert line_problem(good, LIMITS) is None
    assert line_problem({**good, "ramp": [1, 2]}, LIMITS) is None  # keys the guard does not price are left alone
    assert line_problem({"id": "a", "qty": 1}, LIMITS) == "a new line needs sku"
    assert line_problem({"id": "a", "qty": 1}, None) is None
    assert (
        line_problem({"sku": "PLAT-ENT", "qty": 1}, LIMITS) == "a new line needs an id (text of at most 100 characters)"
    )
    assert line_problem({"qty": 3}, LIMITS, partial=True) is None
    assert line_problem({"qty": removed}, LIMITS, partial=True) == "a line keeps its qty"
    assert line_problem({"note": removed}, LIMITS, partial=True) is None
    assert line_problem({"id": "b"}, LIMITS, partial=True) == "a line keeps its id"
    assert line_problem({"note": "x" * 2001}, LIMITS, partial=True) == "a note is text of at most 2000 characters"
    assert line_problem({"locked": "yes"}, LIMITS, partial=True) == "locked is true or false, not 'yes'"


def test_the_deal_may_only_be_in_a_currency_term_and_billing_the_book_can_price() -> None:
    assert deal_problem({"currency": "EUR", "termMonths": 36, "billing": "quarterly", "title": "x"}, LIMITS) is None
    assert deal_problem({"currency": "CHF"}, LIMITS) == (
        "currency 'CHF' is not in this room's price book; it prices USD, EUR, GBP, JPY"
    )
    assert deal_problem({"termMonths": 121}, LIMITS) is not None
    assert deal_problem({"termMonths": 12.5}, LIMITS) is not None
    assert deal_problem({"billing": "weekly"}, LIMITS) is not None
    assert deal_problem({"currency": "CHF", "termMonths": "x"}, None) is None  # no book: nothing is priced
