"""A version's plain view: what a reader of the room saw, as JSON, kept with each version so that any two
compare without rebuilding their documents.

`deal`: the deal fields; `lines`: each line with its product, quantity, discount and prices from the public
quote (never cost or margin: customers compare versions too); `totals` and `currency` from the public quote;
`terms`: the top-level blocks (`clauses.versions_diff.terms_blocks`); `fingerprint`: the version approvals bind to.
"""

from __future__ import annotations

from typing import Any

from pycrdt import Array, Doc, Map

from clauses.document import parse_json
from clauses.versions_diff import terms_blocks

# The line values a version keeps besides its id: what a reader checks when two versions differ.
LINE_FIELDS = ("sku", "product", "qty", "discount_pct", "list_unit", "net_unit", "net_total")
TOTAL_FIELDS = ("list_total", "total_discount", "total_discount_pct", "net_total", "first_year")


def _number(value: object) -> object:
    """Yjs numbers arrive as floats; whole ones read (and compare) better as ints."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, dict):
        return {key: _number(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_number(item) for item in value]
    return value


def _text(value: object) -> str:
    if value is None:
        return ""
    number = _number(value)
    return str(number) if not isinstance(number, bool) else ("yes" if number else "no")


def read_parts(doc: Doc) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The deal fields and the raw lines of a shared document (read it on the event loop, which owns it)."""
    return plain_parts(doc.get("deal", type=Map).to_py() or {}, doc.get("lines", type=Array).to_py() or [])


def plain_parts(deal: Any, lines: Any) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """`to_py()` of the deal map and the lines array with whole numbers as ints (not 10.0)."""
    shown_deal: dict[str, Any] = _number(deal)  # type: ignore[assignment]
    shown_lines: list[dict[str, Any]] = [_number(line) for line in lines if isinstance(line, dict)]  # type: ignore[misc]
    return shown_deal, shown_lines


def plain_view(
    deal: dict[str, Any], lines: list[dict[str, Any]], terms: dict[str, Any], fingerprint: str,
    quote: dict[str, Any] | None,
) -> dict[str, Any]:  # fmt: skip
    """The plain view of a version (pure; `quote` is the public quote, None when the room has no price book)."""
    priced = {str(line.get("id")): line for line in (quote or {}).get("lines", [])}
    shown_lines = []
    for index, raw in enumerate(lines):
        line_id = raw.get("id") if isinstance(raw.get("id"), str) and raw.get("id") else f"#{index + 1}"
        price = priced.get(str(line_id), {})
        shown_lines.append({
            "id": line_id, "sku": _text(raw.get("sku")), "product": str(price.get("name") or raw.get("sku") or ""),
            "qty": _text(raw.get("qty")), "discount_pct": _text(raw.get("discountPct", 0)),
            "list_unit": price.get("list_unit"), "net_unit": price.get("net_unit"), "net_total": price.get("net_total"),
        })  # fmt: skip
    totals = (quote or {}).get("totals") or {}
    return {
        "fingerprint": fingerprint,
        "deal": {str(key): _text(value) for key, value in sorted(deal.items())},
        "lines": shown_lines,
        "currency": (quote or {}).get("currency"),
        "totals": {name: totals.get(name) for name in TOTAL_FIELDS} if quote else {},
        "terms": terms_blocks(parse_json(terms)),
    }
