"""Where each rep stands against quota, from their deals' credits (pure; the rule is `workspace.pricing.quotas`'s).

A closed deal counts in the fiscal quarter of its close date, in the order deals closed (close date, then the
moment of approval or export): each closed deal's standing is the credit closed before it, an open deal's is
everything closed in its quarter."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from workspace.pricing import IncentivePlan
from workspace.pricing.money import format_money
from workspace.pricing.quotas import Standing, fiscal_quarter, percent, period_key, period_label, tier_at

_ZERO = Decimal(0)
_NEVER = datetime.max


@dataclass(frozen=True)
class Credit:
    """One deal as attainment sees it."""

    room_id: str
    owner_email: str
    currency: str
    amount: Decimal  # its value on the plan's basis
    close_date: date
    closed: bool
    closed_at: datetime | None = None

    def order(self) -> tuple[date, datetime, str]:
        return self.close_date, (self.closed_at or _NEVER).replace(tzinfo=None), self.room_id


def standings(plan: IncentivePlan, credits: Iterable[Credit]) -> dict[str, Standing | None]:
    """Each deal's standing before it (None when its rep has no quota in the plan)."""
    deals = sorted(credits, key=Credit.order)
    found: dict[str, Standing | None] = {}
    for deal in deals:
        quota = plan.quota_of(deal.owner_email)
        if quota is None:
            found[deal.room_id] = None
            continue
        start, _ = fiscal_quarter(deal.close_date, plan.fiscal_year_start_month)
        before = sum(
            (
                other.amount
                for other in deals
                if other.closed
                and other.room_id != deal.room_id
                and other.owner_email.lower() == deal.owner_email.lower()
                and other.currency == quota.currency
                and fiscal_quarter(other.close_date, plan.fiscal_year_start_month)[0] == start
                and (not deal.closed or other.order() < deal.order())
            ),
            _ZERO,
        )
        found[deal.room_id] = Standing(quota.currency, quota.amount(start), before)
    return found


def quarter_view(plan: IncentivePlan, email: str, credits: Iterable[Credit], today: date) -> dict[str, object]:
    """The rep's current quarter: its dates, quota, closed credit, attainment and tier (quota None without one)."""
    start, end = fiscal_quarter(today, plan.fiscal_year_start_month)
    view: dict[str, object] = {
        "period": period_key(start), "label": period_label(start, plan.fiscal_year_start_month),
        "starts": start.isoformat(), "ends": end.isoformat(),
        "tiers": [{"from_pct": str(t.from_pct.normalize()), "multiplier": str(t.multiplier.normalize()),
                   "label": t.label} for t in plan.tiers],
    }  # fmt: skip
    quota = plan.quota_of(email)
    if quota is None:
        return {**view, "quota": None, "currency": None, "closed": None, "attainment_pct": None, "tier": None}
    closed = sum(
        (c.amount for c in credits if c.closed and c.currency == quota.currency
         and c.owner_email.lower() == email.lower() and start <= c.close_date <= end),
        _ZERO,
    )  # fmt: skip
    amount = quota.amount(start)
    pct = percent(closed, amount)
    tier = tier_at(plan.tiers, pct).label if plan.tiers else None
    return {**view, "quota": format_money(amount, quota.currency), "currency": quota.currency,
            "closed": format_money(closed, quota.currency),
            "attainment_pct": str(pct), "tier": tier}  # fmt: skip
