"""An incentive plan as data: what a deal pays the rep, in layers. Loaded and validated from JSON (or YAML
parsed to the same shape) like the price book; an admin edits it, code never changes for a new plan.

Layers: a base rate on every line; per-product rates that replace it (pushed products pay more,
de-emphasised ones less); vertical and close-timing multipliers on that rate commission; SPIF bonuses for
selling a quantity of a product (not multiplied); an optional cap per deal. Quotas per rep and fiscal quarter
and attainment tiers (accelerators) on the rate commission: see `workspace.pricing.quotas` for their rule."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

from workspace.pricing import _fields as f
from workspace.pricing.errors import IncentivePlanInvalid
from workspace.pricing.limits import MAX_PRICE, MAX_QTY, QTY_PLACES
from workspace.pricing.quotas import AttainmentTier, Quota, load_quotas, load_tiers

_RATE_PLACES = 4
_MAX_MULTIPLIER = Decimal(10)  # a 10x accelerator is already far beyond any real plan; more is a typo
_MAX_QUARTER_DAY = 92
_PLAN_KEYS = {
    "name", "version", "basis", "base_rate_pct", "product_rates_pct", "spifs", "verticals", "timing",
    "fiscal_year_start_month", "cap", "quotas", "tiers",
}  # fmt: skip


class Basis(StrEnum):
    """Which amount of each line the rates apply to."""

    FIRST_YEAR = "first_year"
    ANNUAL_RECURRING = "annual_recurring"
    TERM = "term"


@dataclass(frozen=True, slots=True)
class Spif:
    """A bonus for selling at least `min_qty` of `sku` (first-year quantity, over all its lines)."""

    name: str
    sku: str
    min_qty: Decimal
    bonus: Mapping[str, Decimal]


@dataclass(frozen=True, slots=True)
class TimingWindow:
    """Days of the fiscal quarter, counted from its start (1 = first day) or, when negative, from its end
    (-1 = last day); a deal closing within them has its rate commission multiplied."""

    name: str
    from_day: int
    to_day: int
    multiplier: Decimal

    def covers(self, day: int, length: int) -> bool:
        """Whether day `day` (1-based) of a quarter of `length` days lies in the window."""
        start = self.from_day if self.from_day > 0 else length + 1 + self.from_day
        end = self.to_day if self.to_day > 0 else length + 1 + self.to_day
        return start <= day <= end


@dataclass(frozen=True, slots=True)
class IncentivePlan:
    """A validated plan; rates are percentages ("8" is 8 %), multipliers plain factors ("1.2")."""

    name: str
    version: int
    base_rate_pct: Decimal
    basis: Basis = Basis.FIRST_YEAR
    product_rates_pct: Mapping[str, Decimal] = field(default_factory=dict)
    spifs: tuple[Spif, ...] = ()
    verticals: Mapping[str, Decimal] = field(default_factory=dict)
    timing: tuple[TimingWindow, ...] = ()
    fiscal_year_start_month: int = 1
    cap: Mapping[str, Decimal] = field(default_factory=dict)
    quotas: Mapping[str, Quota] = field(default_factory=dict)  # by the rep's email, lower case
    tiers: tuple[AttainmentTier, ...] = ()

    def quota_of(self, email: str) -> Quota | None:
        """The rep's quota (emails compared without case), None when the plan gives them none."""
        return self.quotas.get(email.lower())


def load_incentive_plan(data: object) -> IncentivePlan:
    """A validated `IncentivePlan` from JSON data; raise `IncentivePlanInvalid` listing every problem."""
    issues = f.Issues()
    plan = f.mapping(data, "", issues)
    if plan is None:
        raise IncentivePlanInvalid(["the incentive plan must be a JSON object"])
    f.unknown_keys(plan, _PLAN_KEYS, "", issues)
    name = f.text(plan, "name", "", issues)
    version = f.integer(plan.get("version"), "version", issues, minimum=1, maximum=10**9)
    raw_basis = plan.get("basis", Basis.FIRST_YEAR.value)
    basis = next((member for member in Basis if member.value == raw_basis), None)
    if basis is None:
        issues.add("basis", f"must be one of {', '.join(Basis)}")
    base = _rate(plan.get("base_rate_pct"), "base_rate_pct", issues)
    rates = {
        sku: rate
        for sku, raw in (f.mapping(plan.get("product_rates_pct", {}), "product_rates_pct", issues) or {}).items()
        if (rate := _rate(raw, f"product_rates_pct.{sku}", issues)) is not None
    }
    verticals = {
        vertical: factor
        for vertical, raw in (f.mapping(plan.get("verticals", {}), "verticals", issues) or {}).items()
        if (factor := _multiplier(raw, f"verticals.{vertical}", issues)) is not None
    }
    spifs = _spifs(plan.get("spifs", []), issues)
    timing = _timing(plan.get("timing", []), issues)
    start_month = f.integer(
        plan.get("fiscal_year_start_month", 1), "fiscal_year_start_month", issues, minimum=1, maximum=12
    )
    cap = f.currency_amounts(plan.get("cap", {}), "cap", issues, currencies=None, max_places=None, maximum=MAX_PRICE)
    quotas = load_quotas(plan.get("quotas", {}), start_month or 1, issues)
    tiers = load_tiers(plan.get("tiers", []), issues)
    if issues or name is None or version is None or basis is None or base is None or start_month is None:
        raise IncentivePlanInvalid(issues.items)
    return IncentivePlan(name, version, base, basis, rates, spifs, verticals, timing, start_month, cap, quotas, tiers)


def _rate(value: object, path: str, issues: f.Issues) -> Decimal | None:
    if value is None:
        issues.add(path, 'is required (a percentage such as "8")')
        return None
    return f.decimal(value, path, issues, max_places=_RATE_PLACES, maximum=Decimal(100))


def _multiplier(value: object, path: str, issues: f.Issues) -> Decimal | None:
    return f.decimal(value, path, issues, max_places=_RATE_PLACES, maximum=_MAX_MULTIPLIER)


def _spifs(value: object, issues: f.Issues) -> tuple[Spif, ...]:
    spifs: list[Spif] = []
    for index, raw in enumerate(f.sequence(value, "spifs", issues) or []):
        path = f"spifs[{index}]"
        data = f.mapping(raw, path, issues)
        if data is None:
            continue
        f.unknown_keys(data, {"name", "sku", "min_qty", "bonus"}, path, issues)
        name, sku = f.text(data, "name", path, issues), f.text(data, "sku", path, issues)
        min_qty = f.decimal(data.get("min_qty"), f"{path}.min_qty", issues, max_places=QTY_PLACES, maximum=MAX_QTY)
        if min_qty is not None and min_qty <= 0:
            issues.add(f"{path}.min_qty", "must be more than 0")
        bonus = f.currency_amounts(
            data.get("bonus"), f"{path}.bonus", issues, currencies=None, max_places=None, maximum=MAX_PRICE
        )
        if isinstance(data.get("bonus"), Mapping) and not data.get("bonus"):
            issues.add(f"{path}.bonus", "must give an amount in at least one currency")
        if name is not None and sku is not None and min_qty is not None and min_qty > 0:
            spifs.append(Spif(name, sku, min_qty, bonus))
    return tuple(spifs)


def _timing(value: object, issues: f.Issues) -> tuple[TimingWindow, ...]:
    windows: list[TimingWindow] = []
    for index, raw in enumerate(f.sequence(value, "timing", issues) or []):
        path = f"timing[{index}]"
        data = f.mapping(raw, path, issues)
        if data is None:
            continue
        f.unknown_keys(data, {"name", "from_day", "to_day", "multiplier"}, path, issues)
        name = f.text(data, "name", path, issues)
        start, end = (_quarter_day(data.get(key), f"{path}.{key}", issues) for key in ("from_day", "to_day"))
        multiplier = _multiplier(data.get("multiplier"), f"{path}.multiplier", issues)
        if start is not None and end is not None and (start > 0) == (end > 0) and start > end:
            issues.add(f"{path}.to_day", f"must not come before from_day ({start})")
        elif name is not None and start is not None and end is not None and multiplier is not None:
            windows.append(TimingWindow(name, start, end, multiplier))
    return tuple(windows)


def _quarter_day(value: object, path: str, issues: f.Issues) -> int | None:
    day = f.integer(value, path, issues, minimum=-_MAX_QUARTER_DAY, maximum=_MAX_QUARTER_DAY)
    if day == 0:
        issues.add(path, "must not be 0 (1 is the first day of the quarter, -1 the last)")
        return None
    return day
