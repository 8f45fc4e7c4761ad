"""HTTP routes of threads: list, open, reply, resolve, reopen. The server sets every author."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from workspace.auth.models import User
from workspace.errors import InvalidInput, PermissionDenied
from workspace.rooms.access import RoomAccess, room_access
from workspace.rooms.models import RoomRole
from workspace.threads.model import MAX_TEXT, Kind, State, Visibility
from workspace.threads.service import author_for
from workspace.web import caller, in_db, json_body, services


async def _access(http: Request, *, writing: bool) -> tuple[RoomAccess, Any]:
    """The caller's access to the room (404 when it is not theirs) and who they are, as the server knows them."""
    principal = await caller(http)
    room_id = http.path_params["room_id"]

    def work(db: Session) -> tuple[RoomAccess, str]:
        access = room_access(db, principal, room_id)
        user = db.get(User, principal.user_id)
        return access, user.name if user is not None else principal.name

    access, name = await in_db(http, work)
    if writing and access.role is RoomRole.VIEWER:
        raise PermissionDenied("read-only members cannot write in threads")
    return access, author_for(access, principal.user_id, name)


def _only(data: dict[str, Any], allowed: set[str]) -> None:
    unknown = set(data) - allowed
    if unknown:
        raise InvalidInput(f"unknown field {sorted(unknown)[0]!r}; send {', '.join(sorted(allowed))}")


def _text(data: dict[str, Any]) -> str:
    text = data.get("text")
    if not isinstance(text, str) or not text.strip():
        raise InvalidInput("'text' must be a non-empty text")
    if len(text) > MAX_TEXT:
        raise InvalidInput(f"'text' holds at most {MAX_TEXT:,} characters, not {len(text):,}")
    return text.strip()


def _choice(data: dict[str, Any], key: str, kind: type[Kind] | type[Visibility]) -> Any:
    value = data.get(key)
    try:
        return kind(str(value))
    except ValueError:
        raise InvalidInput(f"'{key}' must be one of {', '.join(item.value for item in kind)}") from None


async def list_threads(http: Request) -> Response:
    """The room's threads the caller may see (customers: external ones only), oldest first; `state` and
    `kind` filter."""
    access, _ = await _access(http, writing=False)
    state, kind = http.query_params.get("state"), http.query_params.get("kind")
    if state is not None and state not in set(State):
        raise InvalidInput("'state' must be open, answered or resolved")
    if kind is not None and kind not in set(Kind):
        raise InvalidInput("'kind' must be question, dispute or note")
    found = await services(http).threads.visible(access.room.id, internal=access.role.is_internal)
    found = [t for t in found if (state is None or t["state"] == state) and (kind is None or t["kind"] == kind)]
    return JSONResponse({"threads": found})


async def open_thread(http: Request) -> Response:
    access, author = await _access(http, writing=True)
    data = await json_body(http)
    _only(data, {"kind", "visibility", "anchor", "text"})
    kind = _choice(data, "kind", Kind)
    visibility = _choice({"visibility": data.get("visibility", "external")}, "visibility", Visibility)
    text = _text(data)
    view = await services(http).threads.open(access, author, kind, visibility, data.get("anchor"), text)
    return JSONResponse(view, status_code=201)


async def reply(http: Request) -> Response:
    access, author = await _access(http, writing=True)
    data = await json_body(http)
    _only(data, {"text"})
    view = await services(http).threads.reply(access, author, http.path_params["thread_id"], _text(data))
    return JSONResponse(view, status_code=201)


async def resolve(http: Request) -> Response:
    access, author = await _access(http, writing=True)
    return JSONResponse(await services(http).threads.resolve(access, author, http.path_params["thread_id"]))


async def reopen(http: Request) -> Response:
    access, author = await _access(http, writing=True)
    return JSONResponse(await services(http).threads.reopen(access, author, http.path_params["thread_id"]))


routes = [
    Route("/api/rooms/{room_id}/threads", list_threads, methods=["GET"]),
    Route("/api/rooms/{room_id}/threads", open_thread, methods=["POST"]),
    Route("/api/rooms/{room_id}/threads/{thread_id}/messages", reply, methods=["POST"]),
    Route("/api/rooms/{room_id}/threads/{thread_id}/resolve", resolve, methods=["POST"]),
    Route("/api/rooms/{room_id}/threads/{thread_id}/reopen", reopen, methods=["POST"]),
]
