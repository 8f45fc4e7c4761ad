"""The quote engine on realistic SaaS deals, with amounts worked out by hand."""

from __future__ import annotations

from decimal import Decimal, localcontext

from workspace.pricing.catalog import BillingPeriod
from workspace.pricing.money import format_unit_price
from workspace.pricing.quote import price_deal
from workspace.pricing.samples import sample_book
from workspace.pricing.violations import Rule

from ._deals import deal, line

BOOK = sample_book()
D = Decimal


def test_graduated_seats_with_a_discount_for_one_year() -> None:
    # Platform Professional, 150 users: 100 x 45 + 50 x 40 = 6,500 a month; 10 % off = 5,850.
    quote = price_deal(deal(line("PLAT-PRO", 150, 10)), BOOK)
    pro = quote.lines[0]
    assert pro.priced and pro.period is BillingPeriod.MONTHLY and pro.unit == "users"
    assert pro.list_unit == D("45.00")
    assert format_unit_price(pro.tier_unit, "USD") == "43.333333"  # the average over the tiers
    assert format_unit_price(pro.net_unit, "USD") == "39.00"
    assert pro.per_period == D("5850.00")
    assert pro.years == (D("70200.00"),)
    assert pro.list_total == D("81000.00")
    assert pro.volume_discount == D("3000.00")
    assert pro.negotiated_discount == D("7800.00")
    assert pro.total_discount == D("10800.00")
    assert pro.net_total == pro.first_year == pro.annual_recurring == D("70200.00")
    assert pro.cost_total == D("13500.00")  # 7.50 x 150 x 12
    assert pro.margin == D("56700.00")
    assert pro.margin_pct == D("80.77")
    assert not pro.below_floor
    assert quote.totals.total_discount_pct == D("13.33")  # 10,800 of 81,000
    assert quote.violations == []


def test_all_units_tier_applies_from_its_first_unit() -> None:
    quote = price_deal(deal(line("PLAT-PRO", 100), line("ADD-AI", 99, id="99"), line("ADD-AI", 100, id="100")), BOOK)
    ai_99, ai_100 = quote.line("99"), quote.line("100")
    assert ai_99 is not None and ai_100 is not None
    assert (ai_99.tier_unit, ai_99.per_period) == (D("15.00"), D("1485.00"))
    assert (ai_100.tier_unit, ai_100.per_period) == (D("13.50"), D("1350.00"))  # more seats, lower bill


def test_a_ramped_multi_year_line_prices_each_year_at_its_own_tier() -> None:
    # Year 1: 100 x 75 = 7,500 a month. Years 2 and 3: 250 x 75 + 50 x 68 = 22,150 a month.
    quote = price_deal(deal(line("PLAT-ENT", 100, ramp=(100, 300, 300)), term=36), BOOK)
    ent = quote.lines[0]
    assert ent.year_qty == (D(100), D(300), D(300))
    assert ent.years == (D("90000.00"), D("265800.00"), D("265800.00"))
    assert ent.net_total == D("621600.00")
    assert quote.totals.years == ent.years
    assert quote.totals.first_year == D("90000.00")
    assert quote.violations == []


def test_annual_and_monthly_products_over_a_partial_last_year() -> None:
    # 18 months = a year and a half: annual support is prorated, monthly seats billed per month.
    quote = price_deal(deal(line("PLAT-TEAM", 10), line("SUP-PREM", 1), term=18), BOOK)
    team, support = quote.lines
    assert quote.months == (12, 6)
    assert team.years == (D("2400.00"), D("1200.00"))
    assert support.years == (D("18000.00"), D("9000.00"))
    assert support.annual_recurring == D("18000.00")
    assert quote.totals.net_total == D("30600.00")
    assert quote.totals.first_year == D("20400.00")


def test_one_time_items_are_billed_in_the_first_year_only() -> None:
    quote = price_deal(deal(line("PLAT-ENT", 50), line("PS-DAY", "2.5", 10), line("TRAIN-SEAT", 20), term=36), BOOK)
    _, days, training = quote.lines
    assert days.years == (D("4050.00"), D("0.00"), D("0.00"))  # 2.5 x 1,800 x 0.9
    assert days.annual_recurring == D("0.00")
    assert training.tier_unit == D("300.00") and training.net_total == D("6000.00")
    assert quote.totals.annual_recurring == D("45000.00")  # 50 x 75 x 12: services are not recurring


def test_each_year_is_rounded_once_and_the_term_is_the_sum_of_the_years() -> None:
    # 12,345 SMS at 0.0079 = 97.5255 a month; a year is 1,170.306 -> 1,170.31; three years 3,510.93
    # (rounding the whole term once would give 3,510.92: the documented rule is per line per year).
    quote = price_deal(deal(line("PLAT-TEAM", 1), line("SMS", 12345), term=36), BOOK)
    sms = quote.lines[1]
    assert sms.net_unit == D("0.0079")
    assert sms.per_period == D("97.53")
    assert sms.years == (D("1170.31"),) * 3
    assert sms.net_total == D("3510.93")


def test_ties_round_half_even() -> None:
    # 350 x (1 - 0.15 %) = 349.475 -> 349.48 (to the even 8); 350 x (1 - 0.005 %) = 349.9825 -> 349.98.
    quote = price_deal(deal(line("TRAIN-SEAT", 1, "0.15", id="a"), line("TRAIN-SEAT", 1, "0.005", id="b")), BOOK)
    assert [ln.net_total for ln in quote.lines] == [D("349.48"), D("349.98")]
    # JPY rounds to whole yen.
    jpy = price_deal(deal(line("PLAT-TEAM", 1), line("SMS", 1001), currency="JPY"), BOOK)
    assert jpy.lines[1].per_period == D("1201")  # 1.2 x 1,001 = 1,201.2
    assert jpy.lines[1].years == (D("14414"),)  # 14,414.4


def test_a_discount_under_the_floor_is_flagged_not_refused() -> None:
    quote = price_deal(deal(line("PLAT-ENT", 100, 45, id="ent"), line("PS-DAY", 1, 20, id="ps")), BOOK)
    ent, days = quote.lines
    assert ent.net_unit == D("41.25") and ent.floor_unit == D("45.00") and ent.below_floor
    assert days.net_unit == D("1440.00") and not days.below_floor  # floor 1,400
    assert quote.totals.below_floor == ("ent",)
    assert quote.totals.max_line_discount_pct == D(45)
    assert quote.violations == []


def test_full_discount_prices_at_zero_and_never_below() -> None:
    quote = price_deal(deal(line("PLAT-ENT", 60, 100)), BOOK)
    ent = quote.lines[0]
    assert ent.net_total == D("0.00") and ent.total_discount == ent.list_total == D("54000.00")
    assert ent.margin == D("-6840.00")  # the cost is still there: 9.50 x 60 x 12
    assert ent.margin_pct is None  # no net to take a percentage of
    assert quote.totals.total_discount_pct == D("100.00")


def test_bad_lines_are_reported_and_left_out_of_the_totals() -> None:
    quote = price_deal(
        deal(
            line("PLAT-ENT", 60, id="good"),
            line("NOPE", 5, id="unknown"),
            line("ADD-SSO", 60, 120, id="discount"),
            line("ADD-SSO", -1, id="negative"),
            line("ADD-SSO", "0.00001", id="fine-grained"),
        ),
        BOOK,
    )
    assert [(v.line_id, v.rule) for v in quote.violations] == [
        ("unknown", Rule.UNKNOWN_SKU),
        ("discount", Rule.INVALID_DISCOUNT),
        ("negative", Rule.INVALID_QTY),
        ("fine-grained", Rule.INVALID_QTY),
    ]
    assert quote.violations_of("discount")[0].message == "The discount must be between 0% and 100%, not 120%."
    assert quote.violations_of("negative")[0].message == "The quantity cannot be negative."
    assert [ln.priced for ln in quote.lines] == [True, False, False, False, False]
    assert quote.totals.net_total == quote.lines[0].net_total == D("54000.00")


def test_a_currency_or_term_the_book_cannot_price_is_a_deal_level_violation() -> None:
    quote = price_deal(deal(line("PLAT-ENT", 60), currency="CHF", term=0, billing="weekly"), BOOK)
    assert [(v.line_id, v.rule) for v in quote.violations] == [
        (None, Rule.CURRENCY),
        (None, Rule.TERM),
        (None, Rule.BILLING),
    ]
    assert quote.violations[0].message == "The price book has no prices in CHF; it offers USD, EUR, GBP, JPY."
    assert quote.violations[1].message == "The term must be between 1 and 120 months, not 0."
    assert not quote.lines[0].priced and quote.totals.net_total == 0


def test_a_ramp_that_does_not_fit_the_term_is_priced_and_explained() -> None:
    quote = price_deal(deal(line("PLAT-ENT", 100, ramp=(100, 200)), line("PS-ONBOARD", 1, ramp=(1, 1)), term=36), BOOK)
    ent, onboarding = quote.lines
    assert ent.year_qty == (D(100), D(200), D(200))
    assert onboarding.year_qty == (D(1),) and onboarding.net_total == D("7500.00")
    assert [v.message for v in quote.violations] == [
        "The ramp covers 2 years but the term has 3 years; the last quantity (200) continues.",
        "A one-time item cannot ramp; it is priced once at the quantity.",
    ]


def test_duplicate_line_ids_are_reported() -> None:
    quote = price_deal(deal(line("PLAT-TEAM", 5, id="x"), line("PLAT-TEAM", 5, id="x")), BOOK)
    assert [(v.line_id, v.rule) for v in quote.violations] == [("x", Rule.DUPLICATE_LINE)]
    assert [ln.priced for ln in quote.lines] == [True, False]


def test_unknown_cost_makes_margin_unknown_rather_than_wrong() -> None:
    quote = price_deal(deal(line("PLAT-TEAM", 5), line("LEGACY-ANALYTICS", 5)), BOOK)
    assert quote.lines[1].cost_total is None and quote.lines[1].margin is None
    assert quote.totals.cost_total is None and quote.totals.margin is None and quote.totals.margin_pct is None
    assert quote.totals.net_total == D("1800.00")  # 5 x 20 x 12 + 5 x 10 x 12: a retired product still prices


def test_the_callers_decimal_context_does_not_change_prices() -> None:
    expected = price_deal(deal(line("PLAT-PRO", 150, "12.3456"), line("SUP-PREM", 1), term=30), BOOK)
    with localcontext() as context:
        context.prec = 5
        context.rounding = "ROUND_UP"
        assert price_deal(deal(line("PLAT-PRO", 150, "12.3456"), line("SUP-PREM", 1), term=30), BOOK) == expected


def test_an_empty_deal_prices_to_zero() -> None:
    quote = price_deal(deal(term=24), BOOK)
    assert quote.lines == [] and quote.violations == []
    assert quote.totals.net_total == D("0.00") and quote.totals.years == (D("0.00"), D("0.00"))
    assert quote.totals.total_discount_pct == D("0.00") and quote.totals.margin_pct is None
