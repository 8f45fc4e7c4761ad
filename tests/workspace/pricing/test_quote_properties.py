"""Invariants of the quote engine over arbitrary deals on the sample price book (hypothesis)."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from workspace.pricing.catalog import BillingPeriod
from workspace.pricing.deal_input import DealInput, DealLine
from workspace.pricing.money import minor_units
from workspace.pricing.quote import price_deal
from workspace.pricing.quote_model import LineQuote, Quote
from workspace.pricing.samples import sample_book
from workspace.pricing.views import internal_view, public_view

BOOK = sample_book()
SKUS = [product.sku for product in BOOK.products] + ["NOPE"]
D = Decimal


@st.composite
def deal_lines(draw: st.DrawFn, count: int) -> list[DealLine]:
    lines = []
    for index in range(count):
        sku = draw(st.sampled_from(SKUS))
        qty = draw(st.one_of(st.integers(0, 3000).map(D), st.decimals(0, 3000, places=2)))
        discount = draw(st.one_of(st.sampled_from([D(0), D(100)]), st.decimals(0, 100, places=4)))
        ramp = draw(st.one_of(st.just(()), st.lists(st.integers(0, 6000).map(D), min_size=1, max_size=6).map(tuple)))
        lines.append(DealLine(f"line-{index}", sku, qty, discount, ramp))
    return lines


@st.composite
def deals(draw: st.DrawFn) -> DealInput:
    currency = draw(st.sampled_from(BOOK.currencies))
    term = draw(st.sampled_from([1, 6, 12, 18, 24, 30, 36, 60]))
    lines = draw(deal_lines(draw(st.integers(0, 12))))
    return DealInput(currency, term, tuple(lines))


def _money_fields(line: LineQuote) -> list[Decimal]:
    return [line.per_period, *line.years, line.annual_recurring, line.list_total, line.tier_total, line.net_total]


@given(deals())
def test_totals_equal_the_sum_of_the_lines(deal: DealInput) -> None:
    quote = price_deal(deal, BOOK)
    totals, lines = quote.totals, quote.lines
    assert totals.list_total == sum((ln.list_total for ln in lines), D(0))
    assert totals.tier_total == sum((ln.tier_total for ln in lines), D(0))
    assert totals.net_total == sum((ln.net_total for ln in lines), D(0))
    assert totals.annual_recurring == sum((ln.annual_recurring for ln in lines), D(0))
    assert totals.total_discount == sum((ln.total_discount for ln in lines), D(0))
    assert list(totals.years) == [sum((ln.years[y] for ln in lines), D(0)) for y in range(len(quote.months))]
    assert totals.first_year == (totals.years[0] if totals.years else 0)
    assert totals.net_total == sum(totals.years, D(0))
    if totals.cost_total is not None:
        assert totals.cost_total == sum((ln.cost_total or D(0) for ln in lines), D(0))
    for ln in lines:
        assert ln.net_total == sum(ln.years, D(0))  # a line's term is the sum of its years


@given(deals())
def test_no_price_is_ever_negative_and_discounts_only_lower_it(deal: DealInput) -> None:
    quote = price_deal(deal, BOOK)
    for ln in quote.lines:
        assert all(amount >= 0 for amount in _money_fields(ln)), ln
        assert 0 <= ln.net_unit <= ln.tier_unit <= ln.list_unit or not ln.priced
        assert 0 <= ln.net_total <= ln.tier_total <= ln.list_total
        assert ln.cost_total is None or ln.cost_total >= 0
    assert quote.totals.total_discount >= 0
    assert D(0) <= quote.totals.total_discount_pct <= D(100)


@given(deals())
def test_every_amount_is_in_whole_minor_units(deal: DealInput) -> None:
    quote = price_deal(deal, BOOK)
    places = minor_units(deal.currency)
    amounts = [amount for ln in quote.lines for amount in _money_fields(ln)]
    amounts += [quote.totals.net_total, quote.totals.list_total, *quote.totals.years]
    assert all(amount.as_tuple().exponent == -places for amount in amounts)


@given(deals())
def test_pricing_is_deterministic_and_stable_under_repricing_its_own_output(deal: DealInput) -> None:
    quote = price_deal(deal, BOOK)
    assert internal_view(price_deal(deal, BOOK)) == internal_view(quote)
    shown = public_view(quote)
    # Re-enter the quote as a client would, from the strings it was sent, and price it again.
    again = DealInput(
        shown["currency"],
        shown["term_months"],
        tuple(
            DealLine(
                view["id"],
                view["sku"],
                D(view["qty"]),
                D(view["discount_pct"]),
                _ramp_back(view, original),
            )
            for view, original in zip(shown["lines"], deal.lines, strict=True)
        ),
    )
    reshown = public_view(price_deal(again, BOOK))
    assert reshown["lines"] == shown["lines"]
    assert reshown["totals"] == shown["totals"]


def _ramp_back(view: dict[str, object], original: DealLine) -> tuple[Decimal, ...]:
    year_qty = view["year_qty"]
    assert isinstance(year_qty, list)
    if not original.ramp or view["period"] in (None, BillingPeriod.ONE_TIME.value):
        return ()
    return tuple(D(qty) for qty in year_qty)


@given(st.data())
def test_the_order_of_the_lines_changes_nothing(data: st.DataObject) -> None:
    deal = data.draw(deals())
    shuffled = data.draw(st.permutations(deal.lines))
    first = price_deal(deal, BOOK)
    second = price_deal(DealInput(deal.currency, deal.term_months, tuple(shuffled)), BOOK)
    assert second.totals == first.totals
    assert _by_id(second) == _by_id(first)
    assert sorted(second.violations, key=repr) == sorted(first.violations, key=repr)


def _by_id(quote: Quote) -> dict[str, LineQuote]:
    return {line.id: line for line in quote.lines}


@given(
    st.sampled_from(["PLAT-PRO", "PLAT-ENT"]), st.integers(0, 6000), st.integers(0, 6000), st.decimals(0, 100, places=2)
)
def test_more_seats_never_cost_less_under_graduated_tiers(sku: str, first: int, second: int, discount: Decimal) -> None:
    low, high = sorted([first, second])
    lines = (DealLine("low", sku, D(low), discount), DealLine("high", sku, D(high), discount))
    cheaper, dearer = price_deal(DealInput("EUR", 12, lines), BOOK).lines
    assert cheaper.tier_total <= dearer.tier_total
    assert cheaper.net_total <= dearer.net_total


@given(st.sampled_from(["ADD-AI", "API-PACK", "TRAIN-SEAT"]), st.integers(1, 1000), st.sampled_from(BOOK.currencies))
def test_all_units_prices_the_whole_line_at_the_tier_of_its_quantity(sku: str, qty: int, currency: str) -> None:
    product = BOOK.product(sku)
    assert product is not None
    expected = [tier.unit_price[currency] for tier in product.tiers if tier.from_qty <= qty][-1]
    line = price_deal(DealInput(currency, 12, (DealLine("a", sku, D(qty)),)), BOOK).lines[0]
    assert line.tier_unit == expected
    assert line.per_period == qty * expected


_ANY_DECIMAL = st.decimals(allow_nan=True, allow_infinity=True)


@given(
    st.lists(
        st.tuples(st.sampled_from(SKUS), _ANY_DECIMAL, _ANY_DECIMAL, st.lists(_ANY_DECIMAL, max_size=4)), max_size=6
    ),
    st.integers(-5, 200),
)
def test_garbage_from_a_client_becomes_violations_never_an_exception(
    raw: list[tuple[str, Decimal, Decimal, list[Decimal]]], term: int
) -> None:
    lines = tuple(DealLine(f"l{i}", sku, qty, pct, tuple(ramp)) for i, (sku, qty, pct, ramp) in enumerate(raw))
    quote = price_deal(DealInput("USD", term, lines), BOOK)
    for ln in quote.lines:
        assert ln.net_total >= 0
        if not ln.priced:
            assert ln.net_total == 0
    assert public_view(quote)["totals"]["net_total"] == f"{quote.totals.net_total:f}"
