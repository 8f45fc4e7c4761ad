"""Sending each room's traffic to the worker that holds the room.

A request or websocket under `/api/rooms/{id}` or `/ws/rooms/{id}` is served here when no worker
holds the room (serving it may claim it) or this one does; otherwise it is relayed to the holder
(workspace/cluster/relay.py). Everything else (sign-in, the inbox, the library, pages) is served by
whichever worker the client reached: it reads and writes the database only.
"""

from __future__ import annotations

import re

from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Receive, Scope, Send
from starlette.websockets import WebSocket

from workspace.cluster.relay import RELAYED
from workspace.errors import DealroomError

ROOM_PATH = re.compile(r"^/(?:api|ws)/rooms/([^/]+)")


class RoomRouting:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket") or RELAYED in scope:
            await self.app(scope, receive, send)
            return
        match = ROOM_PATH.match(scope["path"])
        cluster = scope["app"].state.services.cluster if match is not None else None
        if match is None or cluster is None:
            await self.app(scope, receive, send)
            return
        try:
            owner = await cluster.leases.owner(match[1])
        except DealroomError as error:
            await refuse(scope, receive, send, error)
            return
        if owner is None or owner == cluster.worker_id:
            await self.app(scope, receive, send)
            return
        await cluster.relay.forward(owner, scope, receive, send)


async def refuse(scope: Scope, receive: Receive, send: Send, error: DealroomError) -> None:
    if scope["type"] == "websocket":
        websocket = WebSocket(scope, receive, send)
        await websocket.accept()
        await websocket.close(error.close_code, error.detail[:120])
        return
    response = JSONResponse(error.body(), status_code=error.status, headers={"Retry-After": "1"})
    await response(scope, receive, send)
