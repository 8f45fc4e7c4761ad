"""Deal facts from what the workspace already has: the priced quote (as `internal_view` gives it), a few
deal fields, and the clause deviations. Plain dicts in, `DealFacts` out; the workspace is not imported.

    quote   = {"term_months": 36, "billing": "annual", "currency": "EUR",
               "lines": [{"discount_pct": "32", "below_floor": false, "priced": true}, ...],
               "totals": {"net_total": "120000.00", "first_year": "40000.00",
                          "total_discount_pct": "28.50", "margin_pct": "61.20"}}
    deal    = {"payment_terms_days": 60, "open_disputes": 1}
    clauses = [{"clause_id": "lol", "category": "liability", "status": "non_standard", "approval": "legal",
                "digest": "9f2c..."}]          # a `clauses.deviation.Deviation` as a dict

A clause counts when its `approval` is set (or, without that field, when its status is non_standard or
unknown). It adds its category to `non_standard_clauses` and "clause_id:digest" to
`non_standard_clause_texts`, as `clauses.deviation.approval_facts` does (a `text` is digested when no
digest is given), and the approval the library asks for to `clause_approvals`.

Per-line facts are aggregated over priced lines only, as the quote's own totals are: an unpriced line (an
unknown SKU, an invalid quantity) already carries a violation and adds nothing to the deal. A field that
is missing or null leaves its fact unknown; one of the wrong type raises `FactsInvalid`."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from decimal import Decimal

from approvals import _values
from approvals.errors import FactsInvalid
from approvals.facts import DealFacts, FactValue

_NEEDS_APPROVAL = {"non_standard", "non-standard", "unknown"}
# From the quote's top level and its totals: (where, key in the view, fact).
_SCALARS = (
    ("", "term_months", "term_months"),
    ("totals", "net_total", "total"),
    ("totals", "first_year", "first_year_value"),
    ("totals", "total_discount_pct", "total_discount_pct"),
    ("totals", "margin_pct", "margin_pct"),
)


def derive_facts(
    quote: Mapping[str, object],
    deal: Mapping[str, object] | None = None,
    clauses: Iterable[object] = (),
) -> DealFacts:
    """The facts approval rules test, derived from a quote view, deal fields and clause deviations."""
    errors: list[str] = []
    facts: dict[str, FactValue] = {}
    _lines(quote.get("lines", []), facts, errors)
    totals = quote.get("totals", {})
    if not isinstance(totals, Mapping):
        errors.append("quote.totals: expected a mapping")
        totals = {}
    for where, key, fact in _SCALARS:
        source = totals if where else quote
        _number(source.get(key), f"quote.{where + '.' if where else ''}{key}", fact, facts, errors)
    for key in ("billing", "currency"):
        raw = quote.get(key)
        if isinstance(raw, str) and raw:
            facts[key] = raw
        elif raw is not None:
            errors.append(f"quote.{key}: expected a text")
    _number((deal or {}).get("payment_terms_days"), "deal.payment_terms_days", "payment_terms_days", facts, errors)
    _number((deal or {}).get("open_disputes"), "deal.open_disputes", "open_disputes", facts, errors)
    _clauses(clauses, facts, errors)
    if errors:
        raise FactsInvalid(errors)
    return DealFacts(facts)


def _lines(lines: object, facts: dict[str, FactValue], errors: list[str]) -> None:
    if not isinstance(lines, list | tuple):
        errors.append("quote.lines: expected a list")
        return
    highest = Decimal(0)
    below = 0
    for index, line in enumerate(lines):
        if not isinstance(line, Mapping):
            errors.append(f"quote.lines[{index}]: expected a mapping")
            continue
        if line.get("priced", True) is False:
            continue
        discount = _values.to_decimal(line.get("discount_pct", 0), allow_text=True)
        if discount is None:
            errors.append(f"quote.lines[{index}].discount_pct: expected a number; got {line.get('discount_pct')!r}")
        elif discount > highest:
            highest = discount
        if line.get("below_floor") is True:
            below += 1
    facts["max_line_discount_pct"] = highest
    facts["below_floor_count"] = Decimal(below)
    facts["below_floor"] = below > 0


def _number(raw: object, path: str, fact: str, facts: dict[str, FactValue], errors: list[str]) -> None:
    if raw is None:
        return
    value = _values.to_decimal(raw, allow_text=True)
    if value is None:
        errors.append(f"{path}: expected a number; got {raw!r}")
    else:
        facts[fact] = value


def _clauses(clauses: Iterable[object], facts: dict[str, FactValue], errors: list[str]) -> None:
    categories: set[str] = set()
    texts: set[str] = set()
    approvals: set[str] = set()
    for index, clause in enumerate(clauses):
        if not isinstance(clause, Mapping):
            errors.append(f"clauses[{index}]: expected a mapping")
            continue
        if not _needs_approval(clause):
            continue
        # As `clauses.deviation.approval_facts`: a clause the library cannot place is of category "unknown".
        category = clause.get("category") or "unknown"
        wording = clause.get("clause_id") or category
        digest = clause.get("digest") or _digest(clause.get("text"))
        approval = clause.get("approval")
        if not all(isinstance(value, str) for value in (category, wording, digest)):
            errors.append(f"clauses[{index}]: category, clause_id and digest must be texts")
            continue
        categories.add(str(category))
        texts.add(f"{wording}:{digest}")
        if isinstance(approval, str) and approval:
            approvals.add(approval)
    facts["non_standard_clauses"] = frozenset(categories)
    facts["non_standard_clause_texts"] = frozenset(texts)
    facts["clause_approvals"] = frozenset(approvals)


def _needs_approval(clause: Mapping[str, object]) -> bool:
    # A deviation names the approval it needs (None for standard text and approved fallbacks); without
    # that field, its status decides.
    if "approval" in clause:
        return clause["approval"] is not None
    return clause.get("status") in _NEEDS_APPROVAL


def _digest(text: object) -> str:
    """A short digest of a clause's wording, whitespace normalised as the deviation check compares it."""
    normal = " ".join(text.split()) if isinstance(text, str) else ""
    return hashlib.sha256(normal.encode()).hexdigest()[:12]
