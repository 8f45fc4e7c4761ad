"""The sample book, plan and deals that demo data and the quote benchmark rely on."""

from __future__ import annotations

from datetime import date

import pytest

from workspace.pricing.incentives import estimate
from workspace.pricing.quote import price_deal
from workspace.pricing.samples import sample_book, sample_deal, sample_incentive_plan

BOOK = sample_book()


@pytest.mark.parametrize("n_lines", [1, 2, 4, 5, 10, 100, 1000])
@pytest.mark.parametrize("currency", ["USD", "EUR", "GBP", "JPY"])
def test_sample_deals_of_any_size_price_cleanly(n_lines: int, currency: str) -> None:
    sample = sample_deal(n_lines, currency=currency)
    quote = price_deal(sample, BOOK)
    assert len(quote.lines) == n_lines
    assert len({line.id for line in quote.lines}) == n_lines
    assert quote.violations == []
    assert all(line.priced for line in quote.lines)
    assert quote.totals.net_total > 0 and quote.totals.margin is not None


def test_the_sample_deal_is_a_three_year_ramped_enterprise_deal() -> None:
    quote = price_deal(sample_deal(10), BOOK)
    platform = quote.lines[0]
    assert quote.months == (12, 12, 12)
    assert platform.sku == "PLAT-ENT" and len(set(platform.year_qty)) == 3
    assert quote.totals.years[0] < quote.totals.years[1] < quote.totals.years[2]


def test_the_sample_plan_estimates_the_sample_deal() -> None:
    result = estimate(price_deal(sample_deal(10), BOOK), sample_incentive_plan(), "healthcare", date(2027, 4, 20))
    assert result.total > 0
    assert result.total == sum(layer.amount for layer in result.layers)
    assert any(layer.name.startswith("SPIF") for layer in result.layers)
