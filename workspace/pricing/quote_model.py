"""What the quote engine gives back: a priced line, the totals and the quote. Amounts are Decimal in the
deal's currency, rounded as `workspace.pricing.quote` documents; `views` turns them into strings.

These are plain (not frozen) dataclasses because a 1,000-line quote builds 1,000 of them within its
millisecond budget and frozen ones cost eight times as much to construct; treat them as read-only.
Differences (discounts, margin) are properties, computed from the stored rounded amounts when read."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_EVEN, Decimal

from workspace.pricing.catalog import BillingPeriod
from workspace.pricing.violations import Rule, Violation

_HUNDRED = Decimal(100)
_PERCENT = Decimal("0.01")
# Deal-level problems that leave every line unpriced (the lines carry no violation of their own then).
_DEAL_BLOCKERS = frozenset({Rule.CURRENCY, Rule.TERM})


def percent_of(part: Decimal, whole: Decimal) -> Decimal | None:
    """`part` as a percentage of `whole`, two places half-even; None when `whole` is zero."""
    if not whole:
        return None
    return (part * _HUNDRED / whole).quantize(_PERCENT, ROUND_HALF_EVEN)


class _Amounts:
    """Discounts and margin derived from `list_total`, `tier_total`, `net_total` and `cost_total`."""

    __slots__ = ()
    list_total: Decimal
    tier_total: Decimal
    net_total: Decimal
    cost_total: Decimal | None

    @property
    def volume_discount(self) -> Decimal:
        """What the volume tiers take off the list price."""
        return self.list_total - self.tier_total

    @property
    def negotiated_discount(self) -> Decimal:
        """What the requested discount takes off the tier price."""
        return self.tier_total - self.net_total

    @property
    def total_discount(self) -> Decimal:
        """List minus net: volume and negotiated discount together."""
        return self.list_total - self.net_total

    @property
    def total_discount_pct(self) -> Decimal:
        """The total discount as a percentage of the list total (0.00 for a free or empty quote)."""
        return percent_of(self.total_discount, self.list_total) or Decimal("0.00")

    @property
    def margin(self) -> Decimal | None:
        """Net minus cost; None when the cost is unknown."""
        return None if self.cost_total is None else self.net_total - self.cost_total

    @property
    def margin_pct(self) -> Decimal | None:
        """The margin as a percentage of net; None when unknown or when net is zero."""
        margin = self.margin
        return None if margin is None else percent_of(margin, self.net_total)


@dataclass(slots=True)
class LineQuote(_Amounts):
    """One line. Unit prices are per unit per `period`, at the first year's quantity, unrounded;
    `per_period` is the line's net amount for one such period; `years` its net amount in each contract year
    (a one-time item in the first). Totals are over the whole term. An unpriced line is all zeros."""

    id: str
    sku: str
    name: str
    period: BillingPeriod | None
    unit: str
    qty: Decimal
    year_qty: tuple[Decimal, ...]
    discount_pct: Decimal
    priced: bool
    list_unit: Decimal
    tier_unit: Decimal
    net_unit: Decimal
    per_period: Decimal
    years: tuple[Decimal, ...]
    annual_recurring: Decimal
    list_total: Decimal
    tier_total: Decimal
    net_total: Decimal
    cost_total: Decimal | None
    floor_unit: Decimal | None
    below_floor: bool

    @property
    def first_year(self) -> Decimal:
        """The net amount of the first contract year."""
        return self.years[0] if self.years else self.net_total


@dataclass(slots=True)
class Totals(_Amounts):
    """Sums of the lines' rounded amounts, whole term unless named otherwise. `cost_total` is None when a
    priced line has no cost in the deal's currency (then margin is unknown too). `below_floor` holds the
    sorted ids of the lines priced under their floor."""

    list_total: Decimal
    tier_total: Decimal
    net_total: Decimal
    years: tuple[Decimal, ...]
    first_year: Decimal
    annual_recurring: Decimal
    cost_total: Decimal | None
    max_line_discount_pct: Decimal
    below_floor: tuple[str, ...]


@dataclass(slots=True)
class Quote:
    """A priced deal: its lines in deal order, the totals and every violation found. `currencies` are the
    ones the price book prices (what the deal may be switched to)."""

    currency: str
    term_months: int
    billing: str
    book_version: int
    months: tuple[int, ...]
    lines: list[LineQuote]
    totals: Totals
    violations: list[Violation]
    currencies: tuple[str, ...] = ()
    # The strings `views` made of this quote, kept for the second view the room writes (not part of the quote).
    shown: object = field(default=None, repr=False, compare=False)

    @property
    def pricing_problems(self) -> list[Violation]:
        """Why the quote is not a complete price: the deal-level problems that stop all pricing (currency,
        term) and every violation of a line that could not be priced (unknown SKU, no price, invalid values).
        A line left unpriced without a violation of its own is explained by a deal-level problem."""
        unpriced = {line.id for line in self.lines if not line.priced}
        return [
            violation
            for violation in self.violations
            if (violation.line_id is None and violation.rule in _DEAL_BLOCKERS) or violation.line_id in unpriced
        ]

    @property
    def priceable(self) -> bool:
        """Whether every line is priced and nothing stops the quote as a whole: a total to rely on."""
        return all(line.priced for line in self.lines) and not any(
            violation.line_id is None and violation.rule in _DEAL_BLOCKERS for violation in self.violations
        )

    def line(self, line_id: str) -> LineQuote | None:
        """The first line with `line_id`, or None."""
        return next((line for line in self.lines if line.id == line_id), None)

    def violations_of(self, line_id: str | None) -> list[Violation]:
        """The violations shown on line `line_id` (None: on the deal as a whole)."""
        return [violation for violation in self.violations if violation.line_id == line_id]
