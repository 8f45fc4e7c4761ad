"""One client's websocket in one room document: receiving, limits, and the outgoing queue.

Broadcasts never wait on a slow client: each connection has an outgoing queue drained by its own
task, and a client that lets it grow past the limit is closed (it resyncs when it comes back).
A client that goes silent (a phone that lost its network sends no close) is taken for gone after
`client_timeout_seconds`: its presence is removed at once, then its socket is closed.
"""

from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass
from typing import Any

from starlette.websockets import WebSocket, WebSocketDisconnect

from workspace.errors import DealroomError, InvalidInput, PermissionDenied, RateLimited, TooLarge
from workspace.settings import Settings
from workspace.sync import closecodes, protocol
from workspace.sync.guard import WriteContext
from workspace.sync.metrics import SyncMetrics
from workspace.sync.ratelimit import TokenBucket
from workspace.sync.room import RoomDoc

log = logging.getLogger(__name__)

_CLOSE = object()  # sentinel in the outgoing queue


@dataclass(frozen=True)
class Identity:
    """Who is on the other end, as the room and other clients may know them."""

    user_id: int
    name: str
    context: WriteContext
    token_id: int | None = None
    session_id: str | None = None

    def awareness(self) -> dict[str, Any]:
        return {"id": self.user_id, "name": self.name, "role": self.context.role.value}


class Connection:
    def __init__(
        self, websocket: WebSocket, room_id: str, identity: Identity, settings: Settings, metrics: SyncMetrics
    ) -> None:
        self.websocket = websocket
        self.room_id = room_id
        self.identity = identity
        self.settings = settings
        self.metrics = metrics
        self._outbox: asyncio.Queue[bytes | object] = asyncio.Queue()
        self._bucket = TokenBucket(settings.messages_per_second, settings.message_burst)
        self._closing: tuple[int, str] | None = None
        self._handshaken = asyncio.Event()
        self._last_sent = time.monotonic()
        self._last_received = time.monotonic()

    # --- outgoing ----------------------------------------------------------------------------

    def send(self, message: bytes) -> None:
        if self._closing is not None:
            return
        if self._outbox.qsize() >= self.settings.max_send_queue:
            self.close(closecodes.RATE_LIMITED, "too slow to receive the room's updates; reconnect to resync")
            return
        self._outbox.put_nowait(message)

    def close(self, code: int, reason: str) -> None:
        """Close after what is already queued has been sent."""
        if self._closing is None:
            self._closing = (code, reason)
            self._outbox.put_nowait(_CLOSE)

    def refuse(self, error: DealroomError) -> None:
        if isinstance(error, PermissionDenied):
            self._outbox.put_nowait(protocol.permission_denied(error.detail))
        self.metrics.refused.labels(reason=error.code).inc()
        self.close(error.close_code, error.detail)

    async def _sender(self) -> None:
        while True:
            item = await self._outbox.get()
            if item is _CLOSE:
                code, reason = self._closing or (closecodes.NORMAL, "")
                await self.websocket.close(code, close_reason(reason))
                return
            assert isinstance(item, bytes)
            await self.websocket.send_bytes(item)
            self._last_sent = time.monotonic()
            self.metrics.messages_sent.inc()

    async def _keepalive(self) -> None:
        """A quiet client still hears from us often enough not to drop the link."""
        interval = self.settings.keepalive_seconds
        while True:
            await asyncio.sleep(max(0.0, self._last_sent + interval - time.monotonic()))
            if time.monotonic() - self._last_sent >= interval and self._outbox.empty():
                self.send(protocol.KEEPALIVE)
                self._last_sent = time.monotonic()

    async def _silence(self) -> None:
        """Return once the client has sent nothing for `client_timeout_seconds`.

        Websocket pings would not do: a frozen or throttled tab's browser still answers them, and
        the app never sees them. y-websocket clients send an awareness renewal every 15 s."""
        timeout = self.settings.client_timeout_seconds
        while (quiet := time.monotonic() - self._last_received) < timeout:
            await asyncio.sleep(timeout - quiet)

    # --- incoming ----------------------------------------------------------------------------

    async def serve(self, room: RoomDoc) -> None:
        """Run until the client leaves, goes silent or is closed."""
        self.send(protocol.sync_step1(room.doc.get_state()))
        sender = asyncio.create_task(self._sender(), name="dealroom-ws-sender")
        receiver = asyncio.create_task(self._receive_loop(room), name="dealroom-ws-receiver")
        keepalive = asyncio.create_task(self._keepalive(), name="dealroom-ws-keepalive")
        silence = asyncio.create_task(self._silence(), name="dealroom-ws-silence")
        try:
            done, _ = await asyncio.wait({sender, receiver, silence}, return_when=asyncio.FIRST_COMPLETED)
            if silence in done and not sender.done():
                # Probably a dead network: nobody may see this person as present any longer, even
                # while the close below waits on a peer that will never answer.
                room.detach(self)
                self.metrics.refused.labels(reason="client_timeout").inc()
                timeout = self.settings.client_timeout_seconds
                self.close(closecodes.NORMAL, f"nothing received for {timeout:g} s; reconnect")
                await asyncio.wait({sender}, timeout=2)
            elif receiver in done and not sender.done():
                # The client is gone or we decided to close: let the sender flush, briefly.
                self.close(closecodes.NORMAL, "")
                await asyncio.wait({sender}, timeout=2)
            elif sender in done and not receiver.done():
                # Sending failed (the client is leaving): what it sent before its close still counts.
                await asyncio.wait({receiver}, timeout=2)
        finally:
            for task in (sender, receiver, keepalive, silence):
                task.cancel()
            await asyncio.gather(sender, receiver, keepalive, silence, return_exceptions=True)
            room.detach(self)

    async def _receive_loop(self, room: RoomDoc) -> None:
        timeout = self.settings.handshake_timeout_seconds
        while self._closing is None:
            try:
                if self._handshaken.is_set():
                    event = await self.websocket.receive()
                else:
                    event = await asyncio.wait_for(self.websocket.receive(), timeout=timeout)
            except TimeoutError:
                self.metrics.refused.labels(reason="handshake_timeout").inc()
                self.close(closecodes.HANDSHAKE_TIMEOUT, f"no sync handshake within {timeout:g} s")
                return
            except WebSocketDisconnect:
                return
            self._last_received = time.monotonic()
            if event["type"] == "websocket.disconnect":
                return
            data = event.get("bytes")
            if data is None:
                self.metrics.refused.labels(reason="text_frame").inc()
                self.close(closecodes.UNSUPPORTED_DATA, "text frames are not part of the protocol; send binary")
                return
            try:
                await self._handle(room, data)
            except DealroomError as error:
                self.refuse(error)
                return

    async def _handle(self, room: RoomDoc, data: bytes) -> None:
        self.metrics.messages_received.inc()
        limit = self.settings.max_message_bytes
        if len(data) > limit:
            raise TooLarge(f"message of {len(data)} bytes exceeds the limit of {limit} bytes")
        if not self._bucket.take():
            raise RateLimited(f"more than {self.settings.messages_per_second:g} messages per second")
        message = protocol.parse_message(data)
        if isinstance(message, protocol.SyncStep1):
            room.handshake(self, message.state_vector)
            self._handshaken.set()
        elif isinstance(message, protocol.SyncUpdate):
            if not self._handshaken.is_set() and not message.is_step2:
                raise InvalidInput("an update before the sync handshake; send sync step 1 first")
            started = asyncio.get_running_loop().time()
            if await room.receive_update(self, message.update, self.identity.context):
                self.metrics.updates.inc()
                self.metrics.update_seconds.observe(asyncio.get_running_loop().time() - started)
        elif isinstance(message, protocol.AwarenessUpdate):
            room.update_awareness(self, message, self.identity.awareness())
        elif isinstance(message, protocol.QueryAwareness):
            self.send(protocol.awareness(room.awareness.present()))


def close_reason(reason: str) -> str:
    """A close frame holds at most 123 bytes of reason."""
    encoded = reason.encode()
    if len(encoded) <= 123:
        return reason
    return encoded[:120].decode(errors="ignore") + "..."
