"""Coercing raw JSON/YAML scalars into fact values, and writing them back as plain text."""

from __future__ import annotations

import math
from decimal import Decimal, InvalidOperation

# Beyond this many digits a number is a typo or an attack, not a discount or a deal value; refusing it
# keeps Decimal arithmetic and the messages that echo it small.
MAX_DIGITS = 30


def to_decimal(raw: object, *, allow_text: bool) -> Decimal | None:
    """`raw` as a finite Decimal, or None when it is not a number (bools are not numbers).

    Floats go through repr so YAML's 20.1 becomes Decimal("20.1"), not its binary approximation. Numeric
    text is accepted only with `allow_text` (money arrives as "1234.50"; a policy author typing "20" in
    quotes more likely meant something else, so policies refuse it)."""
    if isinstance(raw, bool):
        return None
    if isinstance(raw, Decimal):
        value = raw
    elif isinstance(raw, int):
        value = Decimal(raw)
    elif isinstance(raw, float):
        if not math.isfinite(raw):
            return None
        value = Decimal(repr(raw))
    elif isinstance(raw, str) and allow_text:
        try:
            value = Decimal(raw.strip())
        except InvalidOperation:
            return None
    else:
        return None
    if not value.is_finite() or len(value.as_tuple().digits) > MAX_DIGITS or abs(value.adjusted()) > MAX_DIGITS:
        return None
    return value


def plain(value: Decimal) -> str:
    """A number without exponent or trailing zeros: "32", "12.5", "300000"."""
    text = f"{value.normalize():f}"
    return "0" if text in ("-0", "0") else text


def categories(raw: object) -> frozenset[str] | None:
    """A list (or set) of category strings as a frozenset, or None when it is anything else."""
    if isinstance(raw, str | bytes) or not isinstance(raw, list | tuple | set | frozenset):
        return None
    if not all(isinstance(item, str) and item for item in raw):
        return None
    return frozenset(raw)
