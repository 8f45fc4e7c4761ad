"""HTTP routes of approval requests: submit (rep), recall (rep), the inbox, a decision (approvers)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

import approvals
from approvals import Decision
from workspace.approval_policy import requests
from workspace.approval_policy.routes import current_version
from workspace.errors import InvalidInput, PermissionDenied
from workspace.rooms.access import room_access
from workspace.rooms.models import RoomRole
from workspace.storage.base import utcnow
from workspace.web import caller, field, in_db, json_body, services


def _view(request: approvals.Request) -> dict[str, Any]:
    plain = approvals.request_to_plain(request)
    return {"request_id": request.id, **plain}


def _refresh_room(http: Request, room_id: str, request: approvals.Request) -> None:
    """The room shows the request's state at once."""
    services(http).deriver.request_changed(room_id, approvals.request_to_plain(request))


async def submit(http: Request) -> Response:
    principal = await caller(http)
    room_id = http.path_params["room_id"]
    current = await current_version(http, principal, room_id)
    if current.access.role is not RoomRole.REP:
        raise PermissionDenied("only the room's rep submits it for approval")
    if not current.required:
        raise InvalidInput("this version needs no approval")
    now = utcnow()
    submitted = await in_db(http, lambda db: requests.submit(
        db, room_id, principal.user_id, current.policy, current.required, current.fingerprint, now))  # fmt: skip
    _refresh_room(http, room_id, submitted)
    return JSONResponse(_view(submitted), status_code=201)


async def recall(http: Request) -> Response:
    principal = await caller(http)
    request_id = http.path_params["request_id"]

    def work(db: Session) -> tuple[str, approvals.Request]:
        row, _ = requests.load(db, request_id)
        if room_access(db, principal, row.room_id).role is not RoomRole.REP:
            raise PermissionDenied("only the room's rep recalls its request")
        return requests.recall(db, request_id, principal.user_id, utcnow())

    room_id, recalled = await in_db(http, work)
    _refresh_room(http, room_id, recalled)
    return JSONResponse(_view(recalled))


async def inbox(http: Request) -> Response:
    principal = await caller(http)
    items = await in_db(http, lambda db: requests.inbox(db, principal.user_id, utcnow()))
    return JSONResponse({"items": items})


async def decide(http: Request) -> Response:
    principal = await caller(http)
    data = await json_body(http)
    choice = field(data, "decision", str)
    if choice not in ("approve", "reject"):
        raise InvalidInput("'decision' must be 'approve' or 'reject'")
    comment = field(data, "comment", str, max_length=2000, required=False) or ""
    version = field(data, "fingerprint", str, max_length=64)
    decision = Decision.APPROVE if choice == "approve" else Decision.REJECT

    def work(db: Session) -> tuple[str, approvals.Request]:
        row, _ = requests.load(db, http.path_params["request_id"])
        room_access(db, principal, row.room_id)  # approvers of other companies' rooms: 404
        return requests.decide(db, row.id, http.path_params["step_id"], principal.user_id, decision, comment,
                               version, utcnow())  # fmt: skip

    room_id, decided = await in_db(http, work)
    _refresh_room(http, room_id, decided)
    return JSONResponse(_view(decided))


routes = [
    Route("/api/rooms/{room_id}/approvals", submit, methods=["POST"]),
    Route("/api/approvals/inbox", inbox, methods=["GET"]),
    Route("/api/approvals/{request_id}/recall", recall, methods=["POST"]),
    Route("/api/approvals/{request_id}/steps/{step_id}/decision", decide, methods=["POST"]),
]
