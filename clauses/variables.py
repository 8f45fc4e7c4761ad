"""The variables a clause may use (`{{customer.name}}`) and their substitution from a plain dict.

Values are plain text: substitution is one pass over the clause text, so a value that itself looks like a
placeholder (or like markup) is inserted verbatim, never expanded or interpreted.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal


@dataclass(frozen=True, slots=True)
class Variable:
    """A value a clause may refer to, and the deal or vendor field it comes from."""

    name: str
    label: str
    source: str
    placeholder: str  # what an exported contract prints while the variable has no value


VARIABLES: Mapping[str, Variable] = {
    v.name: v
    for v in (
        Variable("customer.name", "Customer's legal name", "deal.customerName", "[customer name]"),
        Variable("customer.address", "Customer's registered address", "deal.customerAddress", "[customer address]"),
        Variable("vendor.name", "Vendor's legal name", "vendor settings: name", "[vendor name]"),
        Variable("vendor.address", "Vendor's registered address", "vendor settings: address", "[vendor address]"),
        Variable("deal.title", "Deal title", "deal.title", "[deal title]"),
        Variable("deal.currency", "Contract currency", "deal.currency", "[currency]"),
        Variable("deal.term_months", "Initial term in months", "deal.termMonths", "[term]"),
        Variable("deal.start_date", "Start date of the subscription", "deal.startDate", "[start date]"),
        Variable("deal.payment_terms_days", "Days to pay an invoice", "deal.paymentTermsDays", "[payment days]"),
        Variable("deal.billing", "Billing frequency", "deal.billing", "[billing frequency]"),
        Variable("contract.governing_law", "Governing law", "vendor settings: governingLaw", "[governing law]"),
        Variable("contract.venue", "Courts with jurisdiction", "vendor settings: venue", "[venue]"),
    )
}

# Lower-case dotted names only: the editor never produces anything else, and a tight pattern keeps
# a stray "{{" in legal prose from being read as a variable.
PLACEHOLDER = re.compile(r"\{\{\s*([a-z][a-z0-9_]*(?:\.[a-z][a-z0-9_]*)+)\s*\}\}")

# Where each variable's value lives in the room's shared `deal` map (DESIGN.md, "Documents of a room").
_DEAL_FIELDS: Mapping[str, str] = {
    "title": "deal.title",
    "customerName": "customer.name",
    "customerAddress": "customer.address",
    "currency": "deal.currency",
    "termMonths": "deal.term_months",
    "startDate": "deal.start_date",
    "paymentTermsDays": "deal.payment_terms_days",
    "billing": "deal.billing",
}
DEAL_VARIABLE_KEYS = frozenset(_DEAL_FIELDS)
"""The keys of the room's `deal` map that some variable reads: a change of any other key moves no clause."""

# Enumerated deal values as the words a clause reads: "invoice the fees {{deal.billing}} in advance" must say
# "annually", not the stored "annual". A value not listed here is shown as stored.
_WORDS: Mapping[str, Mapping[str, str]] = {
    "deal.billing": {
        "annual": "annually",
        "yearly": "annually",
        "quarterly": "quarterly",
        "monthly": "monthly",
        "upfront": "for the whole term",
    },
}
_VENDOR_FIELDS: Mapping[str, str] = {
    "name": "vendor.name",
    "address": "vendor.address",
    "governingLaw": "contract.governing_law",
    "venue": "contract.venue",
}


@dataclass(frozen=True, slots=True)
class Substitution:
    """A clause text with its variables replaced; `unknown` are names not in VARIABLES, `missing` known
    names without a value (both stay in the text as written, so a reader sees the gap)."""

    text: str
    unknown: tuple[str, ...]
    missing: tuple[str, ...]


def names_in(text: str) -> tuple[str, ...]:
    """The variable names a text refers to, in order of first use."""
    return tuple(dict.fromkeys(m.group(1) for m in PLACEHOLDER.finditer(text)))


def unknown_names(text: str) -> tuple[str, ...]:
    """The names a text refers to that are not known variables."""
    return tuple(name for name in names_in(text) if name not in VARIABLES)


def substitute(text: str, values: Mapping[str, str]) -> Substitution:
    """Replace each known variable that has a value; report unknown and missing names."""
    unknown: dict[str, None] = {}
    missing: dict[str, None] = {}

    def replace(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in VARIABLES:
            unknown[name] = None
            return match.group(0)
        value = values.get(name)
        if not value:
            missing[name] = None
            return match.group(0)
        return value

    return Substitution(PLACEHOLDER.sub(replace, text), tuple(unknown), tuple(missing))


def as_text(value: object) -> str | None:
    """A deal field as the text a clause shows, or None when it has no usable value."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, float):
        # Yjs numbers are doubles: 30.0 days reads "30", not "30.0".
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, int | Decimal):
        return str(value)
    if isinstance(value, str):
        return value.strip() or None
    return None


def variables_from_deal(deal: Mapping[str, object], vendor: Mapping[str, object]) -> dict[str, str]:
    """Variable values from the room's `deal` map (camelCase keys) and the vendor's settings."""
    values: dict[str, str] = {}
    for fields, source in ((_DEAL_FIELDS, deal), (_VENDOR_FIELDS, vendor)):
        for key, name in fields.items():
            text = as_text(source.get(key))
            if text is not None:
                values[name] = _WORDS.get(name, {}).get(text.lower(), text)
    return values


def with_placeholders(values: Mapping[str, str]) -> dict[str, str]:
    """`values` plus a readable placeholder ("[start date]") for every known variable without a value: what
    a document that leaves the room prints, so that a reader never sees a variable's key."""
    shown = {name: variable.placeholder for name, variable in VARIABLES.items()}
    shown.update((name, value) for name, value in values.items() if value)
    return shown


def unset_names(names: Iterable[str], values: Mapping[str, str]) -> list[str]:
    """The known variables among `names` that have no value, each once, in order."""
    return [name for name in dict.fromkeys(names) if name in VARIABLES and not values.get(name)]
