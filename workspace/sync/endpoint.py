"""The websocket route `/ws/rooms/{room_id}/{doc}`: authenticate, authorise, then serve the room.

Refusals are sent after accepting the socket, so that the client gets a readable reason: the
y-websocket auth message `[2, 0, reason]` for permission problems, then a named close code.
"""

from __future__ import annotations

import dataclasses
from urllib.parse import urlsplit

from sqlalchemy.orm import Session
from starlette.routing import WebSocketRoute
from starlette.websockets import WebSocket

from workspace.auth.principal import SESSION_COOKIE, Principal, authenticate
from workspace.errors import DealroomError, NotFound, NotSignedIn, PermissionDenied
from workspace.pricing.entry import PriceLimits
from workspace.rooms.access import RoomAccess, room_access
from workspace.services import Services
from workspace.sync import protocol, seats
from workspace.sync.connection import Connection, Identity, close_reason
from workspace.sync.documents import DocName
from workspace.web import in_db, services


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


async def _principal(websocket: WebSocket, svc: Services) -> Principal:
    authorization = websocket.headers.get("authorization")
    cookie = websocket.cookies.get(SESSION_COOKIE)
    principal = await in_db(websocket, lambda db: authenticate(db, svc.cookies, authorization, cookie))
    if principal is None:
        raise NotSignedIn("sign in first: no valid session cookie or bearer token")
    if principal.session_id is not None:
        # A cookie rides along on any page's websocket: only our own pages may use it.
        # Same origin (the page was served by this host) or a configured one.
        origin = websocket.headers.get("origin", "").rstrip("/")
        host = websocket.headers.get("host", "")
        same_origin = bool(host) and urlsplit(origin).netloc == host
        allowed = {_origin(svc.settings.public_url), *svc.settings.allowed_origins}
        if not same_origin and origin not in allowed:
            raise PermissionDenied(f"origin {origin or '(none)'} may not open this room with a session cookie")
    return principal


def _seat(identity: Identity) -> seats.Seat:
    return seats.Seat(identity.user_id, identity.context.role.is_internal)


async def _refuse(websocket: WebSocket, svc: Services, error: DealroomError) -> None:
    svc.metrics.refused.labels(reason=error.code).inc()
    await websocket.accept()
    if isinstance(error, PermissionDenied):
        await websocket.send_bytes(protocol.permission_denied(error.detail))
    await websocket.close(error.close_code, close_reason(error.detail))


async def room_socket(websocket: WebSocket) -> None:
    svc = services(websocket)
    room_id = websocket.path_params["room_id"]
    try:
        try:
            name = DocName(websocket.path_params["doc"])
        except ValueError:
            raise NotFound("no such document: use 'shared' or 'internal'") from None
        principal = await _principal(websocket, svc)

        def authorise(db: Session) -> tuple[RoomAccess, PriceLimits | None]:
            access = room_access(db, principal, room_id)
            return access, svc.catalog.limits(db, access.room.price_book_version)

        access, limits = await in_db(websocket, authorise)
        if name is DocName.INTERNAL and not access.role.is_internal:
            raise PermissionDenied("the internal document is for internal roles only")
    except DealroomError as error:
        await _refuse(websocket, svc, error)
        return

    try:
        # With several workers, another one may have claimed the room since this socket was routed here.
        room = await svc.rooms.acquire(room_id, name)
    except DealroomError as error:
        await _refuse(websocket, svc, error)
        return
    try:
        # Counted and attached with no await in between: two sockets cannot both take the last place.
        taken = (_seat(peer.identity) for peer in room.attached if isinstance(peer, Connection))
        refused = seats.refusal(taken, seats.Seat(principal.user_id, access.role.is_internal), svc.settings)
        if refused is not None:
            await _refuse(websocket, svc, refused)
            return
        identity = Identity(
            user_id=principal.user_id,
            name=principal.name,
            # The guard also refuses SKUs and currencies the room's price book cannot price.
            context=dataclasses.replace(
                access.write_context(), prices=limits, actor_id=principal.user_id, actor_name=principal.name
            ),
            token_id=principal.token_id,
            session_id=principal.session_id,
        )
        connection = Connection(websocket, room_id, identity, svc.settings, svc.metrics)
        room.attached.add(connection)
        svc.live.add(connection)
        svc.metrics.connections.inc()
        try:
            await websocket.accept()
            await connection.serve(room)
        finally:
            svc.live.discard(connection)
            svc.metrics.connections.dec()
    finally:
        svc.rooms.release(room_id, name)


routes = [WebSocketRoute("/ws/rooms/{room_id}/{doc}", room_socket)]
