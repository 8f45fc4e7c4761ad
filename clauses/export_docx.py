"""Contract export as DOCX (python-docx): cover, parties, priced line items, terms and signatures;
optionally a redline of every deviating clause as Word tracked changes, and an internal appendix with the
approvals record (for the vendor's file, never for the customer's copy).

Every value from a room or a user goes into the document as run text (see `_docx_text`), so nothing a
customer types can add markup, fields or hyperlinks to the file. A variable without a value prints as a
readable placeholder ("[start date]"), never as its key.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from dataclasses import replace

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.text import WD_BREAK
from docx.shared import Cm

from clauses._docx_cover import cover, footer, parties, signatures
from clauses._docx_summary import negotiation_summary as summary_page
from clauses._docx_table import fill, table
from clauses._docx_terms import TermsWriter
from clauses._docx_text import add_text, safe
from clauses.contract import APPROVAL_FIELDS, LINE_FIELDS, ContractData
from clauses.fill import fill_terms
from clauses.redline import Tracker
from clauses.variables import with_placeholders

# Widths are shares of the text width, sized so that a line total up to "USD 9,999,999.00" and a unit price up
# to "USD 999,999.00" fit their columns at _LINE_FONT_PT without wrapping; names and units wrap at spaces.
_LINE_HEADERS = (
    ("Product", 2.7), ("Qty", 1.0), ("Unit", 1.9), ("Term (months)", 1.5), ("List unit price", 2.2),
    ("Discount", 1.5), ("Net unit price", 2.2), ("Line total", 3.0),
)  # fmt: skip
_LINE_RIGHT = frozenset({1, 3, 4, 5, 6, 7})  # numeric columns align right so the digits line up
_LINE_FONT_PT = 8.0
_LINE_CELL_MARGIN_PT = 2.5  # the style's 5.4 pt a side would take a column's worth of width from eight columns
_APPROVAL_HEADERS = (("Step", 2.0), ("Approver", 2.2), ("Decision", 1.6), ("At", 2.0), ("Comment", 4.0))
APPENDIX_TITLE = "Internal appendix: approvals record"


def export_contract(
    contract: ContractData, redline: bool = False, internal_appendix: bool = False, negotiation_summary: bool = False
) -> bytes:
    """The contract as a .docx file. With `redline`, each clause that is not the library's standard text
    (fallbacks and edits alike) shows its differences from it as tracked changes by `contract.author`. With
    `negotiation_summary`, a page after the signatures lists the room's versions and the approvals given; with
    `internal_appendix`, the approvals record follows on a page of its own."""
    shown = with_placeholders(contract.variables)  # the terms, the check and the redline all read these
    contract = replace(contract, variables=shown, terms=fill_terms(contract.terms, shown))
    document = Document()
    for section in document.sections:  # 2 cm, as contracts are usually set: room for the priced lines
        section.left_margin = section.right_margin = Cm(2)
    _properties(document, contract)
    cover(document, contract)
    footer(document, contract)
    parties(document, contract)
    _line_items(document, contract)
    document.add_heading("Terms", level=1)
    TermsWriter(document, contract, Tracker(contract.author, contract.issued_at) if redline else None).write()
    signatures(document, contract)
    if negotiation_summary:
        summary_page(document, contract)
    if internal_appendix:
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
    properties.identifier = safe(contract.fingerprint)  # the whole version, for whoever checks the file


def _line_items(document: DocxDocument, contract: ContractData) -> None:
    document.add_heading("Pricing", level=1)
    add_text(document.add_paragraph(), f"All amounts in {contract.currency}, excluding taxes.")
    rows = [_line_row(line) for line in contract.lines]
    grid = table(document, _LINE_HEADERS, rows, _LINE_RIGHT, extra_rows=len(contract.totals), size=_LINE_FONT_PT,
                 cell_margin=_LINE_CELL_MARGIN_PT)  # fmt: skip
    for cells, (label, amount) in zip(grid[1:], contract.totals.items(), strict=True):
        fill(cells[0].merge(cells[-2]), label, right=True, bold=True, size=_LINE_FONT_PT)
        fill(cells[-1], amount, right=True, bold=True, size=_LINE_FONT_PT)
    for note in contract.pricing_notes:
        add_text(document.add_paragraph(), note)


def _line_row(line: Mapping[str, str]) -> list[str]:
    """One table row: the product's name with its SKU on a second line, then the other LINE_FIELDS."""
    sku = str(line.get("sku", ""))
    product = str(line.get("name", "")) or sku
    first = f"{product}\n{sku}" if sku and sku != product else product
    return [first, *(str(line.get(name, "")) for name in LINE_FIELDS[2:])]


def _approvals(document: DocxDocument, contract: ContractData) -> None:
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    document.add_heading(APPENDIX_TITLE, level=1)
    add_text(document.add_paragraph(), "For the vendor's records only: not part of the contract; remove it "
                                       "before the contract is sent.")  # fmt: skip
    if contract.fingerprint:
        add_text(document.add_paragraph(), f"Approvals given for contract version {contract.fingerprint}.")
    if not contract.approvals:
        add_text(document.add_paragraph(), "No approvals were required for this contract.")
        return
    table(document, _APPROVAL_HEADERS, [[str(a.get(name, "")) for name in APPROVAL_FIELDS] for a in contract.approvals])
