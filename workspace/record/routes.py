"""HTTP routes of a room's record: its versions (list, save one, compare two, restore one's terms or pricing)
and what changed since the caller last looked."""

from __future__ import annotations

import dataclasses
import time
from typing import Any

from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from workspace.audit import chain as audit
from workspace.auth.principal import Principal
from workspace.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from workspace.record import store
from workspace.record.approvals import carried
from workspace.record.compare import compare
from workspace.record.restore import PARTS, restore
from workspace.record.seen import who_changed_since
from workspace.record.snapshots import snapshot_now, take
from workspace.rooms.access import RoomAccess, room_access
from workspace.rooms.models import RoomRole
from workspace.storage.base import utcnow
from workspace.web import caller, field, in_db, json_body, services

MAX_LABEL = 120
# A version number in a URL: far more than a room will ever take, small enough for every database's integer.
MAX_NUMBER = 2**31 - 1
CURRENT = "current"


async def _access(http: Request, principal: Principal) -> RoomAccess:
    room_id = http.path_params["room_id"]
    return await in_db(http, lambda db: room_access(db, principal, room_id))


def _customer(access: RoomAccess) -> bool:
    return not access.role.is_internal


async def list_versions(http: Request) -> Response:
    """The room's versions, oldest first: internal people see all; customers the saved, exported and restored
    ones, with neutral labels (never where approval stands)."""
    principal = await caller(http)
    room_id = http.path_params["room_id"]

    def work(db: Session) -> list[dict[str, Any]]:
        customer = _customer(room_access(db, principal, room_id))
        rows = store.listed(db, room_id, store.CUSTOMER_REASONS if customer else None)
        return [store.version_view(row, customer) for row in rows]

    return JSONResponse({"versions": await in_db(http, work)})


async def create_version(http: Request) -> Response:
    """Save the room as it is now under a label (internal people)."""
    principal = await caller(http)
    room_id = http.path_params["room_id"]
    access = await _access(http, principal)
    if _customer(access):
        raise PermissionDenied("versions are saved by the vendor's team")
    data = await json_body(http)
    unknown = set(data) - {"label"}
    if unknown:
        raise InvalidInput(f"unknown field(s): {', '.join(sorted(unknown))}")
    label = field(data, "label", str, max_length=MAX_LABEL)
    shown = await take(services(http), room_id, "manual", label, principal.user_id)
    return JSONResponse(shown, status_code=201)


def _number(raw: str | None, name: str, allow_current: bool) -> int | None:
    """A version number from the URL (None for "current")."""
    if raw is None:
        raise InvalidInput(f"'{name}' is required: a version number" + (" or 'current'" if allow_current else ""))
    if allow_current and raw == CURRENT:
        return None
    if not raw.isascii() or not raw.isdigit() or not 1 <= int(raw) <= MAX_NUMBER:
        alternative = " or 'current'" if allow_current else ""
        raise InvalidInput(f"'{name}' must be a version number (1, 2, ...){alternative}")
    return int(raw)


def _side(row: store.RoomVersion | None, customer: bool, fingerprint: str) -> dict[str, Any]:
    if row is None:
        return {"number": None, "label": "Current", "current": True, "created_at": None,
                **({} if customer else {"fingerprint": fingerprint})}  # fmt: skip
    return {**store.version_view(row, customer), "current": False}


async def compare_versions(http: Request) -> Response:
    """Two versions (or one and the room now) compared: terms, lines, totals, deal fields; internal people
    also see the approvals each carried."""
    started = time.perf_counter()
    principal = await caller(http)
    room_id = http.path_params["room_id"]
    first = _number(http.query_params.get("from"), "from", allow_current=False)
    second = _number(http.query_params.get("to"), "to", allow_current=True)
    svc = services(http)

    def rows(db: Session) -> tuple[bool, Any, Any]:
        customer = _customer(room_access(db, principal, room_id))
        found: list[store.RoomVersion | None] = []
        for number in (first, second):
            if number is None:
                found.append(None)
                continue
            row = store.numbered(db, room_id, number)
            if row is None or (customer and row.reason not in store.CUSTOMER_REASONS):
                raise NotFound(f"this room has no version {number}")
            found.append(row)
        return customer, found[0], found[1]

    customer, before, after = await in_db(http, rows)
    now = await snapshot_now(svc, room_id) if after is None else None
    after_plain = now.plain if now is not None else after.plain
    after_fingerprint = now.fingerprint if now is not None else after.fingerprint
    result = await run_in_threadpool(compare, before.plain, after_plain)
    result["from"] = _side(before, customer, before.fingerprint)
    result["to"] = _side(after, customer, after_fingerprint)
    if not customer:
        found = await in_db(http, lambda db: carried(db, room_id, {before.fingerprint, after_fingerprint}))
        result["approvals"] = {"from": found[before.fingerprint], "to": found[after_fingerprint]}
    server_ms = (time.perf_counter() - started) * 1000
    return JSONResponse(result, headers={"Server-Timing": f"compare;dur={server_ms:.1f}"})


async def restore_version(http: Request) -> Response:
    """Bring back a version's terms or pricing as a new change (the room's rep), then keep the result as a
    "restored" version."""
    principal = await caller(http)
    room_id = http.path_params["room_id"]
    number = _number(http.path_params["number"], "number", allow_current=False)
    svc = services(http)

    def check(db: Session) -> tuple[Any, Any]:
        access = room_access(db, principal, room_id)
        if access.role is not RoomRole.REP:
            raise PermissionDenied("only the room's rep restores an earlier version")
        return access, svc.catalog.limits(db, access.room.price_book_version)

    access, limits = await in_db(http, check)
    data = await json_body(http)
    unknown = set(data) - {"part"}
    if unknown:
        raise InvalidInput(f"unknown field(s): {', '.join(sorted(unknown))}")
    part = field(data, "part", str, max_length=10)
    if part not in PARTS:
        raise InvalidInput("'part' must be 'terms' or 'pricing'")
    assert number is not None
    row = await in_db(http, lambda db: store.numbered(db, room_id, number))
    if row is None:
        raise NotFound(f"this room has no version {number}")
    # Checked as the rep's own edit would be, against the room's price book.
    context = dataclasses.replace(access.write_context(), prices=limits)
    if not await restore(svc, room_id, row.state, part, context):
        raise Conflict(f"the {part} are already as in version {number}: nothing to restore")
    shown = await take(svc, room_id, "restored", f"Restored {part} of version {number}", principal.user_id)

    def record(db: Session) -> None:
        audit.append(db, "version.restored", actor_id=principal.user_id, room_id=room_id, at=utcnow(),
                     data={"part": part, "from_version": number, "version": shown["number"],
                           "fingerprint": shown["fingerprint"]})  # fmt: skip

    await in_db(http, record)
    return JSONResponse(shown)


async def since_last_seen(http: Request) -> Response:
    """When the caller last looked, what changed since then (the compare of that with now) and who changed
    it; a first visit shows nothing."""
    principal = await caller(http)
    room_id = http.path_params["room_id"]
    svc = services(http)

    def seen(db: Session) -> tuple[bool, Any]:
        customer = _customer(room_access(db, principal, room_id))
        return customer, store.seen_row(db, room_id, principal.user_id)

    customer, row = await in_db(http, seen)
    if row is None:
        return JSONResponse({"first_visit": True, "since": None, "changes": 0, "who": [], "compare": None})
    now = await snapshot_now(svc, room_id)
    result = await run_in_threadpool(compare, row.plain, now.plain)
    since = row.created_at
    await svc.activity.flush()  # who changed it reads the record, written in batches
    who = await in_db(http, lambda db: who_changed_since(db, room_id, since, customer, principal.user_id))
    return JSONResponse({"first_visit": False, "since": since.isoformat(), "changes": result["counts"]["total"],
                         "who": who, "compare": result})  # fmt: skip


async def mark_seen(http: Request) -> Response:
    """The caller has seen the room as it is now (the browser says so after showing the banner)."""
    principal = await caller(http)
    room_id = http.path_params["room_id"]
    svc = services(http)
    await _access(http, principal)
    snapshot = await snapshot_now(svc, room_id)
    now = utcnow()

    def work(db: Session) -> None:
        store.mark_seen(db, room_id, store.author_of(db, room_id, principal.user_id), snapshot, now)

    await in_db(http, work)
    return Response(status_code=204)


routes = [
    Route("/api/rooms/{room_id}/versions", list_versions, methods=["GET"]),
    Route("/api/rooms/{room_id}/versions", create_version, methods=["POST"]),
    Route("/api/rooms/{room_id}/versions/compare", compare_versions, methods=["GET"]),
    Route("/api/rooms/{room_id}/versions/{number}/restore", restore_version, methods=["POST"]),
    Route("/api/rooms/{room_id}/since-last-seen", since_last_seen, methods=["GET"]),
    Route("/api/rooms/{room_id}/seen", mark_seen, methods=["POST"]),
]
