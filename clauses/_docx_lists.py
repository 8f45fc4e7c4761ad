"""Word numbering for the editor's lists: each numbered list restarts at its own start number.

python-docx's "List Number" style shares one numbering instance across the document, so a second list
would carry on from the first; a fresh `w:num` per list (with a start override) restarts it.
"""

from __future__ import annotations

from docx.document import Document
from docx.text.paragraph import Paragraph as DocxParagraph

_MAX_LEVEL = 3  # the default template styles lists three levels deep


def list_style(ordered: bool, depth: int) -> str:
    """The template's list style for a list nested `depth` levels (0 = top)."""
    level = min(depth, _MAX_LEVEL - 1)
    return ("List Number" if ordered else "List Bullet") + (f" {level + 1}" if level else "")


class Numbering:
    """Creates restarted numbering instances for numbered lists."""

    def __init__(self, document: Document) -> None:
        self._document = document
        self._numbering = document.part.numbering_part.element

    def restart(self, style: str, start: int) -> int:
        """A new numbering instance of `style`'s list definition, counting from `start`."""
        properties = self._document.styles[style].element.pPr
        assert properties is not None and properties.numPr is not None, f"{style} has no numbering"
        style_num = properties.numPr.numId
        assert style_num is not None and style_num.val is not None
        abstract = self._numbering.num_having_numId(style_num.val).abstractNumId.val
        num = self._numbering.add_num(abstract)
        num.add_lvlOverride(ilvl=0).add_startOverride(start)
        return int(num.numId)

    @staticmethod
    def apply(paragraph: DocxParagraph, num_id: int) -> None:
        """Number the paragraph with instance `num_id` (level 0 of the style's own definition)."""
        numbering = paragraph._p.get_or_add_pPr().get_or_add_numPr()
        numbering.get_or_add_ilvl().val = 0
        numbering.get_or_add_numId().val = num_id
