"""A quote as JSON-ready data, money as strings ("1234.50"). Two views: what everyone in the room may see,
and what internal roles see on top (cost, margin, floor). A customer must only ever get `public_view`.

A room writes both views of every quote, and a 1,000-line quote has some 15,000 amounts to show: each line's
strings are made once per quote (`_Shown`, kept on the quote for whichever view is asked second), a column of
the quote at a time (`_columns`). Each call still returns dicts and lists of its own."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal
from itertools import accumulate, repeat
from operator import attrgetter, is_, mul, sub, truediv
from typing import Any

from workspace.pricing._columns import Column, money_column, percent_column, plain, plain_column, unit_column
from workspace.pricing.money import format_percent
from workspace.pricing.quote_model import LineQuote, Quote, Totals
from workspace.pricing.violations import Violation

__all__ = ["internal_view", "plain", "public_view", "unpriceable_reason"]

_HUNDRED = Decimal(100)
_PERCENT = Decimal("0.01")
_FIELDS = attrgetter("list_total", "tier_total", "net_total", "per_period", "annual_recurring", "list_unit",
                     "tier_unit", "net_unit", "qty", "discount_pct", "cost_total", "floor_unit", "year_qty",
                     "years")  # fmt: skip


def public_view(quote: Quote) -> dict[str, Any]:
    """The quote without cost, margin, floor prices or floor breaches. `priceable` is False when some line
    (or the deal as a whole) cannot be priced; `pricing_problems` then says why, in the violations' shape.
    `currencies` are the ones the room's price book prices."""
    shown = _shown(quote)
    return _view(quote, shown, _public_lines(shown), shown.totals.copy())


def internal_view(quote: Quote) -> dict[str, Any]:
    """The public view plus, per line and in the totals, cost, margin and floor information."""
    shown = _shown(quote)
    return _view(quote, shown, _internal_lines(shown), shown.internal_totals.copy())


def unpriceable_reason(view: dict[str, Any]) -> str | None:
    """Why a quote view is not a complete price ("the quote cannot be priced: STORAGE is not in the price
    book (version 2)"), or None when it is. Nobody approves or exports a price that is not one."""
    if view.get("priceable", True):
        return None
    counts = Counter(str(problem["message"]).rstrip(".") for problem in view.get("pricing_problems", []))
    problems = [message if n == 1 else f"{message} ({n} lines)" for message, n in counts.items()]
    return "the quote cannot be priced: " + ("; ".join(problems) or "a line has no price") + "; fix the lines first"


# --- made once per quote -----------------------------------------------------------------------------------

Values = list[Any]


@dataclass(frozen=True, slots=True)
class _Shown:
    """A quote's strings, for both views, a column per value of the lines (in the order `_public_lines` and
    `_internal_lines` read them): `year_qty` and `years` as slices of one flat list each (each view slices lists
    of its own), and the totals."""

    columns: tuple[Values, ...]
    extra_columns: tuple[Values, ...]
    quantities: list[str]  # every line's `year_qty`, one after the other
    years: list[str]  # every line's `years`, likewise
    totals: dict[str, Any]
    internal_totals: dict[str, Any]
    violations: tuple[tuple[str | None, str, str], ...]
    pricing_problems: tuple[tuple[str | None, str, str], ...]
    priceable: bool


def _shown(quote: Quote) -> _Shown:
    shown = quote.shown
    if not isinstance(shown, _Shown):
        shown = _make(quote)
        quote.shown = shown
    return shown


def _make(quote: Quote) -> _Shown:
    money, unit = money_column(quote.currency), unit_column(quote.currency)
    lines = quote.lines
    totals = _totals(quote.totals, money)
    if lines:
        (list_totals, tier_totals, net_totals, per_periods, annuals, list_units, tier_units, net_units, qtys,
         discounts, costs, floors, year_qtys, years) = zip(*map(_FIELDS, lines), strict=True)  # fmt: skip
    else:
        list_totals = tier_totals = net_totals = per_periods = annuals = list_units = tier_units = net_units = ()
        qtys = discounts = costs = floors = year_qtys = years = ()
    # Texts are made a column at a time (`_columns`); the year columns flat, each line a slice of them.
    quantities = plain_column([qty for each in year_qtys for qty in each])
    qty_starts, qty_ends = _bounds(year_qtys)
    year_texts = money([amount for each in years for amount in each])
    year_starts, year_ends = _bounds(years)
    net_texts = money(net_totals)
    first_years = [year_texts[start] if end > start else net
                   for start, end, net in zip(year_starts, year_ends, net_texts, strict=True)]  # fmt: skip
    columns = (
        [line.id for line in lines],
        [line.sku for line in lines],
        [line.name for line in lines],
        [None if line.period is None else line.period._value_ for line in lines],
        [line.unit for line in lines],
        plain_column(qtys),
        qty_starts,
        qty_ends,
        plain_column(discounts),
        [line.priced for line in lines],
        unit(list_units),
        unit(tier_units),
        unit(net_units),
        money(per_periods),
        year_starts,
        year_ends,
        first_years,
        money(annuals),
        money(list_totals),
        money(list(map(sub, list_totals, tier_totals))),  # volume discount
        money(list(map(sub, tier_totals, net_totals))),  # negotiated discount
        money(list(map(sub, list_totals, net_totals))),  # total discount
        net_texts,
    )
    return _Shown(
        columns,
        _extra_columns(lines, net_totals, costs, floors, money, unit),
        quantities,
        year_texts,
        totals,
        {**totals, **_totals_extra(quote.totals, money)},
        tuple(_violation(violation) for violation in quote.violations),
        tuple(_violation(violation) for violation in quote.pricing_problems),
        quote.priceable,
    )


def _bounds(groups: Sequence[Sequence[object]]) -> tuple[list[int], list[int]]:
    """Where each group starts and ends in the flat list of all of them."""
    ends = list(accumulate(map(len, groups)))
    return [0, *ends[:-1]] if ends else [], ends


def _extra_columns(
    lines: list[LineQuote],
    nets: tuple[Decimal, ...],
    costs: tuple[Decimal | None, ...],
    floors: tuple[Decimal | None, ...],
    money: Column,
    unit: Column,
) -> tuple[Values, ...]:
    """Per line: cost, margin, margin percentage (None where the cost is unknown, the percentage also where net
    is zero), floor unit price, whether below the floor."""
    cost_texts: list[str | None]
    margin_texts: list[str | None]
    percents: list[str | None]
    if not any(map(is_, costs, repeat(None))):
        known: tuple[Decimal, ...] = costs  # type: ignore[assignment]
        margins = list(map(sub, nets, known))
        cost_texts, margin_texts = list(money(known)), list(money(margins))
        if all(nets):
            ratios = map(truediv, map(mul, margins, repeat(_HUNDRED)), nets)  # `quote_model.percent_of`
            percents = list(percent_column(list(map(Decimal.quantize, ratios, repeat(_PERCENT),
                                                    repeat(ROUND_HALF_EVEN)))))  # fmt: skip
        else:
            percents = [_percent(margin, net) for margin, net in zip(margins, nets, strict=True)]
    else:
        cost_texts = _where_known(costs, money)
        margins_known = [None if cost is None else net - cost for net, cost in zip(nets, costs, strict=True)]
        margin_texts = _where_known(margins_known, money)
        percents = [None if cost is None else _percent(net - cost, net) for net, cost in zip(nets, costs, strict=True)]
    return cost_texts, margin_texts, percents, _where_known(floors, unit), [line.below_floor for line in lines]


def _where_known(values: Sequence[Decimal | None], column: Column) -> list[str | None]:
    """`column` of the values that are not None, in place; None where they are."""
    texts = iter(column([value for value in values if value is not None]))
    return [None if value is None else next(texts) for value in values]


def _percent(margin: Decimal, net: Decimal) -> str | None:
    return format_percent((margin * _HUNDRED / net).quantize(_PERCENT, ROUND_HALF_EVEN)) if net else None


def _totals(totals: Totals, money: Column) -> dict[str, Any]:
    years = money(totals.years)
    texts = money([totals.list_total, totals.volume_discount, totals.negotiated_discount, totals.total_discount,
                   totals.net_total, totals.first_year, totals.annual_recurring])  # fmt: skip
    return {
        "list_total": texts[0],
        "volume_discount": texts[1],
        "negotiated_discount": texts[2],
        "total_discount": texts[3],
        "total_discount_pct": format_percent(totals.total_discount_pct),
        "net_total": texts[4],
        "years": tuple(years),
        "first_year": texts[5],
        "annual_recurring": texts[6],
    }


def _totals_extra(totals: Totals, money: Column) -> dict[str, Any]:
    margin_pct = totals.margin_pct
    return {
        "cost_total": None if totals.cost_total is None else money([totals.cost_total])[0],
        "margin": None if totals.margin is None else money([totals.margin])[0],
        "margin_pct": None if margin_pct is None else format_percent(margin_pct),
        "max_line_discount_pct": plain(totals.max_line_discount_pct),
        "below_floor": tuple(totals.below_floor),
    }


def _violation(violation: Violation) -> tuple[str | None, str, str]:
    return violation.line_id, str(violation.rule), violation.message


# --- handed out: every call its own dicts and lists --------------------------------------------------------


def _public_lines(shown: _Shown) -> list[dict[str, Any]]:
    quantities, years = shown.quantities, shown.years
    return [
        {"id": id_, "sku": sku, "name": name, "period": period, "unit": unit_, "qty": qty,
         "year_qty": quantities[qty_start:qty_end], "discount_pct": discount, "priced": priced,
         "list_unit": list_unit, "tier_unit": tier_unit, "net_unit": net_unit, "per_period": per_period,
         "years": years[year_start:year_end], "first_year": first_year, "annual_recurring": annual,
         "list_total": list_total, "volume_discount": volume, "negotiated_discount": negotiated,
         "total_discount": total_discount, "net_total": net_total}
        for (id_, sku, name, period, unit_, qty, qty_start, qty_end, discount, priced, list_unit, tier_unit, net_unit,
             per_period, year_start, year_end, first_year, annual, list_total, volume, negotiated, total_discount,
             net_total) in zip(*shown.columns, strict=True)
    ]  # fmt: skip


def _internal_lines(shown: _Shown) -> list[dict[str, Any]]:
    quantities, years = shown.quantities, shown.years
    return [
        {"id": id_, "sku": sku, "name": name, "period": period, "unit": unit_, "qty": qty,
         "year_qty": quantities[qty_start:qty_end], "discount_pct": discount, "priced": priced,
         "list_unit": list_unit, "tier_unit": tier_unit, "net_unit": net_unit, "per_period": per_period,
         "years": years[year_start:year_end], "first_year": first_year, "annual_recurring": annual,
         "list_total": list_total, "volume_discount": volume, "negotiated_discount": negotiated,
         "total_discount": total_discount, "net_total": net_total,
         "cost_total": cost, "margin": margin, "margin_pct": margin_pct, "floor_unit": floor, "below_floor": below}
        for (id_, sku, name, period, unit_, qty, qty_start, qty_end, discount, priced, list_unit, tier_unit, net_unit,
             per_period, year_start, year_end, first_year, annual, list_total, volume, negotiated, total_discount,
             net_total, cost, margin, margin_pct, floor, below) in zip(*shown.columns, *shown.extra_columns,
                                                                       strict=True)
    ]  # fmt: skip


def _view(quote: Quote, shown: _Shown, lines: list[dict[str, Any]], totals: dict[str, Any]) -> dict[str, Any]:
    totals["years"] = list(totals["years"])
    if "below_floor" in totals:
        totals["below_floor"] = list(totals["below_floor"])
    return {
        "currency": quote.currency,
        "term_months": quote.term_months,
        "billing": quote.billing,
        "book_version": quote.book_version,
        "currencies": list(quote.currencies),
        "months": list(quote.months),
        "lines": lines,
        "totals": totals,
        "violations": [_violation_view(violation) for violation in shown.violations],
        "priceable": shown.priceable,
        "pricing_problems": [_violation_view(violation) for violation in shown.pricing_problems],
    }


def _violation_view(violation: tuple[str | None, str, str]) -> dict[str, Any]:
    line_id, rule, message = violation
    return {"line_id": line_id, "rule": rule, "message": message}
