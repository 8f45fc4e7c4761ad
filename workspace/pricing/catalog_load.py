"""Validate a price book given as plain JSON data and build the `PriceBook`. Every problem is reported,
each with its path ("products[3].tiers[1].from_qty must increase"), in one `PriceBookInvalid`."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from decimal import Decimal

from workspace.pricing import _fields as f
from workspace.pricing.catalog import (
    BillingPeriod,
    CollateralLink,
    CompetitorNote,
    PriceBook,
    Product,
    ProductFacts,
    ProductRules,
    Tier,
)
from workspace.pricing.errors import PriceBookInvalid
from workspace.pricing.limits import MAX_PRICE, MAX_QTY, MAX_TERM_MONTHS, MAX_TIERS, PRICE_PLACES, QTY_PLACES
from workspace.pricing.money import is_currency
from workspace.pricing.tiers import TierMode

_BOOK_KEYS = {"version", "name", "effective_from", "currencies", "products"}
_PRODUCT_KEYS = {
    "sku", "name", "description", "unit", "unit_plural", "billing_period", "prices", "cost", "floor",
    "tier_mode", "tiers", "rules", "facts", "active",
}  # fmt: skip
_RULE_KEYS = {"requires", "excludes", "min_qty", "max_qty", "allowed_terms"}
_FACT_KEYS = {"collateral", "competitor_notes", "often_bought_with"}
_SKU = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
_URL = re.compile(r"https?://\S+")


def load_price_book(data: object) -> PriceBook:
    """A validated `PriceBook` from JSON data; raise `PriceBookInvalid` listing every problem."""
    issues = f.Issues()
    book = f.mapping(data, "", issues)
    if book is None:
        raise PriceBookInvalid(["the price book must be a JSON object"])
    f.unknown_keys(book, _BOOK_KEYS, "", issues)
    version = f.integer(book.get("version"), "version", issues, minimum=1, maximum=10**9)
    name = f.text(book, "name", "", issues, required=False) or ""
    effective_from = f.iso_date(book, "effective_from", "", issues)
    currencies = _currencies(book.get("currencies"), issues)
    products: dict[int, Product] = {}
    raw_products = f.sequence(book.get("products", []), "products", issues) or []
    for index, raw in enumerate(raw_products):
        product = _product(raw, f"products[{index}]", currencies, issues)
        if product is not None:
            products[index] = product
    _check_references(raw_products, products, issues)
    if issues or version is None:
        raise PriceBookInvalid(issues.items)
    return PriceBook(version, tuple(currencies), tuple(products.values()), name, effective_from)


def _currencies(value: object, issues: f.Issues) -> list[str]:
    items = f.sequence(value, "currencies", issues)
    if items is None:
        return []
    if not items:
        issues.add("currencies", "must name at least one currency")
    codes: list[str] = []
    for index, code in enumerate(items):
        where = f"currencies[{index}]"
        if not isinstance(code, str) or not is_currency(code):
            issues.add(where, f"{code!r} is not a known currency code")
        elif code in codes:
            issues.add(where, f"{code} is listed twice")
        else:
            codes.append(code)
    return codes


def _product(raw: object, path: str, currencies: list[str], issues: f.Issues) -> Product | None:
    data = f.mapping(raw, path, issues)
    if data is None:
        return None
    before = len(issues.items)
    f.unknown_keys(data, _PRODUCT_KEYS, path, issues)
    sku = f.text(data, "sku", path, issues)
    if sku is not None and not _SKU.fullmatch(sku):
        issues.add(f"{path}.sku", f"{sku!r} must be letters, digits, '.', '_' or '-' (at most 64)")
    name = f.text(data, "name", path, issues)
    unit = f.text(data, "unit", path, issues)
    period = _choice(data.get("billing_period"), f"{path}.billing_period", BillingPeriod, issues)
    prices = _unit_amounts(data.get("prices"), f"{path}.prices", currencies, issues)
    raw_prices = data.get("prices")
    # Cross-checks go by the currencies given, so one malformed price is one error, not a cascade.
    priced = set(raw_prices) if isinstance(raw_prices, Mapping) else set(prices)
    if isinstance(raw_prices, Mapping) and not raw_prices:
        issues.add(f"{path}.prices", "must give a price in at least one currency")
    cost = _unit_amounts(data.get("cost", {}), f"{path}.cost", currencies, issues)
    floor = _unit_amounts(data.get("floor", {}), f"{path}.floor", currencies, issues)
    for label, extra in (("cost", cost), ("floor", floor)):
        for code in sorted(set(extra) - priced):
            issues.add(f"{path}.{label}.{code}", f"has no list price in {code} to go with it")
    for code, amount in floor.items():
        if code in prices and amount > prices[code]:
            issues.add(f"{path}.floor.{code}", f"{amount} is above the list price {prices[code]}")
    mode = _choice(data.get("tier_mode", TierMode.GRADUATED.value), f"{path}.tier_mode", TierMode, issues)
    tiers = _tiers(data.get("tiers", []), f"{path}.tiers", prices, priced, issues)
    rules = _rules(data.get("rules", {}), f"{path}.rules", issues)
    facts = _facts(data.get("facts", {}), f"{path}.facts", issues)
    active = f.flag(data, "active", path, issues, default=True)
    failed = len(issues.items) > before
    if failed or sku is None or name is None or unit is None or period is None or mode is None:
        return None
    return Product(
        sku=sku,
        name=name,
        unit=unit,
        billing_period=BillingPeriod(period),
        prices=prices,
        description=f.text(data, "description", path, issues, required=False) or "",
        unit_plural=f.text(data, "unit_plural", path, issues, required=False) or "",
        cost=cost,
        floor=floor,
        tier_mode=TierMode(mode),
        tiers=tiers,
        rules=rules,
        facts=facts,
        active=active,
    )


def _choice(value: object, path: str, kind: type[BillingPeriod] | type[TierMode], issues: f.Issues) -> str | None:
    allowed = [member.value for member in kind]
    if value not in allowed:
        issues.add(path, f"must be one of {', '.join(allowed)}")
        return None
    assert isinstance(value, str)
    return value


def _tiers(
    value: object, path: str, prices: dict[str, Decimal], priced: set[str], issues: f.Issues
) -> tuple[Tier, ...]:
    items = f.sequence(value, path, issues)
    if not items:
        return ()
    if len(items) > MAX_TIERS:
        issues.add(path, f"has {len(items)} tiers; at most {MAX_TIERS} are allowed")
        return ()
    tiers: list[Tier] = []
    previous: Tier | None = None
    for index, raw in enumerate(items):
        where = f"{path}[{index}]"
        data = f.mapping(raw, where, issues)
        if data is None:
            continue
        f.unknown_keys(data, {"from_qty", "unit_price"}, where, issues)
        start = _whole(data.get("from_qty"), f"{where}.from_qty", issues)
        amounts = _unit_amounts(data.get("unit_price"), f"{where}.unit_price", None, issues)
        given = set(raw_amounts) if isinstance(raw_amounts := data.get("unit_price"), Mapping) else set(amounts)
        for code in sorted(priced - given):
            issues.add(f"{where}.unit_price.{code}", f"is required (the product has a {code} list price)")
        for code in sorted(set(amounts) - priced):
            issues.add(f"{where}.unit_price.{code}", f"has no list price in {code} to go with it")
        for code, amount in sorted(amounts.items()):
            if code in prices and amount > prices[code]:
                issues.add(f"{where}.unit_price.{code}", f"{amount} is above the list price {prices[code]}")
            elif previous is not None and code in previous.unit_price and amount > previous.unit_price[code]:
                issues.add(
                    f"{where}.unit_price.{code}", f"{amount} is above the previous tier's {previous.unit_price[code]}"
                )
        if start is None:
            continue
        if index == 0 and start != 1:
            issues.add(f"{where}.from_qty", "must be 1 (the first tier starts at the first unit)")
        if previous is not None and start <= previous.from_qty:
            issues.add(f"{where}.from_qty", f"must increase (it follows {previous.from_qty})")
        tier = Tier(start, amounts)
        tiers.append(tier)
        previous = tier
    return tuple(tiers)


def _unit_amounts(value: object, path: str, currencies: list[str] | None, issues: f.Issues) -> dict[str, Decimal]:
    if value is None:
        issues.add(path, "is required")
        return {}
    return f.currency_amounts(value, path, issues, currencies=currencies, max_places=PRICE_PLACES, maximum=MAX_PRICE)


def _whole(value: object, path: str, issues: f.Issues) -> Decimal | None:
    number = f.decimal(value, path, issues, max_places=0, maximum=MAX_QTY)
    if number is not None and number < 1:
        issues.add(path, "must be at least 1")
        return None
    return number


def _rules(value: object, path: str, issues: f.Issues) -> ProductRules:
    data = f.mapping(value, path, issues)
    if data is None:
        return ProductRules()
    f.unknown_keys(data, _RULE_KEYS, path, issues)
    requires: list[tuple[str, ...]] = []
    for index, group in enumerate(f.sequence(data.get("requires", []), f"{path}.requires", issues) or []):
        where = f"{path}.requires[{index}]"
        skus = f.sku_list(group, where, issues) if not isinstance(group, str) else [group]
        if not skus:
            issues.add(where, "must name a SKU or a non-empty list of SKUs (any one of them will do)")
        requires.append(tuple(skus))
    excludes = f.sku_list(data.get("excludes", []), f"{path}.excludes", issues)
    low, high = (_quantity(data, key, path, issues) for key in ("min_qty", "max_qty"))
    if low is not None and high is not None and low > high:
        issues.add(f"{path}.max_qty", f"{high} is below min_qty {low}")
    terms: list[int] = []
    for index, raw in enumerate(f.sequence(data.get("allowed_terms", []), f"{path}.allowed_terms", issues) or []):
        term = f.integer(raw, f"{path}.allowed_terms[{index}]", issues, minimum=1, maximum=MAX_TERM_MONTHS)
        if term is not None:
            terms.append(term)
    return ProductRules(tuple(requires), tuple(excludes), low, high, tuple(sorted(set(terms))))


def _quantity(data: Mapping[str, object], key: str, path: str, issues: f.Issues) -> Decimal | None:
    if data.get(key) is None:
        return None
    return f.decimal(data[key], f"{path}.{key}", issues, max_places=QTY_PLACES, maximum=MAX_QTY)


def _facts(value: object, path: str, issues: f.Issues) -> ProductFacts:
    data = f.mapping(value, path, issues)
    if data is None:
        return ProductFacts()
    f.unknown_keys(data, _FACT_KEYS, path, issues)
    links: list[CollateralLink] = []
    for index, raw in enumerate(f.sequence(data.get("collateral", []), f"{path}.collateral", issues) or []):
        where = f"{path}.collateral[{index}]"
        link = f.mapping(raw, where, issues)
        if link is None:
            continue
        f.unknown_keys(link, {"title", "url", "internal"}, where, issues)
        title, url = f.text(link, "title", where, issues), f.text(link, "url", where, issues)
        if url is not None and not _URL.fullmatch(url):
            issues.add(f"{where}.url", "must be an http or https address")
        elif title is not None and url is not None:
            links.append(CollateralLink(title, url, f.flag(link, "internal", where, issues, default=False)))
    notes: list[CompetitorNote] = []
    raw_notes = f.sequence(data.get("competitor_notes", []), f"{path}.competitor_notes", issues) or []
    for index, raw in enumerate(raw_notes):
        where = f"{path}.competitor_notes[{index}]"
        note = f.mapping(raw, where, issues)
        if note is None:
            continue
        f.unknown_keys(note, {"competitor", "note"}, where, issues)
        competitor, text = f.text(note, "competitor", where, issues), f.text(note, "note", where, issues)
        if competitor is not None and text is not None:
            notes.append(CompetitorNote(competitor, text))
    often = f.sku_list(data.get("often_bought_with", []), f"{path}.often_bought_with", issues)
    return ProductFacts(tuple(links), tuple(notes), tuple(often))


def _check_references(raw_products: Sequence[object], products: dict[int, Product], issues: f.Issues) -> None:
    """SKUs are unique, and every SKU a rule or fact names exists and is not the product itself."""
    seen: dict[str, int] = {}
    for index, item in enumerate(raw_products):
        sku = item.get("sku") if isinstance(item, Mapping) else None
        if isinstance(sku, str):
            sku = sku.strip()
            if sku in seen:
                issues.add(f"products[{index}].sku", f"{sku!r} is already used by products[{seen[sku]}]")
            else:
                seen[sku] = index
    for index, product in products.items():
        path = f"products[{index}]"
        named: list[tuple[str, str]] = [
            (f"{path}.rules.requires[{group_index}]", sku)
            for group_index, group in enumerate(product.rules.requires)
            for sku in group
        ]
        named += [(f"{path}.rules.excludes", sku) for sku in product.rules.excludes]
        named += [(f"{path}.facts.often_bought_with", sku) for sku in product.facts.often_bought_with]
        for where, sku in named:
            if sku == product.sku:
                issues.add(where, f"names the product itself ({sku})")
            elif sku not in seen:
                issues.add(where, f"names unknown SKU {sku!r}")
