"""HTTP routes: a room's clause deviations, the contract export (gated by approvals), and its exports."""

from __future__ import annotations

import dataclasses
import hashlib
import re
import secrets
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from clauses.export_docx import export_contract
from clauses.variables import VARIABLES
from workspace.activity import events as activity
from workspace.approval_policy.routes import current_version
from workspace.approval_policy.views import people
from workspace.audit import chain as audit
from workspace.auth.models import User
from workspace.clause_library.deviations import (
    deviation_view,
    read_standard_terms,
    read_terms,
    room_variables,
    split_free_text,
)
from workspace.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from workspace.exports.contract import room_contract, unset_variables
from workspace.exports.gate import check_disputes, missing_for, request_for, unrouted_deviations
from workspace.exports.models import ExportRow
from workspace.insights import timings
from workspace.insights.timings import stopwatch
from workspace.pricing.views import unpriceable_reason
from workspace.proposals.tracker import pending_summary
from workspace.record.snapshots import take_after
from workspace.record.summary import summary_rows
from workspace.rooms.access import room_access
from workspace.rooms.models import Room
from workspace.storage.base import utcnow
from workspace.sync.documents import DocName
from workspace.web import caller, field, in_db, json_body, services

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


class ProposalsPending(Conflict):
    """The customer has proposed changes the rep has not decided: the contract would hold values nobody
    accepted, or differ from what both sides see in the room. `pending` lists them."""

    code = "proposals_pending"


class ApprovalsMissing(Conflict):
    """The version has required approvals that are not in; `missing` lists them."""

    code = "approvals_missing"


async def deviations(http: Request) -> Response:
    """Each clause block of the room's terms: standard, fallback N or non-standard, with its word diff; and
    the text outside clause blocks when it is not the room's standard terms."""
    principal = await caller(http)
    room_id = http.path_params["room_id"]
    svc = services(http)
    access = await in_db(http, lambda db: room_access(db, principal, room_id))
    doc = await svc.rooms.current_doc(room_id, DocName.SHARED)
    # The clauses only: no pricing input, no fingerprint.
    terms, values = read_terms(doc), room_variables(doc, svc.deriver.vendor)
    library, found = await svc.deriver.deviations_of(terms, values, read_standard_terms(doc))
    unset = await run_in_threadpool(unset_variables, terms, values)
    internal = access.role.is_internal
    clauses, outside = split_free_text(found)
    return JSONResponse({
        "clauses": [deviation_view(d, library, internal) for d in clauses],
        # The text outside clause blocks, when it differs from the room's standard terms (else null).
        "free_text": deviation_view(outside, library, internal) if outside is not None else None,
        "unset_variables": [_unset_view(name) for name in unset],
    })  # fmt: skip


def _unset_view(name: str) -> dict[str, str]:
    variable = VARIABLES[name]
    return {"name": name, "label": variable.label, "placeholder": variable.placeholder}


def _filename(title: str, redline: bool, internal_appendix: bool = False) -> str:
    stem = re.sub(r"[^A-Za-z0-9]+", "-", title).strip("-")[:80] or "contract"
    return f"{stem}{'-redline' if redline else ''}{'-internal' if internal_appendix else ''}.docx"


async def export(http: Request) -> Response:
    """The contract as a Word document, if every approval the current version needs covers it."""
    principal = await caller(http)
    room_id = http.path_params["room_id"]
    data = await json_body(http)
    unknown = set(data) - {"format", "redline", "internal_appendix", "negotiation_summary"}
    if unknown:
        raise InvalidInput(f"unknown field(s): {', '.join(sorted(unknown))}")
    kind = field(data, "format", str, max_length=10, required=False) or "docx"
    if kind != "docx":
        raise InvalidInput("'format' must be 'docx'")
    redline = bool(field(data, "redline", bool, required=False))
    # The approvals record names the vendor's approvers: for the vendor's file, never the customer's copy.
    internal_appendix = bool(field(data, "internal_appendix", bool, required=False))
    # A page listing the room's versions and the approvals given (workspace/record), on request.
    negotiation_summary = bool(field(data, "negotiation_summary", bool, required=False))
    svc = services(http)
    current = await current_version(http, principal, room_id, allow_no_policy=True)
    if not current.access.role.is_internal:
        raise PermissionDenied("exports are made by the vendor")
    pending = svc.proposals.pending_in(room_id, await svc.rooms.current_doc(room_id, DocName.SHARED))
    if pending:
        raise ProposalsPending(
            "the customer's proposals must be accepted, countered or declined before the contract is exported",
            pending=[pending_summary(p) for p in pending],
        )
    unpriceable = unpriceable_reason(current.priced.public)
    if unpriceable is not None:
        raise Conflict(unpriceable)
    check_disputes(await svc.rooms.current_doc(room_id, DocName.SHARED))
    now = utcnow()

    def gate(db: Session) -> tuple[Any, ...]:
        missing = missing_for(db, room_id, current.required, current.fingerprint)
        missing += unrouted_deviations(current.required, current.deviations, current.library)
        if missing:
            raise ApprovalsMissing("required approvals are missing for this version of the deal", missing=missing)
        room = db.get(Room, room_id)
        user = db.get(User, principal.user_id)
        assert room is not None and user is not None  # access was just checked
        contract = room_contract(db, room=room, settings=svc.settings, room_deal=current.room_deal,
                                 priced=current.priced, library=current.library,
                                 request=request_for(db, room_id, current.fingerprint),
                                 author=f"{user.name} (Dealroom)", now=now)  # fmt: skip
        if negotiation_summary:
            versions, decided = summary_rows(db, room_id)
            contract = dataclasses.replace(contract, summary_versions=versions, summary_approvals=decided)
        return contract, room.title

    contract, title = await in_db(http, gate)
    with stopwatch() as generation:
        content = await run_in_threadpool(export_contract, contract, redline, internal_appendix, negotiation_summary)
    unset = await run_in_threadpool(unset_variables, current.room_deal.terms, current.room_deal.variables)
    digest = hashlib.sha256(content).hexdigest()
    filename = _filename(title, redline, internal_appendix)
    export_id = f"exp_{secrets.token_urlsafe(9)}"

    def record(db: Session) -> None:
        db.add(ExportRow(id=export_id, room_id=room_id, fingerprint=current.fingerprint, sha256=digest, format=kind,
                         redline=redline, size=len(content), filename=filename, content=content,
                         created_by=principal.user_id, created_at=now))  # fmt: skip
        audit.append(db, "contract.exported", actor_id=principal.user_id, room_id=room_id, at=now,
                     data={"export_id": export_id, "fingerprint": current.fingerprint, "sha256": digest,
                           "redline": redline, "internal_appendix": internal_appendix,
                           "negotiation_summary": negotiation_summary,
                           "unset_variables": unset})  # fmt: skip
        timings.add(db, "export", room_id, generation.ms, now)
        activity.add(db, room_id, "export", actor=activity.Actor(principal.user_id, principal.name,
                                                                 current.access.role.value),
                     audience=activity.Audience.INTERNAL, at=now,
                     subject={"export_id": export_id, "filename": filename, "redline": redline},
                     summary=f"{principal.name} exported the contract ({filename})")  # fmt: skip

    await in_db(http, record)
    await take_after(svc, room_id, "exported", "Contract exported" + (" (redline)" if redline else ""),
                     principal.user_id)  # fmt: skip
    # Variables the document prints as placeholders ("[start date]"): the contract is not ready to send yet.
    headers = {"Content-Disposition": f'attachment; filename="{filename}"', "X-Export-Id": export_id,
               "X-Export-Sha256": digest, "X-Export-Unset-Variables": ",".join(unset),
               "Cache-Control": "no-store"}  # fmt: skip
    return Response(content, media_type=DOCX, headers=headers)


def _internal_member(db: Session, principal: Any, room_id: str) -> None:
    if not room_access(db, principal, room_id).role.is_internal:
        raise PermissionDenied("exports are internal to the vendor")


async def list_exports(http: Request) -> Response:
    principal = await caller(http)
    room_id = http.path_params["room_id"]

    def work(db: Session) -> list[dict[str, Any]]:
        _internal_member(db, principal, room_id)
        rows = db.execute(
            select(ExportRow.id, ExportRow.created_at, ExportRow.fingerprint, ExportRow.sha256, ExportRow.size,
                   ExportRow.redline, ExportRow.filename, ExportRow.created_by)
            .where(ExportRow.room_id == room_id).order_by(ExportRow.created_at.desc())
        ).all()  # fmt: skip
        names = people(db, [row.created_by for row in rows if row.created_by is not None])
        return [
            {"id": row.id, "created_at": row.created_at.isoformat(), "fingerprint": row.fingerprint,
             "sha256": row.sha256, "size": row.size, "redline": row.redline, "filename": row.filename,
             "created_by": {"id": row.created_by, "name": names.get(str(row.created_by), {}).get("name", "")},
             "url": f"/api/rooms/{room_id}/exports/{row.id}"}
            for row in rows
        ]  # fmt: skip

    return JSONResponse({"exports": await in_db(http, work)})


async def get_export(http: Request) -> Response:
    principal = await caller(http)
    room_id, export_id = http.path_params["room_id"], http.path_params["export_id"]

    def work(db: Session) -> ExportRow:
        _internal_member(db, principal, room_id)
        row = db.get(ExportRow, export_id)
        if row is None or row.room_id != room_id:
            raise NotFound("no such export")
        return row

    row = await in_db(http, work)
    headers = {"Content-Disposition": f'attachment; filename="{row.filename}"', "X-Export-Sha256": row.sha256,
               "Cache-Control": "no-store"}  # fmt: skip
    return Response(row.content, media_type=DOCX, headers=headers)


routes = [
    Route("/api/rooms/{room_id}/deviations", deviations, methods=["GET"]),
    Route("/api/rooms/{room_id}/export", export, methods=["POST"]),
    Route("/api/rooms/{room_id}/exports", list_exports, methods=["GET"]),
    Route("/api/rooms/{room_id}/exports/{export_id}", get_export, methods=["GET"]),
]
