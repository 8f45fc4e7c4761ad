"""A library clause as a block of the room's terms, in the Y shape the editor writes (y-prosemirror):
a `clause` element pinned to its version, the title as a heading, one paragraph per text paragraph, and
each `{{variable}}` as an inline `variable` element the editor shows with the deal's current value."""

from __future__ import annotations

from typing import Any

from pycrdt import XmlElement, XmlText

from clauses.library import Clause, ClauseVersion
from clauses.variables import PLACEHOLDER

# TipTap reads a heading's level as a number ("2" draws an h1); pycrdt stores any JSON value as an
# attribute, though its annotation says text.
HEADING_2: Any = {"level": 2}


def _inline(text: str) -> list[XmlText | XmlElement]:
    parts: list[XmlText | XmlElement] = []
    at = 0
    for found in PLACEHOLDER.finditer(text):
        if found.start() > at:
            parts.append(XmlText(text[at : found.start()]))
        parts.append(XmlElement("variable", {"name": found.group(1)}))
        at = found.end()
    if at < len(text):
        parts.append(XmlText(text[at:]))
    return parts


def clause_element(clause: Clause, version: ClauseVersion, text: str | None = None) -> XmlElement:
    """The block for `clause` pinned to `version`, with `text` (a fallback's, say) or the version's own."""
    paragraphs = [p.strip() for p in (text if text is not None else version.text).split("\n\n") if p.strip()]
    children: list[XmlText | XmlElement] = [XmlElement("heading", HEADING_2, [XmlText(clause.title)])]
    children += [XmlElement("paragraph", {}, _inline(paragraph)) for paragraph in paragraphs]
    return XmlElement("clause", {"clauseId": clause.id, "version": str(version.number)}, children)
