"""Marks anyone who may edit the terms can leave in a room: one paragraph per mark.

Sync tests used to write free-form keys into `comments`; threads are the server's now (the guard refuses
client writes there), so tests that need "a small edit every member can make" write a paragraph instead.
"""

from __future__ import annotations

from pycrdt import Doc, XmlElement, XmlFragment, XmlText


def add_mark(doc: Doc, mark: str) -> None:
    """Append a paragraph holding `mark` to the terms."""
    doc.get("terms", type=XmlFragment).children.append(XmlElement("paragraph", {}, [XmlText(mark)]))


def marks(doc: Doc) -> set[str]:
    """The text of every paragraph of the terms."""
    found: set[str] = set()
    for child in doc.get("terms", type=XmlFragment).children:
        if isinstance(child, XmlElement) and child.tag == "paragraph":
            found.add("".join(str(part) for part in child.children if isinstance(part, XmlText)))
    return found
