"""The negotiation summary page of the DOCX (on request): the room's versions and the approvals given."""

from __future__ import annotations

from docx.document import Document as DocxDocument
from docx.enum.text import WD_BREAK

from clauses._docx_table import table
from clauses._docx_text import add_text
from clauses.contract import APPROVAL_FIELDS, VERSION_FIELDS, ContractData

SUMMARY_TITLE = "Negotiation summary"
_VERSION_HEADERS = (("Version", 1.2), ("Label", 4.4), ("When", 2.4), ("By", 2.6))
_DECISION_HEADERS = (("Step", 3.0), ("Approver", 2.6), ("Decision", 1.8), ("When", 2.4))


def negotiation_summary(document: DocxDocument, contract: ContractData) -> None:
    """A page of its own: how the deal got here (every named version) and who approved what."""
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    document.add_heading(SUMMARY_TITLE, level=1)
    document.add_heading("Versions", level=2)
    if contract.summary_versions:
        rows = [[str(v.get(name, "")) for name in VERSION_FIELDS] for v in contract.summary_versions]
        table(document, _VERSION_HEADERS, rows)
    else:
        add_text(document.add_paragraph(), "No versions were recorded for this deal.")
    document.add_heading("Approvals", level=2)
    if contract.summary_approvals:
        names = APPROVAL_FIELDS[:4]  # step, approver, decision, at
        rows = [[str(a.get(name, "")) for name in names] for a in contract.summary_approvals]
        table(document, _DECISION_HEADERS, rows)
    else:
        add_text(document.add_paragraph(), "No approvals were asked for this deal.")
