"""A room's clause blocks against the library: what the room shows, what `GET .../deviations` answers, and
the deviations the approval facts are derived from.

Two shapes, as for approvals: everyone sees each block's status and its word diff; internal roles also
see the category and who must approve the deviation.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict
from typing import Any

from pycrdt import Doc, Map, XmlFragment

from clauses.deviation import Deviation, check_terms
from clauses.document import parse_json
from clauses.free_text import FREE_TEXT, FREE_TEXT_TITLE, check_free_text
from clauses.library import ClauseLibrary
from clauses.variables import variables_from_deal
from workspace.terms import fragment_to_json


def room_variables(doc: Doc, vendor: Mapping[str, object]) -> dict[str, str]:
    """The clause variables' values now, from the room's `deal` map and the vendor settings (on the loop)."""
    return variables_from_deal(doc.get("deal", type=Map).to_py() or {}, vendor)


def read_terms(doc: Doc) -> dict[str, Any]:
    """The room's terms as ProseMirror JSON (on the loop, which owns the doc)."""
    return fragment_to_json(doc.get("terms", type=XmlFragment))


STANDARD_TERMS = "standard_terms"
"""The key, in the shared doc's `computed`, of the room's standard text outside clause blocks (written by
the server when the room is opened; a room without it has none: any text outside clauses deviates)."""


def read_standard_terms(doc: Doc) -> tuple[str, ...]:
    """The room's standard text outside clause blocks, one entry per paragraph (on the loop)."""
    raw = doc.get("computed", type=Map).get(STANDARD_TERMS)
    return tuple(item for item in raw if isinstance(item, str)) if isinstance(raw, list) else ()


def check_room(
    terms_json: dict[str, Any], library: ClauseLibrary, variables: Mapping[str, str], standard: tuple[str, ...] = ()
) -> list[Deviation]:
    """Every clause block's verdict, then the text outside clause blocks when it is not the standard terms
    (pure; safe in a worker thread)."""
    terms = parse_json(terms_json)
    found = check_terms(terms, library, variables)
    outside = check_free_text(terms, standard, variables, index=len(found))
    return [*found, outside] if outside is not None else found


def split_free_text(found: list[Deviation]) -> tuple[list[Deviation], Deviation | None]:
    """The clause blocks' deviations, and the text outside them (None when it is the standard terms)."""
    return [d for d in found if d.kind != FREE_TEXT], next((d for d in found if d.kind == FREE_TEXT), None)


def deviation_view(deviation: Deviation, library: ClauseLibrary, internal: bool) -> dict[str, Any]:
    """One block as the room shows it; `internal` adds the category and the approval it needs."""
    clause = library.get(deviation.clause_id) if deviation.kind != FREE_TEXT else None
    shown: dict[str, Any] = {
        "kind": deviation.kind,
        "index": deviation.index,
        "clause_id": deviation.clause_id,
        "title": FREE_TEXT_TITLE if deviation.kind == FREE_TEXT else clause.title if clause else deviation.clause_id,
        "version": deviation.version,
        "latest_version": deviation.latest_version,
        "status": str(deviation.status),
        "fallback_rank": deviation.fallback_rank,
        "diff": [{"op": op, "text": text} for op, text in deviation.diff],
        "reason": deviation.reason,
        "unknown_variables": list(deviation.unknown_variables),
    }
    if internal:
        shown["category"] = deviation.category
        shown["approval"] = deviation.approval
    return shown


def approval_inputs(deviations: list[Deviation]) -> list[dict[str, Any]]:
    """The deviations as `approvals.derive_facts` takes them (plain dicts)."""
    return [{**asdict(d), "status": str(d.status)} for d in deviations]
