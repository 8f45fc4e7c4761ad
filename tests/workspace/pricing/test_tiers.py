"""Volume tiers: graduated and all-units pricing, checked against a unit-by-unit reference."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from workspace.pricing.tiers import TierMode, TierTable

D = Decimal
# Platform Professional in USD: units 1-100 at 45, 101-500 at 40, 501-2000 at 36, 2001+ at 32.
PRO = [(D(1), D("45.00")), (D(101), D("40.00")), (D(501), D("36.00")), (D(2001), D("32.00"))]


def test_graduated_prices_each_unit_in_its_own_tier() -> None:
    table = TierTable.build(TierMode.GRADUATED, PRO)
    assert table.amount(D(100)) == D("4500.00")
    assert table.amount(D(150)) == D("6500.00")  # 100 x 45 + 50 x 40
    assert table.amount(D(600)) == D("24100.00")  # 4500 + 400 x 40 + 100 x 36
    assert table.unit_price(D(150)) == D(6500) / D(150)


def test_all_units_prices_every_unit_at_the_tier_of_the_last_one() -> None:
    table = TierTable.build(TierMode.ALL_UNITS, PRO)
    assert table.amount(D(100)) == D("4500.00")
    assert table.amount(D(101)) == D("4040.00")  # the whole quantity drops to 40
    assert table.unit_price(D(101)) == D("40.00")
    assert table.unit_price(D(5000)) == D("32.00")


def test_zero_and_fractional_quantities() -> None:
    graduated = TierTable.build(TierMode.GRADUATED, PRO)
    assert graduated.amount(D(0)) == 0
    assert graduated.unit_price(D(0)) == D("45.00")
    # 100.5 units: the last half unit falls in the tier from unit 101, in both modes.
    assert graduated.amount(D("100.5")) == D("4520.00")
    assert TierTable.build(TierMode.ALL_UNITS, PRO).unit_price(D("100.5")) == D("40.00")


def test_a_table_refuses_tiers_that_do_not_start_at_one_or_do_not_increase() -> None:
    with pytest.raises(ValueError, match="start at unit 1"):
        TierTable.build(TierMode.GRADUATED, [(D(0), D(1))])
    with pytest.raises(ValueError, match="strictly increase"):
        TierTable.build(TierMode.GRADUATED, [(D(1), D(2)), (D(10), D(1)), (D(10), D(1))])


@st.composite
def tier_steps(draw: st.DrawFn) -> list[tuple[Decimal, Decimal]]:
    """1 to 6 tiers from unit 1 with strictly increasing starts and non-increasing prices."""
    count = draw(st.integers(1, 6))
    starts = sorted(draw(st.sets(st.integers(2, 400), min_size=count - 1, max_size=count - 1)))
    prices = sorted(
        draw(st.lists(st.decimals(0, 500, places=2), min_size=count, max_size=count)),
        reverse=True,
    )
    return [(D(start), price) for start, price in zip([1, *starts], prices, strict=True)]


def _price_of_unit(steps: list[tuple[Decimal, Decimal]], unit: int) -> Decimal:
    return [price for start, price in steps if start <= unit][-1]


@given(tier_steps(), st.integers(0, 600))
def test_graduated_equals_pricing_unit_by_unit(steps: list[tuple[Decimal, Decimal]], qty: int) -> None:
    table = TierTable.build(TierMode.GRADUATED, steps)
    reference = sum((_price_of_unit(steps, unit) for unit in range(1, qty + 1)), D(0))
    assert table.amount(D(qty)) == reference


@given(tier_steps(), st.integers(1, 600))
def test_all_units_picks_the_tier_of_the_quantity(steps: list[tuple[Decimal, Decimal]], qty: int) -> None:
    table = TierTable.build(TierMode.ALL_UNITS, steps)
    assert table.unit_price(D(qty)) == _price_of_unit(steps, qty)
    assert table.amount(D(qty)) == qty * _price_of_unit(steps, qty)


@given(tier_steps(), st.decimals(0, 5000, places=2), st.decimals(0, 5000, places=2))
def test_graduated_total_never_falls_as_quantity_rises(
    steps: list[tuple[Decimal, Decimal]], first: Decimal, second: Decimal
) -> None:
    table = TierTable.build(TierMode.GRADUATED, steps)
    low, high = sorted([first, second])
    assert 0 <= table.amount(low) <= table.amount(high)
