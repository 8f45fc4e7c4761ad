"""Quotas per rep and fiscal quarter, attainment tiers, and how a deal's commission is accelerated by them."""

from __future__ import annotations

import copy
from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from workspace.pricing.errors import IncentivePlanInvalid
from workspace.pricing.incentive_plan import load_incentive_plan
from workspace.pricing.incentives import estimate
from workspace.pricing.quotas import Standing, fiscal_quarter, move, period_label
from workspace.pricing.quote import price_deal
from workspace.pricing.samples import SAMPLE_INCENTIVE_PLAN, sample_book

from ._deals import deal, line

D = Decimal
BOOK = sample_book()
MID_QUARTER = date(2027, 3, 15)  # no timing window of the sample plan


def _plan(**changes: Any) -> dict[str, Any]:
    data = copy.deepcopy(SAMPLE_INCENTIVE_PLAN)
    data.update(changes)
    return data


def _problems(data: dict[str, Any]) -> list[str]:
    with pytest.raises(IncentivePlanInvalid) as caught:
        load_incentive_plan(data)
    return list(caught.value.errors)


def test_the_sample_plan_has_the_demo_reps_quota_and_three_tiers() -> None:
    plan = load_incentive_plan(SAMPLE_INCENTIVE_PLAN)
    quota = plan.quota_of("Rep@Demo.test")
    assert quota is not None and quota.currency == "USD" and quota.amount(date(2026, 11, 1)) == D("250000.00")
    assert [(t.from_pct, t.label) for t in plan.tiers] == [(D(0), "1x"), (D(100), "1.5x"), (D(150), "2x")]
    assert plan.quota_of("nobody@demo.test") is None


def test_a_named_quarter_overrides_the_quarterly_quota() -> None:
    quotas = {"a@x.test": {"currency": "EUR", "quarterly": "100000", "periods": {"2027-02": "150000.00"}}}
    quota = load_incentive_plan(_plan(quotas=quotas)).quota_of("a@x.test")
    assert quota is not None
    assert quota.amount(date(2027, 2, 1)) == D(150000) and quota.amount(date(2027, 5, 1)) == D(100000)


def test_fiscal_quarters_and_their_names_follow_the_plans_first_month() -> None:
    assert fiscal_quarter(date(2027, 1, 20), 2) == (date(2026, 11, 1), date(2027, 1, 31))
    assert period_label(date(2026, 11, 1), 2) == "FY2027 Q4"  # Feb 2026 - Jan 2027 ends in 2027
    assert period_label(date(2027, 2, 1), 2) == "FY2028 Q1"
    assert period_label(date(2027, 4, 1), 1) == "FY2027 Q2"


def test_quotas_and_tiers_are_refused_with_precise_errors() -> None:
    problems = _problems(_plan(
        quotas={
            "not-an-email": {"currency": "USD", "quarterly": "1000"},
            "b@x.test": {"currency": "XXX", "quarterly": "1000"},
            "c@x.test": {"currency": "USD", "quarterly": "0"},
            "d@x.test": {"currency": "USD", "quarterly": "100", "periods": {"2027-03": "5"}, "extra": 1},
            "e@x.test": {"currency": "USD", "quarterly": 1000.5},
        },
        tiers=[{"from_pct": "10", "multiplier": "1"}, {"from_pct": "5", "multiplier": "11"}],
    ))  # fmt: skip
    expected = [
        "quotas.not-an-email must be keyed by the rep's email address",
        "quotas.b@x.test.currency is not a known currency code",
        "quotas.c@x.test.quarterly must be more than 0",
        "quotas.d@x.test.extra is not a known field",
        'quotas.d@x.test.periods.2027-03 must be the first month of a fiscal quarter as "YYYY-MM" (Feb, May, Aug, Nov)',
        "tiers[0].from_pct must be 0: the first tier starts at no attainment",
        "tiers[1].multiplier must not exceed 10",
    ]
    for message in expected:
        assert message in problems, (message, problems)
    assert any(p.startswith("quotas.e@x.test.quarterly must be a string") for p in problems)
    decreasing = _problems(_plan(tiers=[{"from_pct": "0", "multiplier": "1"}, {"from_pct": "0", "multiplier": "2"}]))
    assert decreasing == ["tiers[1].from_pct must be more than the tier before (0)"]
    twice = _problems(_plan(quotas={"a@x.test": {"currency": "USD", "quarterly": "1"},
                                    "A@x.test": {"currency": "USD", "quarterly": "2"}}))  # fmt: skip
    assert twice == ["quotas.A@x.test names a rep already given a quota (emails are compared without case)"]


def test_a_deal_is_paid_per_tier_it_runs_through() -> None:
    plan = load_incentive_plan(SAMPLE_INCENTIVE_PLAN)
    moved = move(plan.tiers, Standing("USD", D(100), D(92)), D(26))
    assert (moved.before_pct, moved.after_pct) == (D(92), D(118))
    assert (moved.tier_before.label, moved.tier_after.label) == ("1x", "1.5x")
    assert [(tier.label, share) for tier, share in moved.parts] == [("1x", D(8)), ("1.5x", D(18))]
    assert moved.factor == (D(8) + D(18) * D("1.5")) / D(26)
    far = move(plan.tiers, Standing("USD", D(100), D(140)), D(20))  # 140 -> 160: 10 at 1.5x, 10 at 2x
    assert far.factor == D("1.75") and far.tier_after.label == "2x"


def test_the_estimate_accelerates_the_rate_commission_and_says_how_attainment_moves() -> None:
    plan = load_incentive_plan(SAMPLE_INCENTIVE_PLAN)
    quote = price_deal(deal(line("PLAT-TEAM", 50)), BOOK)  # 12,000.00 first year; 8 %: 960.00
    plain = estimate(quote, plan, None, MID_QUARTER)
    assert plain.total == D("960.00") and plain.move is None and plain.credit == D("12000.00")
    # Quota 20,000, 14,000 closed: 70 % -> 130 %, 30 points at 1x and 30 at 1.5x: 960 x 1.25 = 1,200.
    result = estimate(quote, plan, None, MID_QUARTER, Standing("USD", D(20000), D(14000)))
    assert result.total == D("1200.00")
    assert result.layers[-1].name == "Accelerator" and result.layers[-1].amount == D("240.00")
    assert "from 70% to 130% (30% of quota at 1x, 30% of quota at 1.5x)" in result.layers[-1].explanation
    assert result.move is not None and result.move.tier_after.label == "1.5x"
    # Within the first tier nothing is added; a quota in another currency does not count.
    assert estimate(quote, plan, None, MID_QUARTER, Standing("USD", D(100000), D(0))).total == D("960.00")
    assert estimate(quote, plan, None, MID_QUARTER, Standing("EUR", D(100), D(0))).move is None


def test_the_cap_applies_after_the_accelerator() -> None:
    plan = load_incentive_plan(_plan(cap={"USD": "1000.00"}))
    quote = price_deal(deal(line("PLAT-TEAM", 50)), BOOK)
    assert estimate(quote, plan, None, MID_QUARTER, Standing("USD", D(1000), D(2000))).total == D("1000.00")
