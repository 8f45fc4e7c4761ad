"""Putting user text into a Word document: always as text nodes of runs, never as markup.

lxml escapes `<`, `&` and `]]>` itself; what it cannot store are characters XML 1.0 forbids (most C0
controls, lone surrogates, U+FFFE/U+FFFF), so those are dropped rather than failing the export.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.shared import Pt
from docx.text.paragraph import Paragraph as DocxParagraph
from docx.text.run import Run as DocxRun

from clauses.document import Run

_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_MONOSPACE = "Courier New"


def safe(text: str) -> str:
    """`text` without the characters XML 1.0 cannot hold; CR and CRLF become LF (a line break in a run)."""
    return _FORBIDDEN.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


def add_text(paragraph: DocxParagraph, text: str, *, bold: bool = False) -> DocxRun:
    """A run of plain text at the end of the paragraph."""
    run = paragraph.add_run(safe(text))
    if bold:
        run.bold = True
    return run


def add_runs(paragraph: DocxParagraph, runs: Iterable[Run]) -> list[DocxRun]:
    """Runs carrying the editor's marks. A link keeps its text, underlined: no hyperlink relationship is
    written, so a user-supplied URL never becomes something a reader's click follows."""
    added = []
    for source in runs:
        run = paragraph.add_run(safe(source.text))
        marks = source.marks
        if "bold" in marks:
            run.bold = True
        if "italic" in marks:
            run.italic = True
        if "underline" in marks or "link" in marks:
            run.underline = True
        if "strike" in marks:
            run.font.strike = True
        if "code" in marks:
            run.font.name = _MONOSPACE
            run.font.size = Pt(10)
        added.append(run)
    return added


def revision(tag: str, rev_id: int, author: str, date: str) -> BaseOxmlElement:
    """A `w:ins` or `w:del` element with its id, author and date."""
    return OxmlElement(tag, {qn("w:id"): str(rev_id), qn("w:author"): safe(author), qn("w:date"): date})


def as_deleted(run: DocxRun) -> None:
    """Turn a run's text into deleted text (`w:delText`), as Word requires inside `w:del`."""
    for text in run._r.findall(qn("w:t")):
        text.tag = qn("w:delText")


def mark_paragraph(paragraph: DocxParagraph, change: BaseOxmlElement) -> None:
    """Record the paragraph mark itself as inserted or deleted, so accepting or rejecting the change
    joins or removes the paragraph instead of leaving an empty one."""
    properties = paragraph._p.get_or_add_pPr()
    run_properties = OxmlElement("w:rPr")
    run_properties.append(change)
    properties.append(run_properties)  # last child of pPr, after any style and numbering set before


def add_rule(paragraph: DocxParagraph) -> None:
    """Draw a horizontal rule as the bottom border of an empty paragraph."""
    border = OxmlElement("w:pBdr")
    border.append(
        OxmlElement("w:bottom", {qn("w:val"): "single", qn("w:sz"): "6", qn("w:space"): "1", qn("w:color"): "auto"})
    )
    paragraph._p.get_or_add_pPr().append(border)
