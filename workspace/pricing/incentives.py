"""What the deal earns the rep: `estimate(quote, plan, vertical, close_date, standing)`, a total and the layers
that make it up, each explained in plain words, plus hints for bonuses within reach. With the rep's `standing`
in the deal's quarter (quota and closed credit), the plan's attainment tiers accelerate the rate commission
(`workspace.pricing.quotas`) and the estimate says how the deal moves the rep's attainment.

Rounding: layers are computed in full precision and rounded cumulatively (each layer is the rounded
running total minus the previous rounded running total), so the total is the exact estimate rounded once,
half-even, and the layers add up to it to the cent."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_EVEN, Context, Decimal, localcontext

from workspace.pricing.incentive_plan import Basis, IncentivePlan, Spif, TimingWindow
from workspace.pricing.limits import WORK_PRECISION
from workspace.pricing.money import display_money, format_quantity, is_currency, quantum
from workspace.pricing.quotas import Move, Standing, fiscal_quarter, move
from workspace.pricing.quote_model import LineQuote, Quote

_CONTEXT = Context(prec=WORK_PRECISION, rounding=ROUND_HALF_EVEN)
_ZERO = Decimal(0)
_ONE = Decimal(1)
_HUNDRED = Decimal(100)
_BASIS_WORDS = {
    Basis.FIRST_YEAR: "first-year value",
    Basis.ANNUAL_RECURRING: "annual recurring value",
    Basis.TERM: "whole-term value",
}


@dataclass(frozen=True, slots=True)
class Layer:
    """One part of the estimate: its name, its amount (negative for a reduction) and why, in plain words."""

    name: str
    amount: Decimal
    explanation: str


@dataclass(frozen=True, slots=True)
class Estimate:
    """The rep's commission estimate for the quote as it stands."""

    currency: str
    total: Decimal
    layers: tuple[Layer, ...]
    hints: tuple[str, ...] = ()
    credit: Decimal = _ZERO  # what the deal counts toward quota: its value on the plan's basis
    move: Move | None = None  # how it moves the rep's attainment, when the rep's standing was given


def estimate(
    quote: Quote, plan: IncentivePlan, vertical: str | None, close_date: date, standing: Standing | None = None
) -> Estimate:
    """The commission `quote` would earn under `plan` for a deal in `vertical` closing on `close_date`, for a
    rep who stands at `standing` in that date's quarter (no accelerator without it)."""
    with localcontext(_CONTEXT):
        return _estimate(quote, plan, vertical, close_date, standing)


def _estimate(
    quote: Quote, plan: IncentivePlan, vertical: str | None, close_date: date, standing: Standing | None
) -> Estimate:
    currency = quote.currency
    if not is_currency(currency):
        return Estimate(currency, _ZERO, (), (f"Nothing to estimate: the quote's currency {currency} is unknown.",))

    def money(amount: Decimal) -> str:
        return display_money(amount, currency)

    basis_of = _basis(plan.basis)
    lines = [line for line in quote.lines if line.priced]
    layers: list[tuple[str, Decimal, str]] = []  # exact amounts, rounded at the end

    total_basis = sum((basis_of(line) for line in lines), _ZERO)
    base = plan.base_rate_pct
    words = _BASIS_WORDS[plan.basis]
    layers.append(("Base rate", total_basis * base / _HUNDRED, f"{_pct(base)} of {money(total_basis)} {words}."))
    for sku, (name, sku_basis) in _by_sku(lines, basis_of).items():
        rate = plan.product_rates_pct.get(sku)
        if rate is None or rate == base or not sku_basis:
            continue
        change = "more" if rate > base else "less"
        text = (
            f"{name} pays {_pct(rate)} instead of {_pct(base)}: {_pct(abs(rate - base))} {change} on "
            f"{money(sku_basis)}."
        )
        layers.append((f"{name} rate", sku_basis * (rate - base) / _HUNDRED, text))
    rate_commission = sum((amount for _, amount, _ in layers), _ZERO)

    multiplied = rate_commission
    factor = plan.verticals.get(vertical) if vertical is not None else None
    if factor is not None and factor != _ONE:
        text = f"Deals in the {vertical} vertical pay {_times(factor)} the rate commission of {money(rate_commission)}."
        layers.append((f"Vertical: {vertical}", multiplied * (factor - _ONE), text))
        multiplied *= factor
    window, where = _timing(plan, close_date)
    if window is not None and window.multiplier != _ONE:
        pays = f"the rate commission ({money(multiplied)}) pays {_times(window.multiplier)}"
        text = f"{where} In the window '{window.name}', {pays}."
        layers.append((f"Timing: {window.name}", multiplied * (window.multiplier - _ONE), text))
        multiplied *= window.multiplier
    moved = None
    if plan.tiers and standing is not None and standing.currency == currency and standing.quota > 0:
        moved = move(plan.tiers, standing, total_basis)
        if moved.factor != _ONE and multiplied:
            layers.append(
                ("Accelerator", multiplied * (moved.factor - _ONE), _accelerator_words(moved, money, multiplied))
            )

    hints: list[str] = []
    for spif in plan.spifs:
        layer, hint = _spif(spif, lines, currency, money)
        if layer is not None:
            layers.append(layer)
        if hint is not None:
            hints.append(hint)
    cap = plan.cap.get(currency)
    running = sum((amount for _, amount, _ in layers), _ZERO)
    if cap is not None and running > cap:
        layers.append(("Cap", cap - running, f"The plan caps the commission on one deal at {money(cap)}."))
    return _rounded(currency, layers, hints, total_basis, moved)


def _accelerator_words(moved: Move, money: Callable[[Decimal], str], rate_commission: Decimal) -> str:
    parts = ", ".join(f"{_pct(share.quantize(Decimal('0.1')))} of quota at {tier.label}" for tier, share in moved.parts)
    return (
        f"This deal takes attainment from {_pct(moved.before_pct.quantize(Decimal('0.1')))} to "
        f"{_pct(moved.after_pct.quantize(Decimal('0.1')))} ({parts}): the rate commission ({money(rate_commission)}) "
        f"pays {_times(moved.factor.quantize(Decimal('0.0001')))}."
    )


def _rounded(
    currency: str, layers: list[tuple[str, Decimal, str]], hints: list[str], credit: Decimal, moved: Move | None
) -> Estimate:
    step = quantum(currency)
    running = _ZERO
    shown = _ZERO.quantize(step)
    result: list[Layer] = []
    for name, amount, text in layers:
        running += amount
        rounded = running.quantize(step, ROUND_HALF_EVEN)
        result.append(Layer(name, rounded - shown, text))
        shown = rounded
    return Estimate(currency, shown, tuple(result), tuple(hints), credit.quantize(step, ROUND_HALF_EVEN), moved)


def _basis(basis: Basis) -> Callable[[LineQuote], Decimal]:
    if basis is Basis.TERM:
        return lambda line: line.net_total
    if basis is Basis.ANNUAL_RECURRING:
        return lambda line: line.annual_recurring
    return lambda line: line.first_year


def _by_sku(lines: list[LineQuote], basis_of: Callable[[LineQuote], Decimal]) -> dict[str, tuple[str, Decimal]]:
    """Each SKU's name and summed basis, in the order the SKUs first appear on the quote."""
    grouped: dict[str, tuple[str, Decimal]] = {}
    for line in lines:
        name, amount = grouped.get(line.sku, (line.name, _ZERO))
        grouped[line.sku] = (name, amount + basis_of(line))
    return grouped


def _spif(
    spif: Spif, lines: list[LineQuote], currency: str, money: Callable[[Decimal], str]
) -> tuple[tuple[str, Decimal, str] | None, str | None]:
    """The SPIF's layer when earned; otherwise a hint of what it would take."""
    matching = [line for line in lines if line.sku == spif.sku]
    sold = sum((line.qty for line in matching), _ZERO)
    product = matching[0].name if matching else spif.sku
    bonus = spif.bonus.get(currency)
    if bonus is None:
        return None, f"{spif.name} pays no bonus on deals in {currency}."
    least = format_quantity(spif.min_qty)
    need = f"{least} of {product}"
    if sold >= spif.min_qty:
        text = f"{format_quantity(sold)} of {product} on the quote; at least {least} earn {money(bonus)}."
        return (f"SPIF: {spif.name}", bonus, text), None
    return None, f"{spif.name}: sell {need} for a bonus of {money(bonus)}; this quote has {format_quantity(sold)}."


def _timing(plan: IncentivePlan, close_date: date) -> tuple[TimingWindow | None, str]:
    """The first timing window the close date falls in, and where in its fiscal quarter the date is."""
    start, end = fiscal_quarter(close_date, plan.fiscal_year_start_month)
    length = (end - start).days + 1
    day = (close_date - start).days + 1
    left = (end - close_date).days
    where = (
        f"Closes {close_date.isoformat()}, day {day} of the quarter {start.isoformat()} to {end.isoformat()}"
        f" ({left} day{'s' if left != 1 else ''} before its end)."
    )
    window = next((window for window in plan.timing if window.covers(day, length)), None)
    return window, where


def _pct(rate: Decimal) -> str:
    return f"{rate.normalize():f}%"


def _times(factor: Decimal) -> str:
    return f"{factor.normalize():f} times"  # "1.2 times": plain words, and ASCII for every client
