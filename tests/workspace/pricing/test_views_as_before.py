"""The quote views show exactly what they showed before they were made fast (issue 13).

`_reference_views` is the former `views.py`, word for word. Over generated deals (every SKU of the sample book and
unknown ones, every currency and one we cannot round, ramps, zero and fractional quantities, discounts from 0 to
100 and out of range, NaN and huge numbers a client may type) both views must be equal to it, to the byte of
their JSON, whichever is asked first and however often; each call's dicts and lists are its own.
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from workspace.pricing.catalog import PriceBook
from workspace.pricing.deal_input import DealInput, DealLine
from workspace.pricing.quote import price_deal
from workspace.pricing.samples import sample_book, sample_deal
from workspace.pricing.views import internal_view, public_view

from . import _reference_views as before

BOOK = sample_book()
SKUS = [product.sku for product in BOOK.products] + ["NOPE"]
D = Decimal
ODD = [D("NaN"), D("-0"), D("-0.000"), D("1E+999999"), D("1E-30"), D("12.500"), D("-3"), D("1" * 35), D("0.0000001")]


@st.composite
def deals(draw: st.DrawFn) -> DealInput:
    quantity = st.one_of(st.integers(0, 3000).map(D), st.decimals(0, 3000, places=3), st.sampled_from(ODD))
    discount = st.one_of(st.sampled_from([D(0), D(100), D("12.5"), D("7.50")]), st.decimals(0, 100, places=4),
                         st.sampled_from(ODD))  # fmt: skip
    lines = []
    for index in range(draw(st.integers(0, 12))):
        ramp = draw(st.one_of(st.just(()), st.lists(st.integers(0, 6000).map(D), min_size=1, max_size=6).map(tuple)))
        line_id = draw(st.sampled_from([f"line-{index}", "same"]))  # duplicate ids too
        lines.append(DealLine(line_id, draw(st.sampled_from(SKUS)), draw(quantity), draw(discount), ramp))
    currency = draw(st.sampled_from([*BOOK.currencies, "XXX", "KWD"]))
    term = draw(st.sampled_from([0, 1, 6, 12, 18, 24, 30, 36, 60]))
    billing = draw(st.sampled_from(["annual", "monthly", "weekly"]))
    return DealInput(currency, term, tuple(lines), billing)


def assert_as_before(deal: DealInput, book: PriceBook = BOOK) -> None:
    expected_public = before.public_view(price_deal(deal, book))
    expected_internal = before.internal_view(price_deal(deal, book))
    for first in ("public", "internal"):
        quote = price_deal(deal, book)
        views = {"public": public_view, "internal": internal_view}
        shown = {name: views[name](quote) for name in (first, *(set(views) - {first}))}
        again = public_view(quote), internal_view(quote)
        for view, expected in ((shown["public"], expected_public), (shown["internal"], expected_internal)):
            assert view == expected
            assert json.dumps(view) == json.dumps(expected)  # same keys in the same order, same types
        assert again == (expected_public, expected_internal)
        _assert_own(shown["public"], again[0])
        _assert_own(shown["internal"], again[1])
        _assert_own(shown["public"], shown["internal"])


def _assert_own(one: Any, other: Any) -> None:
    """No dict or list of one view is also in the other: changing one leaves the other as it was."""
    if isinstance(one, dict | list):
        assert one is not other
        # zip stops at the shorter: the internal view has the public keys first, then its own
        items = (
            zip(one.values(), other.values(), strict=False) if isinstance(one, dict) else zip(one, other, strict=False)
        )
        for mine, theirs in items:
            _assert_own(mine, theirs)


@settings(max_examples=300, deadline=None)
@given(deals())
def test_generated_deals_show_as_before(deal: DealInput) -> None:
    assert_as_before(deal)


def test_the_sample_deals_show_as_before() -> None:
    for lines in (0, 1, 4, 10, 100, 1000):
        assert_as_before(sample_deal(lines))
    for currency in ("EUR", "GBP", "JPY"):
        assert_as_before(sample_deal(50, currency=currency, term_months=30))


def test_a_changed_view_leaves_the_next_one_as_it_was() -> None:
    quote = price_deal(sample_deal(5), BOOK)
    first = internal_view(quote)
    first["lines"][0]["years"].append("9.99")
    first["lines"][0]["qty"] = "tampered"
    first["totals"]["years"].clear()
    first["violations"].append({"line_id": None, "rule": "x", "message": "x"})
    assert internal_view(quote) == before.internal_view(price_deal(sample_deal(5), BOOK))
    assert public_view(quote) == before.public_view(price_deal(sample_deal(5), BOOK))
