"""The demo room's terms as the server writes them are the terms as the editor keeps them."""

from __future__ import annotations

from pycrdt import Doc, XmlElement, XmlFragment

from clauses.document import parse_json
from clauses.free_text import check_free_text
from workspace.clause_library.deviations import read_standard_terms
from workspace.demo import _demo_content
from workspace.terms import fragment_to_json


def test_the_demo_terms_end_with_the_paragraph_the_editor_keeps_after_the_last_block() -> None:
    """TipTap (StarterKit's TrailingNode) keeps an empty paragraph after the last block: terms ending in a
    clause would have the first person to open the room write one, recorded as their change to the terms."""
    doc = Doc()
    doc.apply_update(_demo_content())
    blocks = list(doc.get("terms", type=XmlFragment).children)
    last = blocks[-1]
    assert isinstance(last, XmlElement) and last.tag == "paragraph" and not list(last.children)
    assert isinstance(blocks[-2], XmlElement) and blocks[-2].tag == "clause"
    # The empty paragraph is no text outside the clauses: the room opens with its standard terms.
    terms = parse_json(fragment_to_json(doc.get("terms", type=XmlFragment)))
    assert check_free_text(terms, read_standard_terms(doc), {}, index=0) is None
