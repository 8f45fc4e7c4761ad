"""Contract export as DOCX (python-docx): title page, parties, priced line items, terms, signatures and
the approvals record; optionally a redline of every deviating clause as Word tracked changes.

Every value from a room or a user goes into the document as run text (see `_docx_text`), so nothing a
customer types can add markup, fields or hyperlinks to the file.
"""

from __future__ import annotations

import copy
import io
from collections.abc import Sequence
from dataclasses import replace

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.table import CT_Row
from docx.shared import Emu
from docx.table import Table, _Cell

from clauses._docx_terms import TermsWriter
from clauses._docx_text import add_text, safe
from clauses.contract import APPROVAL_FIELDS, LINE_FIELDS, ContractData, Party
from clauses.fill import fill_terms
from clauses.redline import Tracker

_LINE_HEADERS = (("SKU", 2.1), ("Item", 4.0), ("Qty", 1.0), ("Unit price", 2.0), ("Net total", 2.4))
_LINE_RIGHT = frozenset({2, 3, 4})  # numeric columns align right so the digits line up
_APPROVAL_HEADERS = (("Step", 2.0), ("Approver", 2.2), ("Decision", 1.6), ("At", 2.0), ("Comment", 4.0))


def export_contract(contract: ContractData, redline: bool = False) -> bytes:
    """The contract as a .docx file. With `redline`, each clause that is not the library's standard text
    (fallbacks and edits alike) shows its differences from it as tracked changes by `contract.author`."""
    contract = replace(contract, terms=fill_terms(contract.terms, contract.variables))
    document = Document()
    _properties(document, contract)
    _title_page(document, contract)
    _parties(document, contract)
    _line_items(document, contract)
    document.add_heading("Terms", level=1)
    TermsWriter(document, contract, Tracker(contract.author, contract.issued_at) if redline else None).write()
    _signatures(document, contract)
    _approvals(document, contract)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _properties(document: DocxDocument, contract: ContractData) -> None:
    # Dates come from the contract, not the clock: the same room exported twice gives the same file.
    properties = document.core_properties
    properties.title = safe(contract.title)
    properties.author = safe(contract.vendor.name)
    properties.last_modified_by = safe(contract.author)
    properties.created = contract.issued_at
    properties.modified = contract.issued_at
    properties.revision = 1


def _title_page(document: DocxDocument, contract: ContractData) -> None:
    add_text(document.add_paragraph(style="Title"), contract.title)
    for text in ("between", contract.vendor.name, "and", contract.customer.name):
        paragraph = document.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        add_text(paragraph, text, bold=text not in ("between", "and"))
    details = [f"Effective date: {contract.effective_date}"]
    if contract.fingerprint:
        details.append(f"Contract version: {contract.fingerprint}")
    for text in details:
        add_text(document.add_paragraph(), text)
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def _parties(document: DocxDocument, contract: ContractData) -> None:
    document.add_heading("Parties", level=1)
    add_text(document.add_paragraph(), "This agreement is entered into by:")
    for party in (contract.vendor, contract.customer):
        paragraph = document.add_paragraph(style="List Number")
        add_text(paragraph, party.name, bold=True)
        if party.address:
            add_text(paragraph, f", {party.address}")
        add_text(paragraph, f' (the "{party.role}")')


def _line_items(document: DocxDocument, contract: ContractData) -> None:
    document.add_heading("Pricing", level=1)
    add_text(document.add_paragraph(), f"All amounts in {contract.currency}, excluding taxes.")
    rows = [[str(line.get(name, "")) for name in LINE_FIELDS] for line in contract.lines]
    grid = _table(document, _LINE_HEADERS, rows, _LINE_RIGHT, extra_rows=len(contract.totals))
    for cells, (label, amount) in zip(grid[1:], contract.totals.items(), strict=True):
        _fill(cells[0].merge(cells[-2]), label, right=True, bold=True)
        _fill(cells[-1], amount, right=True, bold=True)


def _signatures(document: DocxDocument, contract: ContractData) -> None:
    document.add_heading("Signatures", level=1)
    add_text(document.add_paragraph(), "Signed by the duly authorised representatives of the parties:")
    parties: Sequence[Party] = (contract.vendor, contract.customer)
    table = document.add_table(rows=5, cols=2)
    for column, party in enumerate(parties):
        lines = (
            (f"For {party.name}", True),
            ("Signature: ______________________________", False),
            (f"Name: {party.signatory}", False),
            (f"Title: {party.signatory_title}", False),
            ("Date: ____________________", False),
        )
        for row, (text, bold) in enumerate(lines):
            _fill(table.cell(row, column), text, bold=bold)


def _approvals(document: DocxDocument, contract: ContractData) -> None:
    document.add_heading("Approvals record", level=1)
    if contract.fingerprint:
        add_text(document.add_paragraph(), f"Approvals given for contract version {contract.fingerprint}.")
    if not contract.approvals:
        add_text(document.add_paragraph(), "No approvals were required for this contract.")
        return
    _table(
        document, _APPROVAL_HEADERS, [[str(a.get(name, "")) for name in APPROVAL_FIELDS] for a in contract.approvals]
    )


def _table(
    document: DocxDocument,
    headers: Sequence[tuple[str, float]],
    rows: Sequence[Sequence[str]],
    right: frozenset[int] = frozenset(),
    extra_rows: int = 0,
) -> list[list[_Cell]]:
    """A grid table: a header row that repeats on every page, `rows`, then `extra_rows` empty rows; each
    header comes with its share of the text width. Returns the header's and the extra rows' cells."""
    table = document.add_table(rows=1 + (1 if rows else 0) + extra_rows, cols=len(headers))
    table.style = document.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    section = document.sections[-1]
    usable = (section.page_width or 0) - (section.left_margin or 0) - (section.right_margin or 0)
    shares = sum(share for _, share in headers)
    widths = [Emu(int(usable * share / shares)) for _, share in headers]
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width
    for tr in table._tbl.tr_lst:
        for tc, width in zip(tr.tc_lst, widths, strict=True):
            tc.width = width
    trs = list(table._tbl.tr_lst)
    trs[0].get_or_add_trPr().append(OxmlElement("w:tblHeader"))
    for column, (text, _) in enumerate(headers):
        _fill(_Cell(trs[0].tc_lst[column], table), text, bold=True, right=column in right)
    if rows:
        _clone_rows(table, trs[1], rows, right)
    return [[_Cell(tc, table) for tc in tr.tc_lst] for tr in (trs[0], *trs[len(trs) - extra_rows :])]


def _clone_rows(table: Table, prototype: CT_Row, rows: Sequence[Sequence[str]], right: frozenset[int]) -> None:
    """Fill the table body by copying one formatted row: python-docx's cell API costs ~65 µs a cell, too
    much for a few hundred lines within the export budget."""
    for column, tc in enumerate(prototype.tc_lst):
        _fill(_Cell(tc, table), " ", right=column in right)
    anchor = prototype
    for values in rows:
        tr = copy.deepcopy(prototype)
        for tc, value in zip(tr.tc_lst, values, strict=False):
            tc.p_lst[0].r_lst[0].text = safe(value)
        anchor.addnext(tr)
        anchor = tr
    table._tbl.remove(prototype)


def _fill(cell: _Cell, text: str, *, bold: bool = False, right: bool = False) -> None:
    paragraph = cell.paragraphs[0]
    add_text(paragraph, text, bold=bold)
    if right:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
