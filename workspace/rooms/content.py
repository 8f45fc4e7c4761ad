"""A room's starting terms and lines, written by the server as the first updates of its shared document.

The demo room and rooms opened from a template start the same way: a title and preamble, the clauses pinned
to their published versions, a trailing paragraph, and pricing lines.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from pycrdt import Array, Map, XmlElement, XmlFragment, XmlText

from clauses.library import Clause, ClauseVersion
from workspace.clause_library.blocks import clause_element
from workspace.clause_library.deviations import STANDARD_TERMS
from workspace.sync.documents import DocName, new_doc

HEADING_1: Any = {"level": 1}  # a number, as TipTap reads it (see clause_library.blocks)
AGREEMENT_TITLE = "Master Subscription Agreement"
PREAMBLE = "These terms govern the subscription set out in the pricing above."


@dataclass(frozen=True)
class StartLine:
    id: str
    sku: str
    qty: int
    discount_pct: float | int = 0
    locked: bool = False


def starting_content(clauses: Sequence[tuple[Clause, ClauseVersion]], lines: Sequence[StartLine]) -> bytes:
    """The update that gives a new room its terms (title, preamble, `clauses`) and its pricing `lines`."""
    doc = new_doc(DocName.SHARED)
    terms = doc.get("terms", type=XmlFragment)
    rows = doc.get("lines", type=Array)
    with doc.transaction(origin="server"):
        terms.children.append(XmlElement("heading", HEADING_1, [XmlText(AGREEMENT_TITLE)]))
        terms.children.append(XmlElement("paragraph", {}, [XmlText(PREAMBLE)]))
        for clause, version in clauses:
            terms.children.append(clause_element(clause, version))
        # The editor keeps a paragraph after the last block (TipTap's TrailingNode, in StarterKit): without
        # it here, the first person to open the room would write one, and the record would show them
        # changing the terms' blocks though they only looked.
        terms.children.append(XmlElement("paragraph", {}))
        # The agreement's title and preamble are the room's standard terms outside clauses: legal is asked
        # when they change, not for their being there.
        doc.get("computed", type=Map)[STANDARD_TERMS] = [AGREEMENT_TITLE, PREAMBLE]
        for line in lines:
            rows.append(Map({"id": line.id, "sku": line.sku, "qty": line.qty, "discountPct": line.discount_pct,
                             "locked": line.locked, "note": ""}))  # fmt: skip
    return doc.get_update()
