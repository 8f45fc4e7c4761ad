"""What an export needs, as plain data the workspace assembles from a room (no pycrdt, no ORM)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from clauses.document import Terms
from clauses.library import ClauseLibrary

# name, SKU, quantity, unit (and the period its price is for), term in months, list unit price, discount,
# net unit price, line total: every column a reader needs to check the arithmetic.
LINE_FIELDS = ("name", "sku", "qty", "unit", "term", "list_unit", "discount", "net_unit", "net_total")
APPROVAL_FIELDS = ("step", "approver", "decision", "at", "comment")
# A version of the room in the negotiation summary: its number, label, when and by whom.
VERSION_FIELDS = ("number", "label", "at", "by")


@dataclass(frozen=True, slots=True)
class Party:
    """One side of the contract and who signs for it."""

    role: str
    name: str
    address: str = ""
    signatory: str = ""
    signatory_title: str = ""


@dataclass(frozen=True, slots=True)
class ContractData:
    """Everything the DOCX shows. Money and quantities are display strings, already formatted for a reader
    ("USD 1,234.50"); `lines` hold LINE_FIELDS, `approvals` APPROVAL_FIELDS (shown only in the internal
    appendix), `totals` label → amount in display order. `issued_at` (timezone-aware) dates the document and
    any redline; `fingerprint` is the deal version the cover names by a short reference. `effective_date`
    and `term` are display text ("2025-07-01", "36 months"); empty ones print as placeholders.
    `summary_versions` (VERSION_FIELDS) and `summary_approvals` (APPROVAL_FIELDS but the comment) fill the
    negotiation summary page."""

    title: str
    vendor: Party
    customer: Party
    effective_date: str
    currency: str
    issued_at: datetime
    terms: Terms
    library: ClauseLibrary
    variables: Mapping[str, str] = field(default_factory=dict)
    lines: Sequence[Mapping[str, str]] = ()
    totals: Mapping[str, str] = field(default_factory=dict)
    approvals: Sequence[Mapping[str, str]] = ()
    fingerprint: str = ""
    author: str = "Dealroom"
    term: str = ""
    pricing_notes: Sequence[str] = ()
    summary_versions: Sequence[Mapping[str, str]] = ()
    summary_approvals: Sequence[Mapping[str, str]] = ()
