"""HTTP routes: a room's pending proposals, and the rep's accept / counter / decline."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from workspace.errors import InvalidInput, PermissionDenied
from workspace.proposals.decide import decide
from workspace.proposals.tracker import public_view
from workspace.rooms.access import room_access
from workspace.rooms.models import RoomRole
from workspace.sync.documents import DocName
from workspace.web import caller, in_db, json_body, services

# Who may decide on some proposal (the rep on all, legal on clauses); checked before anything is looked up.
DECIDERS = frozenset({RoomRole.REP, RoomRole.LEGAL})


async def list_proposals(request: Request) -> Response:
    """The room's pending proposals, as both sides see them in the room."""
    principal = await caller(request)
    room_id = request.path_params["room_id"]
    svc = services(request)
    await in_db(request, lambda db: room_access(db, principal, room_id))
    doc = await svc.rooms.current_doc(room_id, DocName.SHARED)
    return JSONResponse({"proposals": [public_view(p) for p in svc.proposals.pending_in(room_id, doc)]})


def _revision(data: dict[str, object]) -> int:
    """The proposal's revision the decider saw (a whole number; JSON may carry it as 2.0)."""
    value = data.get("revision")
    if isinstance(value, bool) or not isinstance(value, int | float) or value != int(value) or value < 0:
        raise InvalidInput("'revision' is required: the revision of the proposal you decide on (a whole number)")
    return int(value)


def _decision(decision: str) -> Callable[[Request], Awaitable[Response]]:
    async def handle(request: Request) -> Response:
        principal = await caller(request)
        room_id = request.path_params["room_id"]
        svc = services(request)
        access = await in_db(request, lambda db: room_access(db, principal, room_id))
        if access.role not in DECIDERS:
            if access.role is RoomRole.CUSTOMER:
                raise PermissionDenied("the rep decides on proposals; yours waits for the rep")
            raise PermissionDenied(f"a {access.role.value} may not decide on proposals")
        data = await json_body(request)
        allowed = {"revision", "value"} if decision == "counter" else {"revision"}
        unknown = set(data) - allowed
        if unknown:
            raise InvalidInput(f"unknown field {sorted(unknown)[0]!r}")
        revision = _revision(data)
        if decision == "counter" and "value" not in data:
            raise InvalidInput("'value' is required: the rep's quantity or discount")
        actor = {"id": principal.user_id, "name": principal.name, "role": access.role.value}
        await svc.rooms.acquire(room_id, DocName.SHARED)  # loaded: its proposals are the tracker's
        try:
            result = await decide(svc.proposals, room_id, request.path_params["proposal_id"], decision, revision,
                                  access.role, actor, data.get("value"))  # fmt: skip
        finally:
            svc.rooms.release(room_id, DocName.SHARED)
        return JSONResponse(result)

    return handle


routes = [
    Route("/api/rooms/{room_id}/proposals", list_proposals, methods=["GET"]),
    Route("/api/rooms/{room_id}/proposals/{proposal_id}/accept", _decision("accept"), methods=["POST"]),
    Route("/api/rooms/{room_id}/proposals/{proposal_id}/decline", _decision("decline"), methods=["POST"]),
    Route("/api/rooms/{room_id}/proposals/{proposal_id}/counter", _decision("counter"), methods=["POST"]),
]
