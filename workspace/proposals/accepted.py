"""The room as accepted: the live document with every pending proposal taken back to its accepted value.

This is what approvals, the fingerprint and export read; the live document (what both sides see and type in)
is what the public quote prices as "proposed". A room without pending proposals is accepted as it stands.
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from typing import Any

from pycrdt import Array, Doc, Map, XmlFragment

from workspace.deal import fingerprint
from workspace.proposals.subjects import LINE_FIELDS, clause_nodes
from workspace.terms import fragment_to_json

PROPOSALS = "proposals"
"""The key, in the shared doc's `computed`, of the pending proposals (written by the server only)."""

ACCEPTED = "accepted"
"""The key, in the shared doc's `computed`, of the accepted value of every subject (a map by subject key: a
line field's value, a clause block's content), written by the server with the proposals. What the live
document holds beyond it with no pending proposal was never accepted (a crash came before its proposal was
written): the next load proposes it again."""

Pending = Sequence[dict[str, Any]]


def read_pending(doc: Doc) -> list[dict[str, Any]]:
    """The pending proposals as the document holds them (the tracker's own state is newer while loaded)."""
    raw = doc.get("computed", type=Map).get(PROPOSALS)
    return [item for item in raw if isinstance(item, dict)] if isinstance(raw, list) else []


def read_accepted(doc: Doc) -> dict[str, Any] | None:
    """The accepted value of every subject as the document records it; None in a room written before the
    record was kept."""
    raw = doc.get("computed", type=Map).get(ACCEPTED)
    return raw.to_py() or {} if isinstance(raw, Map) else None


def accepted_lines(lines: list[Any], pending: Pending) -> list[Any]:
    """The lines (plain values) with each proposed quantity or discount back at its accepted value."""
    taken = {(p["subject"]["line_id"], p["subject"]["field"]): p["from"] for p in pending if p.get("kind") == "line"}
    if not taken:
        return lines
    result = []
    for line in lines:
        if isinstance(line, dict) and any((line.get("id"), field) in taken for field in LINE_FIELDS):
            line = dict(line)
            for field in LINE_FIELDS:
                key = (line.get("id"), field)
                if key in taken:
                    value = taken[key]
                    if value is None:
                        line.pop(field, None)
                    else:
                        # A Y document reads every number back as a float: hash 100 as the document holds it.
                        line[field] = float(value) if isinstance(value, int) and not isinstance(value, bool) else value
        result.append(line)
    return result


def accepted_terms(terms: dict[str, Any], pending: Pending) -> dict[str, Any]:
    """The terms (ProseMirror JSON) with each proposed clause block back at its accepted content."""
    taken = {p["subject"]["key"]: p["accepted_content"] for p in pending if p.get("kind") == "clause"}
    if not taken:
        return terms
    result = copy.deepcopy(terms)
    for key, node in clause_nodes(result.get("content") or []):
        if key in taken:
            node["content"] = copy.deepcopy(taken[key])
    return result


def doc_lines(doc: Doc) -> list[Any]:
    return doc.get("lines", type=Array).to_py() or []


def accepted_fingerprint(doc: Doc, pending: Pending | None = None) -> str:
    """The fingerprint of the room as accepted (what approvals bind to)."""
    pending = read_pending(doc) if pending is None else pending
    terms = accepted_terms(fragment_to_json(doc.get("terms", type=XmlFragment)), pending)
    return fingerprint(doc, terms, accepted_lines(doc_lines(doc), pending))
