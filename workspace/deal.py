"""Reading a room's shared document into the plain values the pricing core takes.

Whatever a client typed (a number, a string, nothing) becomes a Decimal or NaN: the core turns a
value it cannot price into a violation shown on the line, never an exception.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from pycrdt import Array, Doc, Map, XmlFragment

from workspace.pricing import DealInput, DealLine
from workspace.terms import fragment_to_json

_NAN = Decimal("NaN")


@dataclass(frozen=True)
class DealFacts:
    """What the incentive estimate needs besides the quote."""

    vertical: str | None
    close_date: date


def _decimal(value: object) -> Decimal:
    if isinstance(value, bool) or value is None:
        return _NAN
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        # Yjs numbers are doubles; repr gives the shortest decimal that reads back the same (12.5, not 12.4999...).
        return Decimal(repr(value)) if math.isfinite(value) else _NAN
    if isinstance(value, str):
        try:
            return Decimal(value.strip())
        except InvalidOperation:
            return _NAN
    return _NAN


def _term(value: object) -> int:
    number = _decimal(value)
    return int(number) if number.is_finite() and number == number.to_integral_value() else 0


def _line(index: int, raw: Mapping[str, Any] | Map) -> DealLine:
    line_id = raw.get("id")
    ramp = raw.get("ramp")
    return DealLine(
        id=line_id if isinstance(line_id, str) and line_id else f"#{index + 1}",
        sku=str(raw.get("sku") or ""),
        qty=_decimal(raw.get("qty", 0)),
        discount_pct=_decimal(raw.get("discountPct", 0)),
        ramp=tuple(_decimal(qty) for qty in ramp) if isinstance(ramp, list) else (),
    )


def _input(deal: Mapping[str, Any] | Map, lines: list[DealLine]) -> DealInput:
    currency = deal.get("currency")
    billing = deal.get("billing")
    return DealInput(
        currency=currency if isinstance(currency, str) else "",
        term_months=_term(deal.get("termMonths", 12)),
        lines=tuple(lines),
        billing=billing if isinstance(billing, str) else "annual",
    )


def deal_input(doc: Doc, plain_lines: list[Any] | None = None) -> DealInput:
    """The `deal` map's pricing fields and the `lines` array of a shared document (or `plain_lines`, the
    lines as plain values: the accepted ones, say, see `workspace.proposals.accepted`)."""
    source: Any = doc.get("lines", type=Array) if plain_lines is None else plain_lines
    lines = [_line(index, raw) for index, raw in enumerate(source) if isinstance(raw, Map | dict)]
    return _input(doc.get("deal", type=Map), lines)


def deal_input_of(deal: Mapping[str, Any], lines: list[Any]) -> DealInput:
    """`deal_input` of the plain values (`to_py()`) of the `deal` map and the `lines` array, read already."""
    return _input(deal, [_line(index, raw) for index, raw in enumerate(lines) if isinstance(raw, dict)])


def deal_facts(doc: Doc, today: date) -> DealFacts:
    deal = doc.get("deal", type=Map)
    vertical = deal.get("vertical")
    close = deal.get("closeDate")
    try:
        close_date = date.fromisoformat(close) if isinstance(close, str) else today
    except ValueError:
        close_date = today
    return DealFacts(vertical if isinstance(vertical, str) and vertical else None, close_date)


def _canonical(node: Any) -> Any:
    if isinstance(node, dict):
        return {key: ({name: str(value) for name, value in value.items()} if key == "attrs" and isinstance(value, dict)
                      else _canonical(value)) for key, value in node.items()}  # fmt: skip
    if isinstance(node, list):
        return [_canonical(item) for item in node]
    return node


def fingerprint(doc: Doc, terms: dict[str, Any] | None = None, lines: list[Any] | None = None) -> str:
    """The version of what approvals and export bind to: the deal fields, the lines and the terms.
    Comments and the server's own sections do not change it, nor does an editor rewriting a node's
    attributes in another order or type ("2" for 2): the terms are read as a tree with attributes as text.
    `terms` is the doc's terms as ProseMirror JSON when the caller has read them already (not read twice);
    `terms` and `lines` are the accepted ones when proposals are pending (`workspace.proposals.accepted`)."""
    if terms is None:
        terms = fragment_to_json(doc.get("terms", type=XmlFragment))
    plain_lines = doc.get("lines", type=Array).to_py() if lines is None else lines
    return fingerprint_of(doc.get("deal", type=Map).to_py(), plain_lines, terms)


def fingerprint_of(deal: Any, lines: Any, terms: dict[str, Any]) -> str:
    """`fingerprint` of the plain values (`to_py()`) of the `deal` map and the `lines` array, and the terms as
    ProseMirror JSON, read already."""
    content = {"deal": deal, "lines": lines, "terms": _canonical(terms)}
    encoded = json.dumps(content, sort_keys=True, separators=(",", ":"), default=str).encode()
    return hashlib.sha256(encoded).hexdigest()[:32]
