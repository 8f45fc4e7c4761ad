"""The contract of a room as the clauses core exports it: parties and who signs, priced lines, terms, and
the approvals record (for the internal appendix only)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from approvals import Decision, Request, StepState
from clauses.contract import ContractData, Party
from clauses.document import leaf_texts, parse_json
from clauses.library import ClauseLibrary
from clauses.variables import names_in, unset_names
from workspace.approval_policy.views import people
from workspace.auth.models import User
from workspace.derive import Priced, RoomDeal
from workspace.exports import _display as show
from workspace.rooms.models import Invitation, Membership, Room, RoomRole
from workspace.settings import Settings

# What the cover prints besides the terms: an unset start date or term shows there as a placeholder too.
_COVER_VARIABLES = ("deal.start_date", "deal.term_months")
_ROUNDING_NOTE = (
    "Unit prices are shown rounded to the currency's smallest unit; line totals are calculated from the exact "
    "unit prices."
)


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
    currency = str(priced.public.get("currency") or "")
    term_months = priced.public.get("term_months")
    return [
        {"sku": str(line["sku"]), "name": str(line["name"] or line["sku"]), "qty": show.quantity(line["qty"]),
         "unit": show.unit(line), "term": show.term(line, term_months),
         "list_unit": show.money(line["list_unit"], currency), "discount": show.discount(line),
         "net_unit": show.money(line["net_unit"], currency), "net_total": show.money(line["net_total"], currency)}
        for line in priced.public["lines"]
    ]  # fmt: skip


def _totals(priced: Priced) -> dict[str, str]:
    totals: dict[str, Any] = priced.public["totals"]
    currency = str(priced.public.get("currency") or "")
    shown = {"List price total": show.money(totals["list_total"], currency),
             "Discounts": show.money(totals["total_discount"], currency),
             "Net total": show.money(totals["net_total"], currency)}  # fmt: skip
    term_months = priced.public.get("term_months")
    if isinstance(term_months, int) and term_months > 12:
        shown["First year"] = show.money(totals["first_year"], currency)
    return shown


def _notes(priced: Priced) -> list[str]:
    currency = str(priced.public.get("currency") or "")
    lines = priced.public["lines"]
    finer = any(show.is_rounded(line[key], currency) for line in lines for key in ("list_unit", "net_unit"))
    return [_ROUNDING_NOTE] if finer else []


def _first_name(db: Session, room_id: str, role: RoomRole) -> str:
    """The name of the room's first active member in `role` (the earliest to join), or ""."""
    found = db.execute(
        select(User.name).join(Membership, Membership.user_id == User.id)
        .where(Membership.room_id == room_id, Membership.role == role.value, User.is_active.is_(True))
        .order_by(Membership.created_at, User.id).limit(1)
    ).scalar_one_or_none()  # fmt: skip
    return found or ""


def customer_contact(db: Session, room_id: str) -> str:
    """Who signs for the customer: the customer member of the room, else the person last invited as one
    (before accepting), else "" (the contract then leaves a line to write the name on)."""
    member = _first_name(db, room_id, RoomRole.CUSTOMER)
    if member:
        return member
    invited = db.execute(
        select(Invitation.name).where(Invitation.room_id == room_id, Invitation.role == RoomRole.CUSTOMER.value)
        .order_by(Invitation.created_at.desc()).limit(1)
    ).scalar_one_or_none()  # fmt: skip
    return (invited or "").strip()


def vendor_signatory(db: Session, room: Room, settings: Settings) -> tuple[str, str]:
    """Who signs for the vendor and as what: DEALROOM_VENDOR_SIGNATORY (with its title), else the room's rep."""
    if settings.vendor_signatory:
        return settings.vendor_signatory, settings.vendor_signatory_title
    rep = _first_name(db, room.id, RoomRole.REP)
    if not rep:  # the rep left the room: whoever opened it still owns the deal
        creator = db.get(User, room.created_by)
        rep = creator.name if creator is not None else ""
    return rep, ""


def _term(months: object) -> str:
    if not isinstance(months, int) or isinstance(months, bool):
        return ""
    return "1 month" if months == 1 else f"{months} months"


def unset_variables(terms: dict[str, Any], values: dict[str, str]) -> list[str]:
    """The variables the contract would print as placeholders: used by the terms (or the cover) and unset."""
    texts: Iterable[str] = leaf_texts(parse_json(terms).blocks)
    return unset_names([*(name for text in texts for name in names_in(text)), *_COVER_VARIABLES], values)


def room_contract(
    db: Session, *, room: Room, settings: Settings, room_deal: RoomDeal, priced: Priced, library: ClauseLibrary,
    request: Request | None, author: str, now: datetime,
) -> ContractData:  # fmt: skip
    """Everything the document shows, from the room as it is now."""
    values = room_deal.variables
    customer_name = values.get("customer.name", "") or room.customer_name or "Customer"
    signatory, title = vendor_signatory(db, room, settings)
    term_months = priced.public.get("term_months")
    return ContractData(
        title=room.title,
        vendor=Party("Vendor", settings.vendor_name, settings.vendor_address, signatory, title),
        customer=Party("Customer", customer_name, values.get("customer.address", ""), customer_contact(db, room.id)),
        effective_date=values.get("deal.start_date", ""),
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
        term=_term(term_months) if "deal.term_months" in values else "",
        pricing_notes=_notes(priced),
    )
