"""Quotas and attainment tiers (accelerators) of the incentive plan, and how a deal moves a rep through them.

A quota is per rep (by email) and fiscal quarter, in one currency: `quarterly` applies to every quarter,
`periods` overrides it for named quarters, each written as the quarter's first month ("2026-11").

Attainment in a quarter is the rep's closed credit over the quota, in percent. Closed means a deal whose room
is approved or exported (`workspace.pipeline.stage`); its credit is its value on the plan's basis (first-year
value by default), and it counts in the fiscal quarter of its close date (the date the timing layer reads).
Only deals in the quota's currency count: the plan has no exchange rates.

The rule of the tiers, like tax brackets: a deal's credit runs from the attainment before it (the rep's other
closed deals of its quarter; for a closed deal, those that closed before it) to the attainment after it. Each
part of that run pays the rate commission at the multiplier of the tier it falls in: 92 % to 118 % with tiers
at 0 % (1x) and 100 % (1.5x) pays 8/26 of the deal's rate commission at 1x and 18/26 at 1.5x. The deal's tier
is the tier of the attainment after it. SPIFs and the cap are not multiplied.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from workspace.pricing import _fields as f
from workspace.pricing.limits import MAX_PRICE
from workspace.pricing.money import is_currency, minor_units

_HUNDRED = Decimal(100)
_ZERO = Decimal(0)
MAX_QUOTAS = 5000  # reps in one plan: far beyond a sales floor; more is a pasted mistake
MAX_PERIODS = 40  # ten years of quarters per rep
MAX_TIERS = 20  # real plans have three to five
_MAX_FROM_PCT = Decimal(1000)  # 10x the quota: no plan accelerates past that
_MAX_MULTIPLIER = Decimal(10)
_EMAIL_MAX = 320
_PERIOD = re.compile(r"^(\d{4})-(\d{2})$")


@dataclass(frozen=True, slots=True)
class Quota:
    """A rep's quota per fiscal quarter: `quarterly` unless `periods` names the quarter ("2026-11")."""

    currency: str
    quarterly: Decimal
    periods: Mapping[str, Decimal] = field(default_factory=dict)

    def amount(self, quarter_start: date) -> Decimal:
        return self.periods.get(period_key(quarter_start), self.quarterly)


@dataclass(frozen=True, slots=True)
class AttainmentTier:
    """From `from_pct` % of quota on (up to the next tier), the rate commission pays `multiplier` times."""

    from_pct: Decimal
    multiplier: Decimal

    @property
    def label(self) -> str:
        return f"{self.multiplier.normalize():f}x"


@dataclass(frozen=True, slots=True)
class Standing:
    """Where the rep stands in a deal's quarter before the deal: the quota and the credit already closed."""

    currency: str
    quota: Decimal
    closed: Decimal


@dataclass(frozen=True, slots=True)
class Move:
    """What a deal does to attainment: from `before_pct` to `after_pct`, from one tier to another, and the
    multiplier its rate commission is paid at overall (`factor`)."""

    credit: Decimal
    before_pct: Decimal
    after_pct: Decimal
    tier_before: AttainmentTier
    tier_after: AttainmentTier
    factor: Decimal
    parts: tuple[tuple[AttainmentTier, Decimal], ...]  # (tier, percent of quota of this deal in it)


def fiscal_quarter(day: date, start_month: int) -> tuple[date, date]:
    """The first and last day of the fiscal quarter containing `day`, for a fiscal year starting in
    `start_month` (1 = January)."""
    months = day.year * 12 + day.month - 1
    first = months - (day.month - start_month) % 3
    year, month = divmod(first, 12)
    after_year, after_month = divmod(first + 3, 12)
    return date(year, month + 1, 1), date(after_year, after_month + 1, 1) - timedelta(days=1)


def period_key(quarter_start: date) -> str:
    """How a plan names a quarter: its first month, "2026-11"."""
    return f"{quarter_start.year:04d}-{quarter_start.month:02d}"


def period_label(quarter_start: date, start_month: int) -> str:
    """ "FY2027 Q4": the fiscal year is named by the calendar year it ends in (it starts in `start_month`)."""
    number = (quarter_start.month - start_month) % 12 // 3 + 1
    ends_in = quarter_start.year + (1 if start_month != 1 and quarter_start.month >= start_month else 0)
    return f"FY{ends_in} Q{number}"


def percent(amount: Decimal, quota: Decimal) -> Decimal:
    """`amount` as a percentage of `quota`, to a tenth of a percent."""
    return (amount * _HUNDRED / quota).quantize(Decimal("0.1")) if quota > 0 else _ZERO


def tier_at(tiers: Sequence[AttainmentTier], pct: Decimal) -> AttainmentTier:
    """The tier `pct` % of quota lies in (tiers are sorted, the first starts at 0)."""
    return next(tier for tier in reversed(tiers) if pct >= tier.from_pct)


def move(tiers: Sequence[AttainmentTier], standing: Standing, credit: Decimal) -> Move:
    """How a deal of `credit` moves the rep from `standing` (see the module docstring for the rule)."""
    before = standing.closed * _HUNDRED / standing.quota
    after = (standing.closed + credit) * _HUNDRED / standing.quota
    parts: list[tuple[AttainmentTier, Decimal]] = []
    weighted = _ZERO
    for index, tier in enumerate(tiers):
        upper = tiers[index + 1].from_pct if index + 1 < len(tiers) else None
        low = max(before, tier.from_pct)
        high = after if upper is None else min(after, upper)
        if high > low:
            parts.append((tier, high - low))
            weighted += (high - low) * tier.multiplier
    span = after - before
    factor = weighted / span if span > 0 else tier_at(tiers, before).multiplier
    return Move(credit, before, after, tier_at(tiers, before), tier_at(tiers, after), factor, tuple(parts))


def load_quotas(value: object, start_month: int, issues: f.Issues) -> dict[str, Quota]:
    """The plan's `quotas`: {email: {"currency", "quarterly", "periods": {"YYYY-MM": amount}}}."""
    data = f.mapping(value, "quotas", issues)
    if data is None:
        return {}
    if len(data) > MAX_QUOTAS:
        issues.add("quotas", f"may name at most {MAX_QUOTAS} reps")
        return {}
    quotas: dict[str, Quota] = {}
    for email, raw in data.items():
        path = f"quotas.{email}"
        if "@" not in email or len(email) > _EMAIL_MAX or email.strip() != email:
            issues.add(path, "must be keyed by the rep's email address")
            continue
        if email.lower() in quotas:
            issues.add(path, "names a rep already given a quota (emails are compared without case)")
            continue
        quota = _quota(raw, path, start_month, issues)
        if quota is not None:
            quotas[email.lower()] = quota
    return quotas


def _quota(raw: object, path: str, start_month: int, issues: f.Issues) -> Quota | None:
    data = f.mapping(raw, path, issues)
    if data is None:
        return None
    f.unknown_keys(data, {"currency", "quarterly", "periods"}, path, issues)
    currency = f.text(data, "currency", path, issues)
    if currency is not None and not is_currency(currency):
        issues.add(f"{path}.currency", "is not a known currency code")
        return None
    places = minor_units(currency) if currency is not None else 2
    quarterly = _amount(data.get("quarterly"), f"{path}.quarterly", places, issues)
    periods: dict[str, Decimal] = {}
    raw_periods = f.mapping(data.get("periods", {}), f"{path}.periods", issues) or {}
    if len(raw_periods) > MAX_PERIODS:
        issues.add(f"{path}.periods", f"may name at most {MAX_PERIODS} quarters")
        raw_periods = {}
    for key, amount_raw in raw_periods.items():
        where = f"{path}.periods.{key}"
        if not _is_quarter_start(key, start_month):
            months = ", ".join(date(2000, (start_month - 1 + 3 * i) % 12 + 1, 1).strftime("%b") for i in range(4))
            issues.add(where, f'must be the first month of a fiscal quarter as "YYYY-MM" ({months})')
            continue
        amount = _amount(amount_raw, where, places, issues)
        if amount is not None:
            periods[key] = amount
    if currency is None or quarterly is None:
        return None
    return Quota(currency, quarterly, periods)


def _amount(value: object, path: str, places: int, issues: f.Issues) -> Decimal | None:
    amount = f.decimal(value, path, issues, max_places=places, maximum=MAX_PRICE)
    if amount is not None and amount <= 0:
        issues.add(path, "must be more than 0")
        return None
    return amount


def _is_quarter_start(key: str, start_month: int) -> bool:
    found = _PERIOD.match(key)
    if found is None:
        return False
    year, month = int(found[1]), int(found[2])
    return 2000 <= year <= 2200 and 1 <= month <= 12 and (month - start_month) % 3 == 0


def load_tiers(value: object, issues: f.Issues) -> tuple[AttainmentTier, ...]:
    """The plan's `tiers`: [{"from_pct": "0", "multiplier": "1"}, {"from_pct": "100", "multiplier": "1.5"}, ...];
    the first starts at 0 and each starts above the one before."""
    items = f.sequence(value, "tiers", issues)
    if not items:
        return ()
    if len(items) > MAX_TIERS:
        issues.add("tiers", f"may have at most {MAX_TIERS} tiers")
        return ()
    tiers: list[AttainmentTier] = []
    for index, raw in enumerate(items):
        path = f"tiers[{index}]"
        data = f.mapping(raw, path, issues)
        if data is None:
            continue
        f.unknown_keys(data, {"from_pct", "multiplier"}, path, issues)
        start = f.decimal(data.get("from_pct"), f"{path}.from_pct", issues, max_places=2, maximum=_MAX_FROM_PCT)
        factor = f.decimal(data.get("multiplier"), f"{path}.multiplier", issues, max_places=4, maximum=_MAX_MULTIPLIER)
        if start is None or factor is None:
            continue
        if index == 0 and start != 0:
            issues.add(f"{path}.from_pct", "must be 0: the first tier starts at no attainment")
        elif tiers and start <= tiers[-1].from_pct:
            issues.add(f"{path}.from_pct", f"must be more than the tier before ({tiers[-1].from_pct.normalize():f})")
        tiers.append(AttainmentTier(start, factor))
    return tuple(tiers)
