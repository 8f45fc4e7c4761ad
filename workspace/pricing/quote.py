"""The quote engine: `price_deal(deal, book) -> Quote`, a pure function of plain values.

Rounding, the one rule: amounts are computed in full Decimal precision (a 60-digit context, exact for
the bounded inputs of `limits`), and each line's amount for each contract year is rounded once, half-even,
to the currency's minor units. Everything above that (a line's term total, every quote total) is a sum of
those rounded amounts, so the totals equal the sum of the lines and a term equals the sum of its years, to
the cent. Unit prices are reported unrounded (they are for display and never multiplied again); percentages
are rounded to two places.
"""

from __future__ import annotations

from decimal import ROUND_HALF_EVEN, Context, Decimal, localcontext

from workspace.pricing.catalog import BillingPeriod, PriceBook, PricePoint
from workspace.pricing.deal_input import (
    Billing,
    DealInput,
    DealLine,
    contract_years,
    line_is_valid,
    line_problems,
    ramp_notice,
    term_problem,
    year_quantities,
)
from workspace.pricing.limits import WORK_PRECISION
from workspace.pricing.money import is_currency, quantum
from workspace.pricing.quote_model import LineQuote, Quote, Totals
from workspace.pricing.rules import check_configuration
from workspace.pricing.violations import Rule, Violation

_CONTEXT = Context(prec=WORK_PRECISION, rounding=ROUND_HALF_EVEN)
_ZERO = Decimal(0)
_ONE = Decimal(1)
_HUNDRED = Decimal(100)
_TWELVE = Decimal(12)
_UNKNOWN_CURRENCY_STEP = Decimal("0.01")  # nothing is priced then; its zeros show with two places
_BILLINGS = frozenset(billing.value for billing in Billing)
_MONTHLY, _ANNUAL, _ONE_TIME = BillingPeriod.MONTHLY, BillingPeriod.ANNUAL, BillingPeriod.ONE_TIME


def price_deal(deal: DealInput, book: PriceBook) -> Quote:
    """Price every line of `deal` from `book` and total them. Never raises on bad deal data: unknown SKUs,
    invalid quantities and broken rules come back as `Quote.violations`, and such lines are not priced."""
    # Our own context: the caller's precision, rounding or traps must not change a price.
    with localcontext(_CONTEXT):
        return _price(deal, book)


def _price(deal: DealInput, book: PriceBook) -> Quote:
    violations: list[tuple[int, Violation]] = []
    currency_ok = deal.currency in book.currencies and is_currency(deal.currency)
    if not currency_ok:
        offered = ", ".join(book.currencies)
        text = f"The price book has no prices in {deal.currency}; it offers {offered}."
        violations.append((-1, Violation(None, Rule.CURRENCY, text)))
    term_error = term_problem(deal.term_months)
    if term_error:
        violations.append((-1, Violation(None, Rule.TERM, term_error)))
    if deal.billing not in _BILLINGS:
        text = f"Billing must be {', '.join(Billing)}, not {deal.billing!r}."
        violations.append((-1, Violation(None, Rule.BILLING, text)))
    months = contract_years(deal.term_months) if term_error is None else ()
    step = quantum(deal.currency) if currency_ok else _UNKNOWN_CURRENCY_STEP
    can_price = currency_ok and term_error is None

    seen: set[str] = set()
    valid: list[DealLine] = []
    lines: list[LineQuote] = []
    years = len(months)
    runs = _runs(months)
    points = book.price_points(deal.currency) if can_price else {}
    zero = _ZERO.quantize(step)
    for index, line in enumerate(deal.lines):
        problems = [] if line_is_valid(line) else line_problems(line)
        if line.id in seen:
            problems.append(Violation(line.id, Rule.DUPLICATE_LINE, "Another line already uses this line id."))
        seen.add(line.id)
        point = points.get(line.sku) if not problems else None
        if not problems:
            valid.append(line)
        if point is not None:
            if line.ramp:
                notice = ramp_notice(line, years, point.product.billing_period is not _ONE_TIME)
                if notice:
                    problems.append(notice)
            lines.append(_price_line(line, point, months, runs, step, zero))
        else:
            product = book.product(line.sku)
            if can_price and product is not None and not problems:
                text = f"{product.name} has no price in {deal.currency}."
                problems.append(Violation(line.id, Rule.NO_PRICE, text))
            lines.append(_unpriced(line, product.name if product else line.sku, years, step))
        if problems:
            violations += [(index, problem) for problem in problems]

    first_index: dict[str, int] = {}
    for index, line in enumerate(deal.lines):
        first_index.setdefault(line.id, index)
    violations += [
        (first_index[found.line_id or ""], found) for found in check_configuration(valid, book, deal.term_months)
    ]
    violations.sort(key=lambda pair: pair[0])  # stable: deal-level first, then each line's in rule order
    return Quote(
        currency=deal.currency,
        term_months=deal.term_months,
        billing=deal.billing,
        book_version=book.version,
        months=months,
        lines=lines,
        totals=_totals(lines, len(months), step),
        violations=[violation for _, violation in violations],
        currencies=book.currencies,
    )


def _runs(months: tuple[int, ...]) -> tuple[tuple[int, int], ...]:
    """The contract years as runs of (months, how many years): 30 months are ((12, 2), (6, 1))."""
    full = months.count(12)
    runs = [(12, full)] if full else []
    if months and months[-1] != 12:
        runs.append((months[-1], 1))
    return tuple(runs)


def _price_line(
    line: DealLine,
    point: PricePoint,
    months: tuple[int, ...],
    runs: tuple[tuple[int, int], ...],
    step: Decimal,
    zero: Decimal,
) -> LineQuote:
    product = point.product
    period = product.billing_period
    table, list_price, cost, floor, flat = point.tiers, point.list_price, point.cost, point.floor, point.flat
    factor = (_HUNDRED - line.discount_pct) / _HUNDRED if line.discount_pct else _ONE
    # Years that share a quantity and a length are priced once: a flat 3-year line is one run of 3.
    plan: list[tuple[Decimal, int, int]]
    if period is _ONE_TIME:
        plan = [(line.qty, 12, 1)]
        year_qty: tuple[Decimal, ...] = (line.qty,)
    elif line.ramp:
        year_qty = year_quantities(line, len(months))
        plan = [(qty, span, 1) for qty, span in zip(year_qty, months, strict=True)]
    else:
        plan = [(line.qty, span, count) for span, count in runs]
        year_qty = (line.qty,) * len(months)
    net_years: list[Decimal] = []
    list_sum = tier_sum = net_sum = cost_sum = first_net = zero
    below_floor = False
    for qty, span, count in plan:
        list_amount = list_price * qty
        tier_amount = list_amount if flat else table.amount(qty)
        net_amount = tier_amount * factor
        if not net_years:
            first_net = net_amount
        if floor is not None and qty and net_amount < floor * qty:
            below_floor = True
        cost_amount = cost * qty if cost is not None else _ZERO
        if period is _MONTHLY:
            list_amount, net_amount, cost_amount = list_amount * span, net_amount * span, cost_amount * span
            tier_amount = list_amount if flat else tier_amount * span
        elif period is _ANNUAL and span != 12:
            list_amount, net_amount = list_amount * span / _TWELVE, net_amount * span / _TWELVE
            cost_amount = cost_amount * span / _TWELVE
            tier_amount = list_amount if flat else tier_amount * span / _TWELVE
        list_y = list_amount.quantize(step, ROUND_HALF_EVEN)
        net_y = net_amount.quantize(step, ROUND_HALF_EVEN)
        tier_y = list_y if flat else tier_amount.quantize(step, ROUND_HALF_EVEN)
        cost_y = cost_amount.quantize(step, ROUND_HALF_EVEN) if cost is not None else zero
        if count == 1:
            net_years.append(net_y)
        else:
            net_years += [net_y] * count
            list_y, tier_y, net_y, cost_y = list_y * count, tier_y * count, net_y * count, cost_y * count
        list_sum, tier_sum, net_sum, cost_sum = list_sum + list_y, tier_sum + tier_y, net_sum + net_y, cost_sum + cost_y
    if len(net_years) < len(months):
        net_years += [zero] * (len(months) - len(net_years))  # a one-time item is billed in year one only
    first_qty = plan[0][0]
    per_period = first_net.quantize(step, ROUND_HALF_EVEN)
    if period is _MONTHLY:
        annual_recurring = (first_net * _TWELVE).quantize(step, ROUND_HALF_EVEN)
    else:
        annual_recurring = per_period if period is _ANNUAL else zero
    tier_unit = list_price if flat else table.unit_price(first_qty)
    # Positional: this runs once per line and keyword arguments would cost a tenth of the budget.
    return LineQuote(
        line.id,
        line.sku,
        product.name,
        period,
        product.unit if first_qty == 1 else point.units,
        first_qty,
        year_qty,
        line.discount_pct,
        True,
        list_price,
        tier_unit,
        tier_unit * factor,
        per_period,
        tuple(net_years),
        annual_recurring,
        list_sum,
        tier_sum,
        net_sum,
        cost_sum if cost is not None else None,
        floor,
        below_floor,
    )


def _unpriced(line: DealLine, name: str, years: int, step: Decimal) -> LineQuote:
    zero = _ZERO.quantize(step)
    return LineQuote(
        id=line.id,
        sku=line.sku,
        name=name,
        period=None,
        unit="",
        qty=line.qty,
        year_qty=(),
        discount_pct=line.discount_pct,
        priced=False,
        list_unit=zero,
        tier_unit=zero,
        net_unit=zero,
        per_period=zero,
        years=(zero,) * years,
        annual_recurring=zero,
        list_total=zero,
        tier_total=zero,
        net_total=zero,
        cost_total=zero,
        floor_unit=None,
        below_floor=False,
    )


def _totals(lines: list[LineQuote], years: int, step: Decimal) -> Totals:
    zero = _ZERO.quantize(step)
    list_total = tier_total = net_total = cost_total = annual_recurring = zero
    per_year = [zero] * years
    costs_known = True
    below_floor: list[str] = []
    max_discount = _ZERO
    for line in lines:
        list_total += line.list_total
        tier_total += line.tier_total
        net_total += line.net_total
        annual_recurring += line.annual_recurring
        for year, amount in enumerate(line.years):
            per_year[year] += amount
        if not line.priced:
            continue
        if line.cost_total is None:
            costs_known = False
        else:
            cost_total += line.cost_total
        if line.below_floor:
            below_floor.append(line.id)
        max_discount = max(max_discount, line.discount_pct)
    return Totals(
        list_total=list_total,
        tier_total=tier_total,
        net_total=net_total,
        years=tuple(per_year),
        first_year=per_year[0] if per_year else zero,
        annual_recurring=annual_recurring,
        cost_total=cost_total if costs_known else None,
        max_line_discount_pct=max_discount,
        below_floor=tuple(sorted(below_floor)),  # sorted: the order of the lines must not change a total
    )
