"""What a person may enter into a pricing line or the deal's pricing fields.

The room's write guard holds every client to these bounds (`workspace/sync/guard.py`), and the browser
mirrors them next to each field (`frontend/src/room/inputs.ts`): a quantity of -5, a discount of 150 %, a
SKU or a currency the room's price book does not have would otherwise be stored and show up only as a
broken quote. They are narrower than what the engine can price (`limits`): a line's quantity is a whole
number of units, and a negotiated discount has at most two decimals.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Final

from workspace.pricing.catalog import PriceBook
from workspace.pricing.deal_input import Billing
from workspace.pricing.limits import MAX_QTY, MAX_TERM_MONTHS

MIN_LINE_QTY: Final = 1
"""A line buys at least one unit; a line of nothing is removed, not zeroed."""

MAX_LINE_QTY: Final = int(MAX_QTY)
"""The engine's bound (a billion units: usage is sold in packs)."""

DISCOUNT_ENTRY_PLACES: Final = 2
"""12.25 % is a discount people negotiate; 12.3456 % is noise from a client."""

MAX_NOTE_LENGTH: Final = 2000
"""A line's note is a remark, not a document (the terms are the place for text)."""

MAX_LINE_ID_LENGTH: Final = 100
"""Line ids are UUIDs (36 characters); room for other clients' ids, not for payloads."""

_DISCOUNT_STEP: Final = Decimal(1).scaleb(-DISCOUNT_ENTRY_PLACES)
_REQUIRED_WITH_A_BOOK: Final = ("sku", "qty")
_KEPT: Final = frozenset({"id", "sku", "qty"})
_BILLINGS: Final = frozenset(billing.value for billing in Billing)


@dataclass(frozen=True)
class PriceLimits:
    """What a room's pinned price book prices: the SKUs a line may name (active products; `retired` ones are
    no longer sold) and the currencies the deal may be in."""

    version: int
    skus: frozenset[str]
    retired: frozenset[str]
    currencies: tuple[str, ...]

    @classmethod
    def of(cls, book: PriceBook) -> PriceLimits:
        active = frozenset(product.sku for product in book.products if product.active)
        retired = frozenset(product.sku for product in book.products if not product.active)
        return cls(book.version, active, retired, tuple(book.currencies))


def _number(value: object) -> float | None:
    """A finite JSON number (Yjs numbers arrive as float or int), else None; booleans are not numbers."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value) if math.isfinite(value) else None


def _shown(value: object) -> str:
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e16:
        value = int(value)  # Yjs sends -5 as -5.0
    text = repr(value) if isinstance(value, str) else f"{value}"
    return text if len(text) <= 24 else text[:21] + "..."


def qty_problem(value: object) -> str | None:
    """Why `value` is not a line quantity, or None."""
    number = _number(value)
    if number is None or not number.is_integer() or not MIN_LINE_QTY <= number <= MAX_LINE_QTY:
        return f"the quantity must be a whole number from {MIN_LINE_QTY} to {MAX_LINE_QTY:,}, not {_shown(value)}"
    return None


def discount_problem(value: object) -> str | None:
    """Why `value` is not a line discount in percent, or None."""
    number = _number(value)
    if number is None or not 0 <= number <= 100:
        return f"the discount must be a number from 0 to 100 (percent), not {_shown(value)}"
    exact = Decimal(repr(number))  # the shortest decimal that reads back as this double: 12.5, not 12.4999...
    if exact.quantize(_DISCOUNT_STEP) != exact:
        return f"the discount may have at most {DISCOUNT_ENTRY_PLACES} decimals, not {_shown(value)}"
    return None


def sku_problem(value: object, limits: PriceLimits | None) -> str | None:
    """Why `value` cannot be a line's SKU in a room priced from `limits` (None: no price book), or None."""
    if not isinstance(value, str):
        return f"a SKU is text, not {_shown(value)}"
    if limits is None:
        return None
    if value in limits.retired:
        return f"{_shown(value)} is no longer sold (price book version {limits.version})"
    if value not in limits.skus:
        return f"SKU {_shown(value)} is not in this room's price book (version {limits.version})"
    return None


def line_problem(values: Mapping[str, object], limits: PriceLimits | None, *, partial: bool = False) -> str | None:
    """Why a line (all its values; `partial`: only the changed ones, a removed key given as `removed`) cannot
    be stored in a room priced from `limits`, or None. Keys the room does not price are left alone."""
    if not partial:
        line_id = values.get("id")
        if not isinstance(line_id, str) or not line_id or len(line_id) > MAX_LINE_ID_LENGTH:
            return "a new line needs an id (text of at most 100 characters)"
        if limits is not None:
            missing = [key for key in _REQUIRED_WITH_A_BOOK if key not in values]
            if missing:
                return f"a new line needs {' and '.join(missing)}"
    for key, value in values.items():
        if value is removed:
            problem = f"a line keeps its {key}" if key in _KEPT else None
        elif key == "qty":
            problem = qty_problem(value)
        elif key == "discountPct":
            problem = discount_problem(value)
        elif key == "sku":
            problem = sku_problem(value, limits)
        elif key == "note":
            ok = isinstance(value, str) and len(value) <= MAX_NOTE_LENGTH
            problem = None if ok else f"a note is text of at most {MAX_NOTE_LENGTH} characters"
        elif key == "locked":
            problem = None if isinstance(value, bool) else f"locked is true or false, not {_shown(value)}"
        elif key == "id" and partial:
            problem = "a line keeps its id"
        else:
            problem = None
        if problem:
            return problem
    return None


def deal_problem(values: Mapping[str, object], limits: PriceLimits | None) -> str | None:
    """Why changed `deal` fields cannot be priced from `limits`, or None. Without a price book nothing is
    priced, so nothing is refused."""
    if limits is None:
        return None
    for key, value in values.items():
        if value is removed:
            continue
        if key == "currency" and value not in limits.currencies:
            offered = ", ".join(limits.currencies)
            return f"currency {_shown(value)} is not in this room's price book; it prices {offered}"
        if key == "termMonths":
            number = _number(value)
            if number is None or not number.is_integer() or not 1 <= number <= MAX_TERM_MONTHS:
                return f"the term must be a whole number of months from 1 to {MAX_TERM_MONTHS}, not {_shown(value)}"
        if key == "billing" and value not in _BILLINGS:
            return f"billing must be {', '.join(sorted(_BILLINGS))}, not {_shown(value)}"
    return None


class _Removed:
    """Marks a key a change removed."""

    def __repr__(self) -> str:
        return "removed"


removed: Final = _Removed()
