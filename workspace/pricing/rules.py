"""Configuration rules: which products need, or rule out, which others; quantity limits; allowed terms.
Evaluated over the lines of a deal, each broken rule becomes a `Violation` on the line it concerns."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal

from workspace.pricing.catalog import BillingPeriod, PriceBook, Product
from workspace.pricing.deal_input import DealLine, contract_years, term_problem, year_quantities
from workspace.pricing.money import format_quantity
from workspace.pricing.violations import Rule, Violation


def check_configuration(lines: Sequence[DealLine], book: PriceBook, term_months: int) -> list[Violation]:
    """The configuration violations of `lines` under a term of `term_months`, in line order. Leave out lines
    whose own values are invalid (see `line_problems`): rules compare quantities."""
    term_ok = term_problem(term_months) is None
    years = len(contract_years(term_months)) if term_ok else 1
    present = _present_skus(lines, book, years)
    violations: list[Violation] = []
    for line in lines:
        product = book.product(line.sku)
        if product is None:
            text = f"{line.sku} is not in the price book (version {book.version})."
            violations.append(Violation(line.id, Rule.UNKNOWN_SKU, text))
            continue
        rules = product.rules
        # Each check is guarded so that a product without rules costs one attribute read per kind.
        if not product.active:
            violations.append(Violation(line.id, Rule.INACTIVE, f"{product.name} is no longer sold."))
        if rules.requires:
            violations += _requires(line, product, present, book)
        excluded = book.excluded_with(product.sku)
        if excluded and not excluded.isdisjoint(present):
            violations += _excludes(line, product, excluded & present, book)
        if rules.min_qty is not None or rules.max_qty is not None:
            violations += _quantity_limits(line, product, years)
        if term_ok and rules.allowed_terms and term_months not in rules.allowed_terms:
            violations.append(_terms(line, product, term_months))
    return violations


def _present_skus(lines: Sequence[DealLine], book: PriceBook, years: int) -> set[str]:
    # A product counts as on the quote when some year of a line buys a positive quantity of it.
    present: set[str] = set()
    for line in lines:
        product = book.product(line.sku)
        if product is None:
            continue
        ramped = line.ramp and product.billing_period is not BillingPeriod.ONE_TIME
        if any(qty > 0 for qty in year_quantities(line, years)) if ramped else line.qty > 0:
            present.add(line.sku)
    return present


def _requires(line: DealLine, product: Product, present: set[str], book: PriceBook) -> list[Violation]:
    found: list[Violation] = []
    for group in product.rules.requires:
        if present.isdisjoint(group):
            names = _either(_name(book, sku) for sku in group)
            found.append(Violation(line.id, Rule.REQUIRES, f"{product.name} requires {names} on the same quote."))
    return found


def _excludes(line: DealLine, product: Product, clashes: Iterable[str], book: PriceBook) -> list[Violation]:
    return [
        Violation(line.id, Rule.EXCLUDES, f"{product.name} cannot be on the same quote as {_name(book, sku)}.")
        for sku in sorted(clashes)
    ]


def _quantity_limits(line: DealLine, product: Product, years: int) -> list[Violation]:
    low, high = product.rules.min_qty, product.rules.max_qty
    if low is None and high is None:
        return []
    found: list[Violation] = []
    ramped = bool(line.ramp) and product.billing_period is not BillingPeriod.ONE_TIME
    quantities = year_quantities(line, years) if ramped else (line.qty,)
    for index, qty in enumerate(quantities):
        below, above = low is not None and qty < low, high is not None and qty > high
        if not below and not above:
            continue
        has = f"year {index + 1} has {format_quantity(qty)}" if ramped else f"this line has {format_quantity(qty)}"
        if below and low is not None:
            text = f"{product.name} needs at least {_count(product, low)}; {has}."
            found.append(Violation(line.id, Rule.MIN_QTY, text))
        if above and high is not None:
            text = f"{product.name} allows at most {_count(product, high)} per line; {has}."
            found.append(Violation(line.id, Rule.MAX_QTY, text))
    return found


def _terms(line: DealLine, product: Product, term_months: int) -> Violation:
    terms = _either(str(term) for term in product.rules.allowed_terms)
    text = f"{product.name} is sold on {terms}-month terms; this deal is {term_months} months."
    return Violation(line.id, Rule.ALLOWED_TERMS, text)


def _count(product: Product, qty: Decimal) -> str:
    return f"{format_quantity(qty)} {product.units(qty)}"


def _name(book: PriceBook, sku: str) -> str:
    product = book.product(sku)
    return product.name if product is not None else sku


def _either(words: Iterable[str]) -> str:
    """ "A", "A or B", "A, B or C"."""
    items = list(words)
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} or {items[-1]}"
