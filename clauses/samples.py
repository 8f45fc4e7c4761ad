"""Demo data: the sample clause library, deal variables, terms as TipTap JSON, and a contract of any size
for tests and benchmarks (`sample_contract(clauses=50, lines=200)`)."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from decimal import Decimal

from clauses.contract import ContractData, Party
from clauses.document import parse_json
from clauses.library import ClauseLibrary
from clauses.samples_library import sample_library
from clauses.variables import substitute

__all__ = ["sample_contract", "sample_library", "sample_terms_json", "sample_variables"]

Node = dict[str, object]

EDITED_LIABILITY = (
    "Except for liability that cannot be limited by law, neither party is liable for indirect, incidental, special "
    "or consequential damages. Each party's total liability arising out of this Agreement is limited to five times "
    "the fees paid and payable by {{customer.name}} in the 24 months before the event giving rise to the claim."
)


def sample_variables() -> dict[str, str]:
    """Variable values of the demo deal."""
    return {
        "customer.name": "Northwind Traders GmbH",
        "customer.address": "Speicherstraße 12, 20457 Hamburg, Germany",
        "vendor.name": "Dealroom Software Ltd",
        "vendor.address": "1 Canal Street, Manchester M1 3HE, United Kingdom",
        "deal.title": "Northwind Traders — Enterprise subscription",
        "deal.currency": "EUR",
        "deal.term_months": "36",
        "deal.start_date": "2025-07-01",
        "deal.payment_terms_days": "30",
        "deal.billing": "annually",
        "contract.governing_law": "England and Wales",
        "contract.venue": "London",
    }


def _text(text: str, *marks: str) -> Node:
    node: Node = {"type": "text", "text": text}
    if marks:
        node["marks"] = [{"type": m} for m in marks]
    return node


def _paragraphs(text: str) -> list[Node]:
    return [{"type": "paragraph", "content": [_text(p)]} for p in re.split(r"\n\s*\n", text) if p.strip()]


def sample_terms_json(
    library: ClauseLibrary, variables: dict[str, str], clauses: int = 14, *, deviations: bool = True
) -> Node:
    """TipTap JSON of terms with `clauses` clause nodes cycling through the library, variables filled in as
    the editor inserts them. With `deviations`, one payment clause uses fallback 1 and one liability clause is
    rewritten (non-standard); the rest are standard."""
    content: list[Node] = [
        {"type": "heading", "attrs": {"level": 2}, "content": [_text("1. Definitions")]},
        {
            "type": "paragraph",
            "content": [
                _text("In these terms, "),
                _text("Service", "bold"),
                _text(" means the hosted software described in the Order, and "),
                _text("Affiliate", "bold"),
                _text(" means an entity that controls, is controlled by or is under common control with a party."),
            ],
        },
        {
            "type": "bulletList",
            "content": [
                {"type": "listItem", "content": [{"type": "paragraph", "content": [_text(item, "italic")]}]}
                for item in ("Order: the order form signed by both parties.", "Annex: a schedule to this Agreement.")
            ],
        },
    ]
    published = [c for c in library if c.latest_published is not None]
    # The first payment and liability clauses carry the deviations; later repeats stay standard.
    changed = {"payment": "fallback", "liability": EDITED_LIABILITY} if deviations else {}
    for index in range(clauses):
        clause = published[index % len(published)]
        version = clause.latest_published
        assert version is not None  # filtered above
        change = changed.pop(clause.id, None)
        text = version.fallbacks[0].text if change == "fallback" else change or version.text
        heading: Node = {"type": "heading", "attrs": {"level": 2}, "content": [_text(clause.title)]}
        content.append(
            {
                "type": "clause",
                "attrs": {"clauseId": clause.id, "version": version.number},
                "content": [heading, *_paragraphs(substitute(text, variables).text)],
            }
        )
    return {"type": "doc", "content": content}


_PRODUCTS = ("Seats", "Approvals add-on", "Premium support", "Sandbox")


def _lines(count: int, currency: str = "EUR", term: int = 36) -> tuple[list[dict[str, str]], dict[str, str]]:
    lines: list[dict[str, str]] = []
    net = Decimal(0)
    for index in range(count):
        qty = Decimal(1 + index % 25)
        unit = (Decimal(40) + Decimal(index % 17) * Decimal("12.50")).quantize(Decimal("0.01"))
        discount = Decimal(index % 4 * 5)
        list_unit = (unit * 100 / (100 - discount)).quantize(Decimal("0.01"))
        total = qty * unit * term
        net += total
        lines.append(
            {
                "sku": f"DR-{index + 1:04d}",
                "name": f"Dealroom {_PRODUCTS[index % len(_PRODUCTS)]} {index + 1}",
                "qty": str(qty),
                "unit": "users / month",
                "term": str(term),
                "list_unit": f"{currency} {list_unit:,.2f}",
                "discount": f"{discount}%",
                "net_unit": f"{currency} {unit:,.2f}",
                "net_total": f"{currency} {total:,.2f}",
            }
        )
    tax = (net * Decimal("0.19")).quantize(Decimal("0.01"))
    return lines, {
        "Net total": f"{currency} {net:,.2f}",
        "VAT 19%": f"{currency} {tax:,.2f}",
        "Total": f"{currency} {net + tax:,.2f}",
    }


def sample_contract(clauses: int = 14, lines: int = 12, *, deviations: bool = True) -> ContractData:
    """A complete demo contract; `sample_contract(50, 200)` is the export benchmark's contract."""
    library = sample_library()
    variables = sample_variables()
    items, totals = _lines(lines, variables["deal.currency"], int(variables["deal.term_months"]))
    return ContractData(
        title="Master Subscription Agreement",
        vendor=Party(
            "Vendor", variables["vendor.name"], variables["vendor.address"], "Alex Morgan", "Chief Revenue Officer"
        ),
        customer=Party(
            "Customer", variables["customer.name"], variables["customer.address"], "Jana Weber", "Head of Procurement"
        ),
        effective_date=variables["deal.start_date"],
        currency=variables["deal.currency"],
        issued_at=datetime(2025, 6, 20, 9, 30, tzinfo=UTC),
        terms=parse_json(sample_terms_json(library, variables, clauses, deviations=deviations)),
        library=library,
        variables=variables,
        lines=items,
        totals=totals,
        approvals=[
            {"step": "Sales manager", "approver": "Priya Shah", "decision": "approved", "at": "2025-06-18 14:02",
             "comment": "Discount within quarter-end guidance."},
            {"step": "Legal", "approver": "Tom Becker", "decision": "approved", "at": "2025-06-19 10:45",
             "comment": "Liability cap of five times fees accepted for this strategic account."},
        ],
        fingerprint="7f3a9c0e5b1d4a2f8c6e0b9d7a5c3e1f2b4d6f8a0c2e4a6b8d0f1e3c5a7b9d1f",
        author="Tom Becker (Legal)",
        term=f"{variables['deal.term_months']} months",
    )  # fmt: skip
