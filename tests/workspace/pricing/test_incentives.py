"""The rep's commission estimate: the plan as data, its layers in plain words, and its invariants."""

from __future__ import annotations

import copy
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from workspace.pricing.errors import IncentivePlanInvalid
from workspace.pricing.incentive_plan import Basis, load_incentive_plan
from workspace.pricing.incentives import estimate, fiscal_quarter
from workspace.pricing.quote import price_deal
from workspace.pricing.samples import SAMPLE_INCENTIVE_PLAN, sample_book, sample_incentive_plan

from ._deals import deal, line

BOOK = sample_book()
PLAN = sample_incentive_plan()
D = Decimal
MID_QUARTER = date(2027, 3, 15)  # FY starts in February: day 43 of the quarter Feb 1 - Apr 30, no timing window


def _plan(**changes: Any) -> dict[str, Any]:
    data = copy.deepcopy(SAMPLE_INCENTIVE_PLAN)
    data.update(changes)
    return data


def test_base_rate_alone() -> None:
    quote = price_deal(deal(line("PLAT-TEAM", 50)), BOOK)  # 50 x 20 x 12 = 12,000 first year
    result = estimate(quote, PLAN, None, MID_QUARTER)
    assert result.total == D("960.00")
    assert [(layer.name, layer.amount, layer.explanation) for layer in result.layers] == [
        ("Base rate", D("960.00"), "8% of USD 12,000.00 first-year value."),
    ]


def test_pushed_and_de_emphasised_products_change_the_rate_on_their_lines() -> None:
    # Enterprise 100 users: 90,000 first year at 10 %; 10 services days: 18,000 at 2 %.
    quote = price_deal(deal(line("PLAT-ENT", 100), line("PS-DAY", 10)), BOOK)
    result = estimate(quote, PLAN, None, MID_QUARTER)
    assert [(layer.name, layer.amount) for layer in result.layers] == [
        ("Base rate", D("8640.00")),
        ("Platform Enterprise rate", D("1800.00")),
        ("Professional services rate", D("-1080.00")),
    ]
    assert result.total == D("9360.00")  # 9,000 + 360
    assert result.layers[1].explanation == ("Platform Enterprise pays 10% instead of 8%: 2% more on USD 90,000.00.")
    assert result.layers[2].explanation == "Professional services pays 2% instead of 8%: 6% less on USD 18,000.00."


def test_vertical_and_quarter_end_multiply_the_rate_commission_not_the_spif() -> None:
    # 120 AI seats earn the SPIF; the deal closes 10 days before the quarter ends, in healthcare.
    quote = price_deal(deal(line("PLAT-TEAM", 50), line("ADD-AI", 120)), BOOK)
    result = estimate(quote, PLAN, "healthcare", date(2027, 4, 20))
    rate = D("12000") * D("0.08") + D("19440") * D("0.12")  # AI: 120 x 13.50 x 12 = 19,440 at 12 %
    assert [(layer.name, layer.amount) for layer in result.layers] == [
        ("Base rate", D("2515.20")),
        ("AI Assistant add-on rate", D("777.60")),
        ("Vertical: healthcare", (rate * D("0.25")).quantize(D("0.01"))),
        ("Timing: Quarter-end push", (rate * D("1.25") * D("0.2")).quantize(D("0.01"))),
        ("SPIF: AI launch SPIF", D("1000.00")),
    ]
    assert result.total == (rate * D("1.25") * D("1.2") + 1000).quantize(D("0.01"))
    assert result.layers[2].explanation == (
        "Deals in the healthcare vertical pay 1.25 times the rate commission of USD 3,292.80."
    )
    assert result.layers[3].explanation.startswith(
        "Closes 2027-04-20, day 79 of the quarter 2027-02-01 to 2027-04-30 (10 days before its end)."
    )
    assert result.layers[4].explanation == "120 of AI Assistant add-on on the quote; at least 100 earn USD 1,000.00."


def test_an_early_close_decelerates_and_an_unearned_spif_becomes_a_hint() -> None:
    quote = price_deal(deal(line("PLAT-PRO", 50), line("ADD-SANDBOX", 1)), BOOK)
    result = estimate(quote, PLAN, "retail", date(2027, 5, 10))  # day 10 of May - July
    assert [layer.name for layer in result.layers] == ["Base rate", "Timing: Early in the quarter"]
    assert result.layers[1].amount == -(result.layers[0].amount * D("0.1")).quantize(D("0.01"))
    assert "Sandbox SPIF: sell 3 of Sandbox environment for a bonus of USD 500.00; this quote has 1." in result.hints


def test_the_cap_limits_one_deal() -> None:
    quote = price_deal(deal(line("PLAT-ENT", 2000, 10), line("ADD-AI", 500)), BOOK)
    result = estimate(quote, PLAN, "healthcare", date(2027, 4, 29))
    assert result.total == D("60000.00")
    assert result.layers[-1].name == "Cap"
    assert result.layers[-1].explanation == "The plan caps the commission on one deal at USD 60,000.00."


def test_spifs_without_a_bonus_in_the_deal_currency_say_so() -> None:
    quote = price_deal(deal(line("PLAT-TEAM", 10), line("ADD-AI", 150), currency="GBP"), BOOK)
    result = estimate(quote, PLAN, None, MID_QUARTER)
    assert "AI launch SPIF pays no bonus on deals in GBP." in result.hints
    assert all(not layer.name.startswith("SPIF") for layer in result.layers)


def test_basis_can_be_the_whole_term() -> None:
    plan = load_incentive_plan(_plan(basis="term", product_rates_pct={}, spifs=[], timing=[], verticals={}))
    quote = price_deal(deal(line("PLAT-TEAM", 10), term=36), BOOK)  # 10 x 20 x 36 = 7,200
    result = estimate(quote, plan, None, MID_QUARTER)
    assert plan.basis is Basis.TERM
    assert result.total == D("576.00")
    assert result.layers[0].explanation == "8% of USD 7,200.00 whole-term value."


@pytest.mark.parametrize(
    ("day", "start_month", "quarter"),
    [
        (date(2027, 1, 15), 1, (date(2027, 1, 1), date(2027, 3, 31))),
        (date(2027, 1, 15), 2, (date(2026, 11, 1), date(2027, 1, 31))),
        (date(2027, 12, 31), 11, (date(2027, 11, 1), date(2028, 1, 31))),
        (date(2028, 2, 29), 12, (date(2027, 12, 1), date(2028, 2, 29))),
    ],
)
def test_fiscal_quarters(day: date, start_month: int, quarter: tuple[date, date]) -> None:
    assert fiscal_quarter(day, start_month) == quarter


def test_an_invalid_plan_lists_every_problem_with_its_path() -> None:
    data = _plan(
        base_rate_pct="8.123456",
        basis="bookings",
        bonus_pool="1",
        verticals={"healthcare": "-1"},
        spifs=[{"name": "Zero", "sku": "ADD-AI", "min_qty": "0", "bonus": {"USD": "10.005"}}],
        timing=[
            {"name": "Backwards", "from_day": -1, "to_day": -14, "multiplier": "1.2"},
            {"name": "Zero", "from_day": 0, "to_day": 5, "multiplier": "1"},
        ],
        fiscal_year_start_month=13,
    )
    with pytest.raises(IncentivePlanInvalid) as caught:
        load_incentive_plan(data)
    assert caught.value.errors == [
        "bonus_pool is not a known field",
        "basis must be one of first_year, annual_recurring, term",
        "base_rate_pct is invalid: '8.123456' has 6 decimal places; at most 4 are allowed",
        "verticals.healthcare is invalid: '-1' must not be negative",
        "spifs[0].min_qty must be more than 0",
        "spifs[0].bonus.USD is invalid: '10.005' has 3 decimal places; at most 2 are allowed",
        "timing[0].to_day must not come before from_day (-1)",
        "timing[1].from_day must not be 0 (1 is the first day of the quarter, -1 the last)",
        "fiscal_year_start_month must be between 1 and 12",
    ]


@given(
    st.lists(
        st.tuples(st.sampled_from(["PLAT-ENT", "ADD-AI", "PS-DAY", "SMS", "ADD-SANDBOX"]), st.integers(0, 3000)),
        max_size=8,
    ),
    st.sampled_from([None, "healthcare", "public_sector", "retail"]),
    st.dates(date(2026, 1, 1), date(2029, 12, 31)),
    st.sampled_from(["USD", "EUR", "JPY"]),
)
def test_the_layers_add_up_to_a_total_between_zero_and_the_cap(
    items: list[tuple[str, int]], vertical: str | None, closes: date, currency: str
) -> None:
    lines = [line("PLAT-ENT", 50, id="base")] + [line(sku, qty, id=f"l{i}") for i, (sku, qty) in enumerate(items)]
    result = estimate(price_deal(deal(*lines, currency=currency), BOOK), PLAN, vertical, closes)
    assert result.total == sum((layer.amount for layer in result.layers), D(0))
    assert result.total >= 0
    cap = PLAN.cap.get(currency)
    assert cap is None or result.total <= cap
