"""The price book: products with prices per currency, cost, floor, volume tiers, configuration rules and
the facts a rep needs at hand. A book is immutable and versioned; load one from JSON with
`workspace.pricing.catalog_load.load_price_book`."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum

from workspace.pricing.tiers import TierMode, TierTable


class BillingPeriod(StrEnum):
    """The period a product's unit price is quoted for."""

    MONTHLY = "monthly"
    ANNUAL = "annual"
    ONE_TIME = "one_time"


@dataclass(frozen=True, slots=True)
class Tier:
    """A volume tier: from unit `from_qty` on, the unit price in each currency."""

    from_qty: Decimal
    unit_price: Mapping[str, Decimal]


@dataclass(frozen=True, slots=True)
class ProductRules:
    """Configuration rules of a product. `requires` is a list of groups: at least one SKU of each group
    must be on the quote. An empty `allowed_terms` allows any term."""

    requires: tuple[tuple[str, ...], ...] = ()
    excludes: tuple[str, ...] = ()
    min_qty: Decimal | None = None
    max_qty: Decimal | None = None
    allowed_terms: tuple[int, ...] = ()


@dataclass(frozen=True, slots=True)
class CollateralLink:
    """A datasheet, deck or battlecard; `internal` ones are never shown to the customer."""

    title: str
    url: str
    internal: bool = False


@dataclass(frozen=True, slots=True)
class CompetitorNote:
    """How to position against a competitor; always internal."""

    competitor: str
    note: str


@dataclass(frozen=True, slots=True)
class ProductFacts:
    """What a rep wants at their fingertips for a line item."""

    collateral: tuple[CollateralLink, ...] = ()
    competitor_notes: tuple[CompetitorNote, ...] = ()
    often_bought_with: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Product:
    """A sellable item. Prices, cost and floor are per unit per billing period, by currency."""

    sku: str
    name: str
    unit: str
    billing_period: BillingPeriod
    prices: Mapping[str, Decimal]
    description: str = ""
    unit_plural: str = ""
    cost: Mapping[str, Decimal] = field(default_factory=dict)
    floor: Mapping[str, Decimal] = field(default_factory=dict)
    tier_mode: TierMode = TierMode.GRADUATED
    tiers: tuple[Tier, ...] = ()
    rules: ProductRules = ProductRules()
    facts: ProductFacts = ProductFacts()
    active: bool = True

    def units(self, qty: Decimal) -> str:
        """The unit word for `qty`: "1 user", "2 users"."""
        if qty == 1:
            return self.unit
        return self.unit_plural or _plural(self.unit)

    def price_point(self, currency: str) -> PricePoint | None:
        """Everything needed to price this product in `currency`, or None if it has no price there."""
        price = self.prices.get(currency)
        if price is None:
            return None
        if self.tiers:
            steps = [(tier.from_qty, tier.unit_price[currency]) for tier in self.tiers]
            table = TierTable.build(self.tier_mode, steps)
        else:
            table = TierTable.flat(price)
        flat = len(table.prices) == 1 and table.prices[0] == price
        cost, floor = self.cost.get(currency), self.floor.get(currency)
        return PricePoint(self, price, table, cost, floor, flat, self.units(Decimal(2)))


@dataclass(frozen=True, slots=True)
class PricePoint:
    """A product in one currency: list price, tiers, cost and floor, all per unit per billing period."""

    product: Product
    list_price: Decimal
    tiers: TierTable
    cost: Decimal | None
    floor: Decimal | None
    flat: bool = False
    """No volume tiers: the tier price is the list price (saves the engine a multiplication per year)."""
    units: str = ""
    """The plural unit word, looked up once."""


@dataclass(frozen=True, slots=True)
class PriceBook:
    """A version of the company's price book. Construct through `load_price_book` to have it validated;
    direct construction trusts its input (tests, samples)."""

    version: int
    currencies: tuple[str, ...]
    products: tuple[Product, ...]
    name: str = ""
    effective_from: date | None = None
    _by_sku: dict[str, Product] = field(init=False, repr=False, compare=False)
    _points: dict[str, dict[str, PricePoint]] = field(init=False, repr=False, compare=False)
    _excludes: dict[str, frozenset[str]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # Derived indexes, built once: a quote looks every line up, and exclusions hold both ways.
        by_sku = {product.sku: product for product in self.products}
        points: dict[str, dict[str, PricePoint]] = {currency: {} for currency in self.currencies}
        for product in self.products:
            for currency in self.currencies:
                point = product.price_point(currency)
                if point is not None:
                    points[currency][product.sku] = point
        excludes: dict[str, set[str]] = {sku: set() for sku in by_sku}
        for product in self.products:
            for other in product.rules.excludes:
                excludes[product.sku].add(other)
                excludes.setdefault(other, set()).add(product.sku)
        object.__setattr__(self, "_by_sku", by_sku)
        object.__setattr__(self, "_points", points)
        object.__setattr__(self, "_excludes", {sku: frozenset(skus) for sku, skus in excludes.items()})

    def product(self, sku: str) -> Product | None:
        """The product with `sku`, or None."""
        return self._by_sku.get(sku)

    def price_point(self, sku: str, currency: str) -> PricePoint | None:
        """The product `sku` priced in `currency`, or None when either is unknown."""
        return self._points.get(currency, {}).get(sku)

    def price_points(self, currency: str) -> Mapping[str, PricePoint]:
        """Every product that has a price in `currency`, by SKU."""
        return self._points.get(currency, {})

    def excluded_with(self, sku: str) -> frozenset[str]:
        """The SKUs that may not share a quote with `sku`, whichever of the two declared it."""
        return self._excludes.get(sku, frozenset())

    def facts_for_customer(self, sku: str) -> ProductFacts | None:
        """The facts of `sku` a customer may see: shareable collateral only, no competitor notes."""
        product = self.product(sku)
        if product is None:
            return None
        shareable = tuple(link for link in product.facts.collateral if not link.internal)
        return ProductFacts(collateral=shareable, often_bought_with=product.facts.often_bought_with)


def _plural(unit: str) -> str:
    # Good enough for unit words ("user", "seat", "day", "entity"); a book can give `unit_plural` instead.
    if not unit or unit.endswith("s") or unit.isupper():
        return unit
    if unit.endswith("y") and len(unit) > 1 and unit[-2] not in "aeiou":
        return unit[:-1] + "ies"
    return unit + "s"
