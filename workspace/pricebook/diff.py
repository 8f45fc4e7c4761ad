"""What changed between two price books (pure): products added, removed and changed, field by field.

Prices, costs and floors are compared per currency and reported as `prices.USD`, `floor.EUR`...; tiers,
rules and facts as wholes (their before and after are shown side by side, not merged).
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

_PLAIN = ("name", "description", "unit", "unit_plural", "billing_period", "tier_mode", "active")
_PER_CURRENCY = ("prices", "cost", "floor")
_WHOLE = ("tiers", "rules", "facts")
_BOOK = ("name", "effective_from", "currencies")


def _same(before: object, after: object) -> bool:
    """Equal values, with "20" and "20.00" the same price."""
    if isinstance(before, str | int) and isinstance(after, str | int) and not isinstance(before, bool):
        try:
            return Decimal(str(before)) == Decimal(str(after))
        except InvalidOperation:
            pass
    return before == after


def product_changes(before: dict[str, Any], after: dict[str, Any]) -> list[dict[str, Any]]:
    """The fields of one product that differ, each `{"field", "before", "after"}` (None: absent)."""
    changes: list[dict[str, Any]] = []
    for key in _PLAIN:
        old, new = before.get(key), after.get(key)
        if key == "active":
            old, new = old is not False, new is not False
        if old != new:
            changes.append({"field": key, "before": old, "after": new})
    for key in _PER_CURRENCY:
        old_map, new_map = before.get(key) or {}, after.get(key) or {}
        for currency in sorted(set(old_map) | set(new_map)):
            old, new = old_map.get(currency), new_map.get(currency)
            if not _same(old, new):
                changes.append({"field": f"{key}.{currency}", "before": old, "after": new})
    for key in _WHOLE:
        if (before.get(key) or None) != (after.get(key) or None):
            changes.append({"field": key, "before": before.get(key), "after": after.get(key)})
    return changes


def _by_sku(book: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {p["sku"]: p for p in book.get("products", []) if isinstance(p, dict) and isinstance(p.get("sku"), str)}


def book_diff(before: dict[str, Any] | None, after: dict[str, Any]) -> dict[str, Any]:
    """`after` against `before` (None: everything is added). Products keep the order of the books."""
    old, new = _by_sku(before or {}), _by_sku(after)
    added = [{"sku": sku, "name": p.get("name", "")} for sku, p in new.items() if sku not in old]
    removed = [{"sku": sku, "name": p.get("name", "")} for sku, p in old.items() if sku not in new]
    changed = []
    for sku, product in new.items():
        if sku in old:
            changes = product_changes(old[sku], product)
            if changes:
                changed.append({"sku": sku, "name": product.get("name", ""), "changes": changes})
    book = [
        {"field": key, "before": (before or {}).get(key), "after": after.get(key)}
        for key in _BOOK
        if (before or {}).get(key) != after.get(key)
    ]
    return {"added": added, "removed": removed, "changed": changed, "book": book,
            "empty": not (added or removed or changed or book)}  # fmt: skip
