"""A room's shared document with 50 clause blocks (the demo room's 9 and 41 more), for tests and benchmarks."""

from __future__ import annotations

from pycrdt import Doc, XmlFragment

from clauses.samples_library import sample_library
from workspace.clause_library.blocks import clause_element
from workspace.demo import _demo_content


def room_of_50_clauses() -> bytes:
    """The whole document as one update."""
    doc = Doc()
    doc.apply_update(_demo_content())
    clauses = list(sample_library())
    with doc.transaction():
        terms = doc.get("terms", type=XmlFragment)
        for number in range(50 - 9):  # the demo room holds 9
            clause = clauses[number % len(clauses)]
            assert clause.latest_published is not None
            terms.children.append(clause_element(clause, clause.latest_published))
    return doc.get_update()
