"""The parts of the DOCX around the terms that make it a contract: the cover, the parties, the signature
blocks, and a footer naming the version on every page."""

from __future__ import annotations

from datetime import UTC, datetime

from docx.document import Document as DocxDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.shared import Pt

from clauses._docx_table import fill
from clauses._docx_text import add_text
from clauses.contract import ContractData, Party
from clauses.variables import VARIABLES

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_REF_LENGTH = 8  # enough to find the version among a room's exports; the full fingerprint is in the record
_BLANK = "______________________________"


def day(when: datetime) -> str:
    """A date as people read it, the same in every locale: "2 Dec 2026" (UTC)."""
    at = when.astimezone(UTC)
    return f"{at.day} {_MONTHS[at.month - 1]} {at.year}"


def version_label(contract: ContractData) -> str:
    """The date of issue and a short reference to the deal version: "Version of 2 Dec 2026, ref. 1a2b3c4d"."""
    label = f"Version of {day(contract.issued_at)}"
    return f"{label}, ref. {contract.fingerprint[:_REF_LENGTH]}" if contract.fingerprint else label


def _centred(document: DocxDocument, text: str, *, bold: bool = False) -> None:
    paragraph = document.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    add_text(paragraph, text, bold=bold)


def cover(document: DocxDocument, contract: ContractData) -> None:
    """Title, the parties with their addresses, the dates and term, and the version, then a page break."""
    add_text(document.add_paragraph(style="Title"), contract.title)
    for index, party in enumerate((contract.vendor, contract.customer)):
        _centred(document, "between" if index == 0 else "and")
        _centred(document, party.name, bold=True)
        if party.address:
            _centred(document, party.address)
    document.add_paragraph()
    start = contract.effective_date or VARIABLES["deal.start_date"].placeholder
    term = contract.term or VARIABLES["deal.term_months"].placeholder
    for label, value in (("Date", day(contract.issued_at)), ("Effective date", start), ("Term", term)):
        paragraph = document.add_paragraph()
        add_text(paragraph, f"{label}: ", bold=True)
        add_text(paragraph, value)
    add_text(document.add_paragraph(), version_label(contract))
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def footer(document: DocxDocument, contract: ContractData) -> None:
    """The title and version on every page, so that a printed page can be matched to its version."""
    paragraph = document.sections[0].footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    add_text(paragraph, f"{contract.title} · {version_label(contract)}").font.size = Pt(8)


def parties(document: DocxDocument, contract: ContractData) -> None:
    """The parties as the agreement names them."""
    document.add_heading("Parties", level=1)
    add_text(document.add_paragraph(), "This agreement is entered into by:")
    for party in (contract.vendor, contract.customer):
        paragraph = document.add_paragraph(style="List Number")
        add_text(paragraph, party.name, bold=True)
        if party.address:
            add_text(paragraph, f", {party.address}")
        add_text(paragraph, f' (the "{party.role}")')


def signatures(document: DocxDocument, contract: ContractData) -> None:
    """A signature block per party: signature, name and title (filled where known) and date lines."""
    document.add_heading("Signatures", level=1)
    add_text(document.add_paragraph(), "Signed by the duly authorised representatives of the parties:")
    sides: tuple[Party, Party] = (contract.vendor, contract.customer)
    grid = document.add_table(rows=5, cols=2)
    for column, party in enumerate(sides):
        lines = (
            (f"For {party.name}", True),
            (f"Signature: {_BLANK}", False),
            (f"Name: {party.signatory or _BLANK}", False),
            (f"Title: {party.signatory_title or _BLANK}", False),
            (f"Date: {_BLANK}", False),
        )
        for row, (text, bold) in enumerate(lines):
            fill(grid.cell(row, column), text, bold=bold)
