"""Deal facts: the values approval rules test, their catalogue, and which direction of each is "worse".

A fact is a Decimal number, a bool, a text or a set of category strings. A fact that is absent (or None in
a plain dict) is unknown: a rule cannot fire on it, and an approval given while it was known does not
cover it becoming unknown (nor the reverse).

The worse direction decides what an earlier approval covers (`approvals.coverage`). Each fact has a
default, named by what an approval covers: `lower` (higher values are worse: an approval of 32% covers
25%, not 35%), `higher` (lower values are worse) or `equal` (any change is worse). Bools order no < yes,
category sets by inclusion (`lower` = an approval covers any subset). A rule may override the default
(`covers:` in the policy); `approvals.policy` refuses a rule whose condition fires in the direction its
approvals would cover."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from approvals import _values
from approvals.errors import FactsInvalid

FactValue = Decimal | bool | str | frozenset[str]


class Kind(StrEnum):
    """What kind of value a fact holds."""

    NUMBER = "number"
    BOOL = "bool"
    TEXT = "text"
    CATEGORIES = "categories"


class Covers(StrEnum):
    """Which later values an approval of a fact covers (the opposite of the fact's worse direction)."""

    LOWER = "lower"
    HIGHER = "higher"
    EQUAL = "equal"


def category_label(key: str) -> str:
    """A clause category key as people say it, as the clause library shows it: "data_protection" ->
    "Data protection" (the rule of `categoryLabel` in frontend/src/lib/clauses.ts). "free_text" is the text
    outside clause blocks (`clauses.free_text`)."""
    if key == "free_text":
        return "Text outside the clauses"
    words = re.sub(r"[_-]+", " ", key).strip()
    return words[0].upper() + words[1:] if words else key


_APPROVERS = {"legal": "Legal", "sales_manager": "Sales manager", "vp_sales": "VP sales", "finance": "Finance",
              "admin": "Admin", "none": "Nobody"}  # fmt: skip


def approver_label(name: str) -> str:
    """Who approves a clause deviation, in words: "legal" -> "Legal", "vp_sales" -> "VP sales" (the rule of
    `approverLabel` in frontend/src/lib/clauses.ts)."""
    if name in _APPROVERS:
        return _APPROVERS[name]
    words = name.replace("_", " ")
    return words[0].upper() + words[1:] if words else name


def _clause_category(key: str) -> str:
    # `approvals.derive` files a clause the library cannot place under "unknown".
    return "Not in the library" if key == "unknown" else category_label(key)


def _clause_wording(item: str) -> str:
    # "clause_id:digest" (`approvals.derive`): the clause in words and a short mark of its wording.
    clause_id, _, digest = item.rpartition(":")
    if not clause_id:
        return category_label(item)
    return f"{category_label(clause_id)} (wording {digest[:8]})" if digest else category_label(clause_id)


@dataclass(frozen=True, slots=True)
class FactSpec:
    """One known fact: its kind, default coverage, the words and unit used in reasons, and `binds`: facts
    recorded (and checked for coverage) whenever this one is tested. `item_label` shows one member of a
    category set to people ("data_protection" -> "Data protection"); the keys themselves stay in the data."""

    name: str
    kind: Kind
    covers: Covers
    label: str
    unit: str = ""
    binds: tuple[str, ...] = ()
    item_label: Callable[[str], str] | None = None


_N, _B, _T, _C = Kind.NUMBER, Kind.BOOL, Kind.TEXT, Kind.CATEGORIES
_LOW, _HIGH, _EQ = Covers.LOWER, Covers.HIGHER, Covers.EQUAL
_TEXTS = ("non_standard_clause_texts",)

CATALOGUE: Mapping[str, FactSpec] = {
    spec.name: spec
    for spec in (
        FactSpec("max_line_discount_pct", _N, _LOW, "max line discount", "%"),
        FactSpec("total_discount_pct", _N, _LOW, "total discount", "%"),
        FactSpec("below_floor", _B, _LOW, "price below floor"),
        FactSpec("below_floor_count", _N, _LOW, "lines below floor"),
        FactSpec("payment_terms_days", _N, _LOW, "payment terms", " days"),
        # Longer is worse: a longer contract locks the negotiated price and terms in for longer, so an
        # approval of 48 months covers 36, not 60. A rule about short terms says `covers: {term_months: higher}`.
        FactSpec("term_months", _N, _LOW, "contract length", " months"),
        # Deal value: higher is worse, for big-deal review ("total > 250000").
        FactSpec("total", _N, _LOW, "deal value"),
        FactSpec("first_year_value", _N, _LOW, "first-year value"),
        FactSpec("margin_pct", _N, _HIGH, "margin", "%"),
        FactSpec("currency", _T, _EQ, "currency"),
        FactSpec("billing", _T, _EQ, "billing"),
        # Categories alone would let legal's approval of one liability wording cover any other wording of
        # the same category; binding the texts' digests asks legal again when the wording changes.
        FactSpec("non_standard_clauses", _C, _LOW, "non-standard clauses", binds=_TEXTS, item_label=_clause_category),
        FactSpec("non_standard_clause_texts", _C, _LOW, "non-standard clause texts", item_label=_clause_wording),
        # Who the clause library says a deviation needs ("legal", "finance"), for rules that route by it.
        FactSpec("clause_approvals", _C, _LOW, "clause approvals", binds=_TEXTS, item_label=approver_label),
        # External disputes not yet resolved (open or answered): "open_disputes > 0" blocks or routes a deal
        # the customer still objects to. More is worse: an approval given with one open covers none, not two.
        FactSpec("open_disputes", _N, _LOW, "open disputes"),
    )
}


class DealFacts(Mapping[str, FactValue]):
    """An immutable mapping of fact names to values; build it with `facts_from_dict` to have it checked."""

    __slots__ = ("_values",)

    def __init__(self, values: Mapping[str, FactValue] | None = None) -> None:
        self._values: dict[str, FactValue] = dict(values or {})

    def __getitem__(self, name: str) -> FactValue:
        return self._values[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)

    def __repr__(self) -> str:
        return f"DealFacts({self._values!r})"

    def only(self, names: tuple[str, ...] | frozenset[str]) -> DealFacts:
        """The facts among `names` (absent ones stay absent)."""
        return DealFacts({name: self._values[name] for name in names if name in self._values})


def coerce(spec: FactSpec, raw: object, *, allow_text: bool = True) -> FactValue | None:
    """`raw` as a value of `spec`'s kind, or None when it is not one."""
    if spec.kind is Kind.NUMBER:
        return _values.to_decimal(raw, allow_text=allow_text)
    if spec.kind is Kind.BOOL:
        return raw if isinstance(raw, bool) else None
    if spec.kind is Kind.TEXT:
        return raw if isinstance(raw, str) else None
    return _values.categories(raw)


def facts_from_dict(data: Mapping[str, object], catalogue: Mapping[str, FactSpec] = CATALOGUE) -> DealFacts:
    """Checked facts from a plain dict (numbers may be int, float, Decimal or numeric text; categories a list
    of strings; None means unknown). Raise `FactsInvalid` listing every unknown name and wrong kind."""
    errors: list[str] = []
    values: dict[str, FactValue] = {}
    for name, raw in data.items():
        spec = catalogue.get(name)
        if spec is None:
            errors.append(f"{name}: unknown fact")
            continue
        if raw is None:
            continue
        value = coerce(spec, raw)
        if value is None:
            errors.append(f"{name}: expected {describe_kind(spec.kind)}, got {raw!r}")
        else:
            values[name] = value
    if errors:
        raise FactsInvalid(errors)
    return DealFacts(values)


def facts_to_plain(facts: Mapping[str, FactValue]) -> dict[str, str | bool | list[str]]:
    """JSON-ready facts: numbers as plain strings ("32.5"), category sets as sorted lists."""
    return {name: to_plain(value) for name, value in facts.items()}


def to_plain(value: FactValue) -> str | bool | list[str]:
    """One fact value as JSON-ready data."""
    if isinstance(value, Decimal):
        return _values.plain(value)
    if isinstance(value, frozenset):
        return sorted(value)
    return value


def describe_kind(kind: Kind) -> str:
    """The kind in words, for error messages."""
    return {
        Kind.NUMBER: "a number",
        Kind.BOOL: "true or false",
        Kind.TEXT: "a text",
        Kind.CATEGORIES: "a list of category names",
    }[kind]


def format_value(spec: FactSpec, value: FactValue | None) -> str:
    """A value as a reason shows it: "32%", "60 days", "yes", "Liability, Payment" (category sets by their
    members' names, never their keys)."""
    if value is None:
        return "unknown"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, Decimal):
        return f"{_values.plain(value)}{spec.unit}"
    if isinstance(value, frozenset):
        return ", ".join(sorted(format_item(spec, item) for item in value)) or "none"
    return value


def format_item(spec: FactSpec, item: str) -> str:
    """One member of a category fact as people read it ("data_protection" -> "Data protection")."""
    return spec.item_label(item) if spec.item_label is not None else item
