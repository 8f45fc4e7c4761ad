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
from clauses.library import ClauseLibrary
from clauses.variables import variables_from_deal
from workspace.terms import fragment_to_json


def room_variables(doc: Doc, vendor: Mapping[str, object]) -> dict[str, str]:
    """The clause variables' values now, from the room's `deal` map and the vendor settings (on the loop)."""
    return variables_from_deal(doc.get("deal", type=Map).to_py() or {}, vendor)


def read_terms(doc: Doc) -> dict[str, Any]:
    """The room's terms as ProseMirror JSON (on the loop, which owns the doc)."""
    return fragment_to_json(doc.get("terms", type=XmlFragment))


def check_room(terms_json: dict[str, Any], library: ClauseLibrary, variables: Mapping[str, str]) -> list[Deviation]:
    """Every clause block's verdict (pure; safe in a worker thread)."""
    return check_terms(parse_json(terms_json), library, variables)


def deviation_view(deviation: Deviation, library: ClauseLibrary, internal: bool) -> dict[str, Any]:
    """One block as the room shows it; `internal` adds the category and the approval it needs."""
    clause = library.get(deviation.clause_id)
    shown: dict[str, Any] = {
        "index": deviation.index,
        "clause_id": deviation.clause_id,
        "title": clause.title if clause is not None else deviation.clause_id,
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
