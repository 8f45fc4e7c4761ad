"""Grid tables of the DOCX (priced lines, the approvals record): a header row repeated on every page,
columns sized by share of the text width, and a fast body cloned from one formatted row."""

from __future__ import annotations

import copy
from collections.abc import Sequence

from docx.document import Document as DocxDocument
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.table import CT_Row
from docx.shared import Emu, Pt
from docx.table import Table, _Cell

from clauses._docx_text import add_text, safe


def table(
    document: DocxDocument,
    headers: Sequence[tuple[str, float]],
    rows: Sequence[Sequence[str]],
    right: frozenset[int] = frozenset(),
    extra_rows: int = 0,
    size: float | None = None,
    cell_margin: float | None = None,
) -> list[list[_Cell]]:
    """A grid table: a header row that repeats on every page, `rows`, then `extra_rows` empty rows; each
    header comes with its share of the text width, `size` is the font size in points (None: the body's),
    `cell_margin` the space left and right of a cell's text in points (None: the style's). No row splits
    across a page break. Returns the header's and the extra rows' cells."""
    grid = document.add_table(rows=1 + (1 if rows else 0) + extra_rows, cols=len(headers))
    grid.style = document.styles["Table Grid"]
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    grid.autofit = False
    if cell_margin is not None:
        _cell_margins(grid, cell_margin)
    section = document.sections[-1]
    usable = (section.page_width or 0) - (section.left_margin or 0) - (section.right_margin or 0)
    shares = sum(share for _, share in headers)
    widths = [Emu(int(usable * share / shares)) for _, share in headers]
    for column, width in zip(grid.columns, widths, strict=True):
        column.width = width
    for tr in grid._tbl.tr_lst:
        for tc, width in zip(tr.tc_lst, widths, strict=True):
            tc.width = width
    trs = list(grid._tbl.tr_lst)
    for tr in trs:  # a line item half on one page and half on the next is hard to read and to check
        tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
    trs[0].get_or_add_trPr().append(OxmlElement("w:tblHeader"))
    for column, (text, _) in enumerate(headers):
        fill(_Cell(trs[0].tc_lst[column], grid), text, bold=True, right=column in right, size=size)
    if rows:
        _clone_rows(grid, trs[1], rows, right, size)
    return [[_Cell(tc, grid) for tc in tr.tc_lst] for tr in (trs[0], *trs[len(trs) - extra_rows :])]


def _clone_rows(
    grid: Table, prototype: CT_Row, rows: Sequence[Sequence[str]], right: frozenset[int], size: float | None
) -> None:
    """Fill the table body by copying one formatted row: python-docx's cell API costs ~65 µs a cell, too
    much for a few hundred lines within the export budget."""
    for column, tc in enumerate(prototype.tc_lst):
        fill(_Cell(tc, grid), " ", right=column in right, size=size)
    anchor = prototype
    t_tag = qn("w:t")
    for values in rows:
        tr = copy.deepcopy(prototype)
        for tc, value in zip(tr.tc_lst, values, strict=False):
            run = tc.p_lst[0].r_lst[0]
            text = safe(value)
            if "\n" in text or "\t" in text:
                run.text = text  # python-docx makes a "\n" a line break within the cell, a "\t" a tab
            else:
                # The prototype's w:t (space preserved) takes the text as it is: setting `run.text` would
                # rebuild the run character by character, most of the export's time for a long quote.
                run.find(t_tag).text = text
        anchor.addnext(tr)
        anchor = tr
    grid._tbl.remove(prototype)


def fill(cell: _Cell, text: str, *, bold: bool = False, right: bool = False, size: float | None = None) -> None:
    """Put `text` into the cell's first paragraph as a run (bold, right-aligned, sized as asked)."""
    paragraph = cell.paragraphs[0]
    run = add_text(paragraph, text, bold=bold)
    if size is not None:
        run.font.size = Pt(size)
    if right:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT


def _cell_margins(grid: Table, points: float) -> None:
    """Left and right cell margins of the whole table (`w:tblCellMar`, in twentieths of a point)."""
    margins = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        margins.append(OxmlElement(f"w:{side}", {qn("w:w"): str(round(points * 20)), qn("w:type"): "dxa"}))
    grid._tbl.tblPr.append(margins)
