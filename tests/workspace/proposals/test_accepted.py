"""The room as accepted: pending proposals taken back, what approvals, the fingerprint and export read."""

from __future__ import annotations

from typing import Any

from pycrdt import Array, Map, XmlElement, XmlFragment, XmlText

from tests.workspace.proposals.helpers import CLAUSE_TEXT, open_room
from workspace.deal import fingerprint
from workspace.proposals.accepted import accepted_fingerprint, accepted_lines, accepted_terms
from workspace.proposals.subjects import TermsReader, clause_nodes, words
from workspace.sync.documents import DocName, new_doc
from workspace.terms import fragment_to_json


def _room() -> Any:
    doc = new_doc(DocName.SHARED)
    open_room(doc)
    return doc


def test_a_room_without_proposals_is_accepted_as_it_stands() -> None:
    doc = _room()
    assert accepted_fingerprint(doc, []) == fingerprint(doc)


def test_pending_proposals_are_taken_back_to_their_accepted_values() -> None:
    doc = _room()
    before = fingerprint(doc)
    terms_before = fragment_to_json(doc.get("terms", type=XmlFragment))
    [(key, node)] = list(clause_nodes(terms_before["content"]))
    assert key == "clause:liability:0" and words(node["content"]).endswith(CLAUSE_TEXT)
    accepted_content = node["content"]
    doc.get("lines", type=Array)[0]["qty"] = 150
    text = doc.get("terms", type=XmlFragment).children[0].children[1].children[0]  # type: ignore[union-attr]
    text.insert(0, "Unlimited. ")  # type: ignore[union-attr]
    pending = [
        {"kind": "line", "subject": {"key": "line:a:qty", "line_id": "a", "field": "qty"}, "from": 100, "to": 150},
        {"kind": "clause", "subject": {"key": key}, "accepted_content": accepted_content},
    ]
    assert fingerprint(doc) != before
    assert accepted_fingerprint(doc, pending) == before
    lines = accepted_lines(doc.get("lines", type=Array).to_py(), pending)
    assert lines[0]["qty"] == 100 and doc.get("lines", type=Array)[0]["qty"] == 150  # the live doc is untouched
    assert accepted_terms(fragment_to_json(doc.get("terms", type=XmlFragment)), pending) == terms_before


def test_a_keystroke_reads_only_the_block_it_changed() -> None:
    doc = _room()
    reader = TermsReader()
    everything = reader.read_all(doc)
    assert list(everything) == ["clause:liability:0"]
    assert reader.read_blocks(doc, {0}) == everything
    doc.get("terms", type=XmlFragment).children.append(XmlElement("paragraph", {}, [XmlText("More.")]))
    assert reader.read_blocks(doc, {0}) is None  # the layout changed: read everything again
    assert doc.get("computed", type=Map).get("proposals") is None
