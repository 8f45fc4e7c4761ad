"""A violation: something wrong with the deal, shown in plain words on the line it concerns."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Rule(StrEnum):
    """What kind of problem a violation is; stable codes for the client and for approvals."""

    CURRENCY = "currency"
    TERM = "term"
    BILLING = "billing"
    DUPLICATE_LINE = "duplicate_line"
    INVALID_QTY = "invalid_qty"
    INVALID_DISCOUNT = "invalid_discount"
    RAMP = "ramp"
    UNKNOWN_SKU = "unknown_sku"
    INACTIVE = "inactive"
    NO_PRICE = "no_price"
    REQUIRES = "requires"
    EXCLUDES = "excludes"
    MIN_QTY = "min_qty"
    MAX_QTY = "max_qty"
    ALLOWED_TERMS = "allowed_terms"


@dataclass(frozen=True, slots=True)
class Violation:
    """A problem with line `line_id` (None: with the deal as a whole), in words a rep or customer reads."""

    line_id: str | None
    rule: Rule
    message: str
