"""Issue 11.6: the exported contract holds exactly the text the room shows, for everything the terms may hold.

The terms are written through the write guard (so they are what it accepts: every node and mark the editor
makes), read back the way the export reads a room, and exported; the text of the DOCX's terms section is
then compared with the room's text as the editor shows it, block by block: headings, paragraphs with every
mark, line breaks, variables (shown with their values), lists in lists, quotes, code, a library clause.
"""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime
from typing import Any

from docx import Document
from pycrdt import Doc, Map, XmlElement, XmlFragment, XmlText

from clauses.contract import ContractData, Party
from clauses.document import parse_json
from clauses.export_docx import export_contract
from clauses.samples_library import sample_library
from tests.workspace.sync.test_guard_shapes import Room, every_construct, update_of
from workspace.clause_library.deviations import room_variables
from workspace.rooms.models import RoomRole
from workspace.settings import Settings, vendor_values
from workspace.sync.documents import DocName, doc_from_updates
from workspace.terms import fragment_to_json

_TEXT_BLOCKS = frozenset({"paragraph", "heading", "codeBlock"})
_SECTION_NUMBER = re.compile(r"\d+\. ")  # the export numbers clause headings; the room does not


def _shown_text(element: XmlElement, values: dict[str, str]) -> str:
    """A text block as the editor shows it: its text, each variable as its value, a line break as one."""
    parts: list[str] = []
    for child in element.children:
        if isinstance(child, XmlText):
            parts.extend(text for text, _ in child.diff() if isinstance(text, str))
        elif isinstance(child, XmlElement) and child.tag == "variable":
            parts.append(values[str(child.attributes["name"])])
        elif isinstance(child, XmlElement) and child.tag == "hardBreak":
            parts.append("\n")
    return "".join(parts)


def room_texts(doc: Doc, values: dict[str, str]) -> list[str]:
    """Every text block of the room's terms, in the order the editor shows them (empty ones left out)."""
    texts: list[str] = []
    stack: list[Any] = list(reversed(list(doc.get("terms", type=XmlFragment).children)))
    while stack:
        node = stack.pop()
        if not isinstance(node, XmlElement):
            continue
        if node.tag in _TEXT_BLOCKS:
            texts.append(_shown_text(node, values))
        else:
            stack.extend(reversed(list(node.children)))
    return [text for text in texts if text]


def docx_terms(content: bytes) -> list[str]:
    """The text of each paragraph of the DOCX's terms section (between its "Terms" and "Signatures")."""
    paragraphs = Document(io.BytesIO(content)).paragraphs
    names = [p.text for p in paragraphs]
    start, end = names.index("Terms") + 1, names.index("Signatures")
    texts = []
    for paragraph in paragraphs[start:end]:
        text = paragraph.text
        if paragraph.style is not None and paragraph.style.name.startswith("Heading"):
            text = _SECTION_NUMBER.sub("", text, count=1)
        texts.append(text)
    return [text for text in texts if text]


def _room_with_every_construct() -> Doc:
    room = Room()
    room.check(update_of(lambda d: d.get("deal", type=Map).update({"billing": "annual", "paymentTermsDays": 30})))
    assert room.check(update_of(every_construct, base=room.now), RoomRole.CUSTOMER) is not None
    return doc_from_updates(DocName.SHARED, room.updates)


def test_the_exported_terms_hold_exactly_the_text_the_room_shows() -> None:
    doc = _room_with_every_construct()
    values = room_variables(doc, vendor_values(Settings()))
    vendor, customer = Party("Vendor", "Dealroom Software GmbH"), Party("Customer", values["customer.name"])
    contract = ContractData(
        title="Renewal", vendor=vendor, customer=customer, effective_date="", currency="EUR",
        issued_at=datetime.now(UTC), terms=parse_json(fragment_to_json(doc.get("terms", type=XmlFragment))),
        library=sample_library(), variables=values,
    )  # fmt: skip
    shown = room_texts(doc, values)
    assert docx_terms(export_contract(contract)) == shown
    # Every construct is in there, with its words as typed: nothing dropped, nothing added.
    for expected in ("Definitions", "bold italic strike underline code plain", "first line\nsecond line, for Acme",
                     "a point", "a numbered point", "quoted", "SLA = 99.9%\nRPO = 1h", "Fees and payment",
                     "Free text."):  # fmt: skip
        assert expected in shown, expected
    assert any("Dealroom Software GmbH will invoice the fees annually" in text for text in shown)
