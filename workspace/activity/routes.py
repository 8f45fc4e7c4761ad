"""HTTP routes of the room's record: the timeline, the activity feed and the bell."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy.orm import Session
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from workspace.activity import feed, timeline
from workspace.errors import InvalidInput
from workspace.rooms.access import room_access
from workspace.web import caller, in_db, json_body, services

MAX_EVENTS = 100
MAX_SESSIONS = 50
MAX_ID = 2**63 - 1


def _int_param(request: Request, name: str, default: int | None, low: int, high: int) -> int | None:
    raw = request.query_params.get(name)
    if raw is None:
        return default
    if not raw.isascii() or not raw.isdigit() or len(raw) > 19:
        raise InvalidInput(f"'{name}' must be a whole number from {low} to {high}")
    value = int(raw)
    if not low <= value <= high:
        raise InvalidInput(f"'{name}' must be a whole number from {low} to {high}")
    return value


def _only(request: Request, allowed: set[str]) -> None:
    unknown = set(request.query_params) - allowed
    if unknown:
        raise InvalidInput(f"unknown query parameter {sorted(unknown)[0]!r}")


async def _room_page(request: Request, default: int, most: int, read: Callable[..., dict[str, Any]]) -> Response:
    """One page of a room's record (`read(db, room_id, internal=, before=, limit=)`), as the caller's role sees it."""
    principal = await caller(request)
    room_id = request.path_params["room_id"]
    _only(request, {"limit", "before"})
    limit = _int_param(request, "limit", default, 1, most) or default
    before = _int_param(request, "before", None, 1, MAX_ID)

    def work(db: Session) -> dict[str, Any]:
        internal = room_access(db, principal, room_id).role.is_internal
        return read(db, room_id, internal=internal, before=before, limit=limit)

    await services(request).activity.flush()  # the record is written in batches: read it with what is queued
    return JSONResponse(await in_db(request, work))


async def room_timeline(request: Request) -> Response:
    return await _room_page(request, 20, MAX_SESSIONS, timeline.page)


async def room_activity(request: Request) -> Response:
    return await _room_page(request, 50, MAX_EVENTS, feed.activity)


async def get_notifications(request: Request) -> Response:
    principal = await caller(request)
    _only(request, {"limit"})
    limit = _int_param(request, "limit", 20, 1, MAX_EVENTS) or 20
    await services(request).activity.flush()
    return JSONResponse(await in_db(request, lambda db: feed.notifications(db, principal, limit)))


async def mark_read(request: Request) -> Response:
    principal = await caller(request)
    data = await json_body(request)
    unknown = set(data) - {"room_id", "up_to"}
    if unknown:
        raise InvalidInput(f"unknown field {sorted(unknown)[0]!r}")
    room_id = data.get("room_id")
    if not isinstance(room_id, str) or not room_id or len(room_id) > 32:
        raise InvalidInput("'room_id' must be a room's id")
    up_to = data.get("up_to")
    if isinstance(up_to, bool) or not isinstance(up_to, int) or not 0 <= up_to <= MAX_ID:
        raise InvalidInput("'up_to' must be an event id (a whole number, 0 or more)")

    def work(db: Session) -> dict[str, Any]:
        room_access(db, principal, room_id)
        marker = feed.mark_read(db, principal.user_id, room_id, up_to)
        return {"room_id": room_id, "read_up_to": marker}

    return JSONResponse(await in_db(request, work))


routes = [
    Route("/api/rooms/{room_id}/timeline", room_timeline, methods=["GET"]),
    Route("/api/rooms/{room_id}/activity", room_activity, methods=["GET"]),
    Route("/api/notifications", get_notifications, methods=["GET"]),
    Route("/api/notifications/read", mark_read, methods=["POST"]),
]
