"""The contract of a room as the clauses core exports it: parties, priced lines, terms, approvals."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from approvals import Decision, Request, StepState
from clauses.contract import ContractData, Party
from clauses.document import parse_json
from clauses.library import ClauseLibrary
from workspace.approval_policy.views import people
from workspace.derive import Priced, RoomDeal
from workspace.settings import Settings


def _approvals_record(db: Session, request: Request | None) -> list[dict[str, str]]:
    if request is None:
        return []
    names = people(db, [record.actor for step in request.steps for record in step.decisions])
    shown: list[dict[str, str]] = []
    for step in request.steps:
        if step.state is not StepState.APPROVED:
            continue
        for record in step.decisions:
            shown.append({
                "step": step.name,
                "approver": names.get(str(record.actor), {}).get("name", str(record.actor)),
                "decision": "approved" if record.decision is Decision.APPROVE else "rejected",
                "at": record.at.strftime("%Y-%m-%d %H:%M UTC"),
                "comment": record.comment,
            })  # fmt: skip
    return shown


def _lines(priced: Priced) -> list[dict[str, str]]:
    return [
        {"sku": str(line["sku"]), "name": str(line["name"] or line["sku"]), "qty": str(line["qty"]),
         "net_unit": str(line["net_unit"]), "net_total": str(line["net_total"])}
        for line in priced.public["lines"]
    ]  # fmt: skip


def _totals(priced: Priced) -> dict[str, str]:
    totals: dict[str, Any] = priced.public["totals"]
    shown = {"List price": str(totals["list_total"]), "Discounts": str(totals["total_discount"]),
             "Net total": str(totals["net_total"])}  # fmt: skip
    if priced.public.get("term_months") and priced.public["term_months"] > 12:
        shown["First year"] = str(totals["first_year"])
    return shown


def room_contract(
    db: Session, *, title: str, settings: Settings, room_deal: RoomDeal, priced: Priced, library: ClauseLibrary,
    request: Request | None, author: str, now: datetime,
) -> ContractData:  # fmt: skip
    """Everything the document shows, from the room as it is now."""
    values = room_deal.variables
    customer_name = values.get("customer.name", "") or "Customer"
    return ContractData(
        title=title,
        vendor=Party("Vendor", settings.vendor_name, settings.vendor_address, settings.vendor_signatory, ""),
        customer=Party("Customer", customer_name, values.get("customer.address", "")),
        effective_date=values.get("deal.start_date", now.date().isoformat()),
        currency=str(priced.public.get("currency") or values.get("deal.currency", "")),
        issued_at=now,
        terms=parse_json(room_deal.terms),
        library=library,
        variables=values,
        lines=_lines(priced),
        totals=_totals(priced),
        approvals=_approvals_record(db, request),
        fingerprint=room_deal.fingerprint,
        author=author,
    )
