"""Read what the triggers test from a room's true state: its quote (priced by the server), its terms and deal
fields, its threads (both documents) and disputes, and the records of its stage and its rep's history."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from decimal import Decimal
from typing import Any

from pycrdt import Doc, Map, XmlFragment

from approvals import _values, derive_facts
from clauses.library import ClauseLibrary
from workspace.clause_library.deviations import read_terms
from workspace.enablement.thresholds import Threshold
from workspace.enablement.triggers import DisputeFact, LineFact, RoomFacts
from workspace.rooms.models import RoomRole
from workspace.terms import fragment_to_json
from workspace.threads.disputes import unsettled_disputes
from workspace.threads.model import all_threads

MAX_TEXT = 200_000  # characters of one place read for competitor names: a long contract, not a flood


def _decimal(raw: object) -> Decimal | None:
    return _values.to_decimal(raw, allow_text=True)


def quote_parts(quote: Mapping[str, Any] | None) -> tuple[tuple[LineFact, ...], Decimal | None, Decimal | None]:
    """The priced lines, the deal's net total and its total discount, from the internal quote view."""
    if not quote:
        return (), None, None
    lines = []
    for line in quote.get("lines", []):
        if line.get("priced") is False or not line.get("sku"):
            continue
        lines.append(LineFact(str(line["sku"]), str(line.get("name") or line["sku"]),
                              _decimal(line.get("discount_pct")) or Decimal(0)))  # fmt: skip
    try:
        facts = derive_facts(quote)
    except Exception:  # a quote the approvals core cannot read gives no totals, not an error
        return tuple(lines), None, None
    total, discount = facts.get("total"), facts.get("total_discount_pct")
    return (tuple(lines), total if isinstance(total, Decimal) else None,
            discount if isinstance(discount, Decimal) else None)  # fmt: skip


def _walk_text(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        if isinstance(node.get("text"), str):
            yield node["text"]
        for child in node.get("content", []) or []:
            yield from _walk_text(child)
        if node.get("type") not in (None, "text"):
            yield "\n"


def terms_text(doc: Doc) -> str:
    return "".join(_walk_text(read_terms(doc)))[:MAX_TEXT]


def texts(shared: Doc, internal: Doc | None) -> tuple[tuple[str, str], ...]:
    """Where a competitor may be named, in words for the reason: the deal fields, the terms, the internal notes,
    the threads."""
    found: list[tuple[str, str]] = []
    deal = shared.get("deal", type=Map).to_py() or {}
    for key, value in deal.items():
        if isinstance(value, str) and value.strip():
            found.append((f"the deal field {key}", value[:MAX_TEXT]))
    found.append(("the terms", terms_text(shared)))
    if internal is not None:
        notes = "".join(_walk_text(fragment_to_json(internal.get("notes", type=XmlFragment))))
        found.append(("the internal notes", notes[:MAX_TEXT]))
    for doc, where in ((shared, "a thread of the room"), (internal, "an internal note thread")):
        if doc is None:
            continue
        for thread in all_threads(doc):
            words = " ".join(str(m.get("text", "")) for m in thread.get("messages") or [])
            if words.strip():
                found.append((where, words[:MAX_TEXT]))
    return tuple(found)


def disputes(shared: Doc, library: ClauseLibrary | None) -> tuple[DisputeFact, ...]:
    """The customers' disputes about a clause that are not resolved."""
    found = []
    for dispute in unsettled_disputes(shared):
        anchor, opener = dispute.get("anchor") or {}, dispute.get("opened_by") or {}
        if anchor.get("type") != "clause" or opener.get("role") not in (RoomRole.CUSTOMER, RoomRole.VIEWER):
            continue
        clause_id = str(anchor.get("clauseId") or "")
        clause = library.get(clause_id) if library is not None else None
        found.append(DisputeFact(
            clause_id, clause.category if clause else "", clause.title if clause else clause_id,
            str(opener.get("name") or "The customer"), str(dispute.get("text") or ""),
        ))  # fmt: skip
    return tuple(found)


def room_facts(
    customer: str,
    stage: str,
    quote: Mapping[str, Any] | None,
    found_thresholds: tuple[Threshold, ...],
    sold: frozenset[str],
    shared: Doc,
    internal: Doc | None,
    library: ClauseLibrary | None,
) -> RoomFacts:
    lines, total, discount = quote_parts(quote)
    return RoomFacts(
        customer=customer, stage=stage, deal_size=total, lines=lines, total_discount_pct=discount,
        thresholds=found_thresholds, sold_before=sold, texts=texts(shared, internal),
        disputes=disputes(shared, library),
    )  # fmt: skip
