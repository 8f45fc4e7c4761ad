"""Helpers to read plain JSON-like data field by field, collecting every problem with its path
("products[3].tiers[1].from_qty ...") instead of stopping at the first."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal

from workspace.pricing.money import InvalidAmount, is_currency, minor_units, parse_decimal


class Issues:
    """The list of problems found so far, each "path message"."""

    def __init__(self) -> None:
        self.items: list[str] = []

    def add(self, path: str, message: str) -> None:
        self.items.append(f"{path} {message}" if path else message)

    def __bool__(self) -> bool:
        return bool(self.items)


def join(path: str, key: str | int) -> str:
    """The path of a child: `join("products[3]", "sku")` is "products[3].sku"."""
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else key


def mapping(value: object, path: str, issues: Issues) -> Mapping[str, object] | None:
    if isinstance(value, Mapping) and all(isinstance(key, str) for key in value):
        return value
    issues.add(path, "must be an object")
    return None


def sequence(value: object, path: str, issues: Issues) -> Sequence[object] | None:
    if isinstance(value, Sequence) and not isinstance(value, str | bytes):
        return value
    issues.add(path, "must be a list")
    return None


def unknown_keys(data: Mapping[str, object], allowed: set[str], path: str, issues: Issues) -> None:
    """Report keys we do not read: a typo ("flor") must not silently drop a floor price."""
    for key in sorted(set(data) - allowed):
        issues.add(join(path, key), "is not a known field")


def text(data: Mapping[str, object], key: str, path: str, issues: Issues, *, required: bool = True) -> str | None:
    value = data.get(key)
    where = join(path, key)
    if value is None:
        if required:
            issues.add(where, "is required")
        return None
    if not isinstance(value, str) or not value.strip():
        issues.add(where, "must be a non-empty string")
        return None
    return value.strip()


def flag(data: Mapping[str, object], key: str, path: str, issues: Issues, *, default: bool) -> bool:
    value = data.get(key, default)
    if not isinstance(value, bool):
        issues.add(join(path, key), "must be true or false")
        return default
    return value


def integer(value: object, path: str, issues: Issues, *, minimum: int, maximum: int) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int):
        issues.add(path, "must be a whole number")
        return None
    if not minimum <= value <= maximum:
        issues.add(path, f"must be between {minimum} and {maximum}")
        return None
    return value


def decimal(
    value: object,
    path: str,
    issues: Issues,
    *,
    max_places: int,
    maximum: Decimal,
    allow_negative: bool = False,
) -> Decimal | None:
    """A decimal given as a string ("75.00") or a JSON integer; a JSON float is refused because it may
    already have lost the cents."""
    if isinstance(value, bool) or value is None:
        issues.add(path, 'must be a decimal string such as "75.00"')
        return None
    if isinstance(value, float):
        issues.add(path, f'must be a string such as "{value}", not a JSON number with a fraction (it can lose cents)')
        return None
    if isinstance(value, int) and abs(value) > maximum:  # before str(): huge ints are slow or refused to print
        issues.add(path, f"must not exceed {maximum:,f}")
        return None
    raw = str(value) if isinstance(value, int) else value
    if not isinstance(raw, str):
        issues.add(path, 'must be a decimal string such as "75.00"')
        return None
    try:
        number = parse_decimal(raw, max_places=max_places, allow_negative=allow_negative)
    except InvalidAmount as error:
        issues.add(path, f"is invalid: {error}")
        return None
    if abs(number) > maximum:
        issues.add(path, f"must not exceed {maximum:,f}")
        return None
    return number


def currency_amounts(
    value: object,
    path: str,
    issues: Issues,
    *,
    currencies: Sequence[str] | None,
    max_places: int | None,
    maximum: Decimal,
) -> dict[str, Decimal]:
    """A map currency → amount. With `max_places` None an amount may have the currency's minor units only."""
    amounts: dict[str, Decimal] = {}
    data = mapping(value, path, issues)
    if data is None:
        return amounts
    for code, raw in data.items():
        where = join(path, code)
        if currencies is not None and code not in currencies:
            issues.add(where, f"is not one of the price book's currencies ({', '.join(currencies)})")
            continue
        if not is_currency(code):
            issues.add(where, "is not a known currency code")
            continue
        places = minor_units(code) if max_places is None else max_places
        amount = decimal(raw, where, issues, max_places=places, maximum=maximum)
        if amount is not None:
            amounts[code] = amount
    return amounts


def iso_date(data: Mapping[str, object], key: str, path: str, issues: Issues) -> date | None:
    value = data.get(key)
    if value is None:
        return None
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    issues.add(join(path, key), 'must be a date such as "2027-01-01"')
    return None


def sku_list(value: object, path: str, issues: Issues) -> list[str]:
    items = sequence(value, path, issues)
    if items is None:
        return []
    skus: list[str] = []
    for index, item in enumerate(items):
        if isinstance(item, str) and item.strip():
            skus.append(item.strip())
        else:
            issues.add(join(path, index), "must be a SKU string")
    return skus
