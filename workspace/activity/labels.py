"""Words for what an event is about: "Quantity of Platform seats", "Clause 'Limitation of liability'"."""

from __future__ import annotations

from typing import Any

DEAL_FIELDS = {
    "title": "Deal title",
    "customerName": "Customer name",
    "currency": "Currency",
    "termMonths": "Term",
    "startDate": "Start date",
    "paymentTermsDays": "Payment terms",
    "billing": "Billing",
}
LINE_FIELDS = {
    "qty": "Quantity",
    "discountPct": "Discount",
    "note": "Note",
    "sku": "Product",
    "locked": "Lock",
    "id": "Line",
}


def _words(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _product(line: dict[str, Any]) -> str:
    return str(line.get("product") or line.get("sku") or "a line")


def label(kind: str, subject: dict[str, Any]) -> str:
    """What a change event touched, as a person reads it."""
    if kind == "change.deal":
        name = str(subject.get("field", ""))
        return DEAL_FIELDS.get(name, f"Deal field '{name}'")
    if kind == "change.lines":
        if subject.get("part") == "list":
            added = [_product(item) for item in subject.get("added") or () if isinstance(item, dict)]
            return f"Lines added: {_words(added)}" if added else "Lines added, moved or removed"
        fields = [LINE_FIELDS.get(f, f) for f in subject.get("fields") or ()]
        what = _words(fields) if fields else "Line"
        if fields:
            what = what[0] + what[1:].lower()
        return f"{what} of {_product(subject)}"
    if kind == "change.terms":
        part = subject.get("part")
        if part == "clause":
            return f"Clause '{subject.get('title') or subject.get('clause_id')}'"
        if part == "free_text":
            return "Text outside the clauses"
        return "Blocks of the terms"
    if kind == "change.notes":
        return "Internal notes"
    return str(subject.get("label") or kind)


def change_summary(actor_name: str | None, kind: str, subject: dict[str, Any]) -> str:
    return f"{actor_name or 'The server'} changed {label(kind, subject)}"
