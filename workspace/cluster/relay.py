"""Relaying a room's websockets and HTTP calls to the worker that owns the room, over Redis.

A client may reach any worker (a load balancer spreads them; nothing needs to be sticky). When the
room it names lives in another worker, this worker becomes a gateway: it sends the request's ASGI
scope to the owner, then passes ASGI messages both ways, each as one pub/sub message on the other
worker's relay channel. The owner runs the request through the very same app, as if the client were
its own: authentication, the guard, the room's limits, awareness and the room's derivations all
happen in one process per room. Websocket frames travel as raw bytes (kind B), other messages as a
small JSON header plus their body.

A stream ends when either side ends it, and also when the other worker stops beating (it was
killed) or the Redis line breaks: the client's socket is then closed with 1012 (reconnect: its next
connection lands on the room's new owner and resyncs). Nothing acknowledged is lost that way: an
edit is stored before it is broadcast, and the client's own unacknowledged edits are in its document,
sent again by the sync handshake.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import secrets
import struct
from typing import Any

from redis.exceptions import RedisError
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from workspace.cluster.link import Link, relay_channel
from workspace.errors import ClusterUnavailable
from workspace.sync import closecodes
from workspace.sync.connection import close_reason
from workspace.sync.ratelimit import TokenBucket

log = logging.getLogger(__name__)

RELAYED = "dealroom.relayed"
"""Scope key of a request a gateway relayed here: its value is the gateway's worker id."""

WATCH_EVERY = 1.0
MAX_QUEUED = 4096  # messages waiting for a slow client at the gateway before it is closed

_OPEN, _EVENT, _BYTES, _END, _MANY = b"O", b"E", b"B", b"X", b"M"
_MAX_MERGED = 255
_ENDED = object()  # put in a stream's queue when the other side is gone


class _Answer:
    """What the gateway itself tells its client: a websocket close code, or an HTTP status with an error body.
    Put in a gateway stream's queue when the gateway refuses what its client sent."""

    __slots__ = ("code", "error", "headers", "reason")

    def __init__(self, code: int, error: str, reason: str, headers: tuple[tuple[bytes, bytes], ...] = ()) -> None:
        self.code = code  # a websocket close code, or an HTTP status
        self.error = error  # the HTTP body's error code
        self.reason = reason
        self.headers = headers


_MOVED_REASON = "the room moved to another server; reconnect"
_MOVED_HTTP = _Answer(503, "room_moved", _MOVED_REASON, ((b"retry-after", b"1"),))


_HEADERED = ("headers",)
_SCOPE_KEYS = ("type", "asgi", "http_version", "scheme", "path", "raw_path", "query_string", "root_path",
               "headers", "client", "server", "method", "subprotocols")  # fmt: skip


class _Stream:
    __slots__ = ("kind", "peer", "queue")

    def __init__(self, peer: str, kind: str) -> None:
        self.peer = peer  # the worker at the other end
        self.kind = kind  # "http" or "websocket"
        self.queue: asyncio.Queue[Any] = asyncio.Queue()


class GatewayLimits:
    """What a gateway lets through to Redis: the same limits the owner applies, checked before a byte is
    relayed, so that a hostile client cannot push oversized or endless frames through the shared line."""

    def __init__(self, message_bytes: int, messages_per_second: float, burst: int, body_bytes: int) -> None:
        self.message_bytes = message_bytes
        self.messages_per_second = messages_per_second
        self.burst = burst
        self.body_bytes = body_bytes


class Relay:
    def __init__(self, link: Link, limits: GatewayLimits) -> None:
        self.link = link
        self.limits = limits
        self.worker_id = link.worker_id
        self.app: ASGIApp | None = None  # set once the app exists: the owner runs relayed requests through it
        self._streams: dict[bytes, _Stream] = {}
        self._gateway_side: set[bytes] = set()  # streams whose client is here (the others are served here)
        self._served: set[asyncio.Task[None]] = set()
        self._watcher: asyncio.Task[None] | None = None
        self.closing = False  # this worker is stopping: it serves no new relayed request
        link.coalesce = coalesce

    async def start(self) -> None:
        self._watcher = asyncio.create_task(self._watch(), name="dealroom-relay-watcher")

    async def stop(self) -> None:
        self.down()
        if self._watcher is not None:
            self._watcher.cancel()
        await asyncio.gather(*self._served, *([self._watcher] if self._watcher else []), return_exceptions=True)

    @property
    def streams(self) -> int:
        return len(self._streams)

    # --- arriving messages (from the link) ---------------------------------------------------

    def handle(self, data: bytes) -> None:
        if data[:1] == _MANY:  # one frame for several streams: `count`, their ids, the frame
            count = data[1]
            frame = data[2 + 16 * count :]
            for at in range(2, 2 + 16 * count, 16):
                self.handle(_BYTES + data[at : at + 16] + frame)
            return
        kind, sid, body = data[:1], data[1:17], data[17:]
        if kind == _OPEN:
            self._open(sid, json.loads(body))
            return
        stream = self._streams.get(sid)
        if stream is None:
            return  # a stream that ended meanwhile
        if kind == _BYTES:
            # A frame from the owner goes to the client here; one from a gateway is the client's.
            direction = "websocket.send" if sid in self._gateway_side else "websocket.receive"
            stream.queue.put_nowait({"type": direction, "bytes": body})
        elif kind == _EVENT:
            stream.queue.put_nowait(_decode_event(body))
        elif kind == _END:
            stream.queue.put_nowait(_ENDED)
        if stream.queue.qsize() > MAX_QUEUED:
            # The reader (a slow client at the gateway, a room busy at the owner) fell far behind: drop
            # what waits and end the stream, as a connection whose outbox overflows is closed.
            while not stream.queue.empty():
                stream.queue.get_nowait()
            stream.queue.put_nowait(_ENDED)

    def down(self) -> None:
        """The Redis line broke: every stream ends (what was in transit is gone)."""
        for sid in list(self._streams):
            self._end(sid)

    def _end(self, sid: bytes) -> None:
        stream = self._streams.get(sid)
        if stream is not None:
            stream.queue.put_nowait(_ENDED)

    async def _watch(self) -> None:
        while True:
            await asyncio.sleep(WATCH_EVERY)
            peers = {stream.peer for stream in self._streams.values()}
            if not peers or not self.link.up:
                continue
            try:
                alive = await self.link.alive(peers)
            except (RedisError, OSError):  # the link reports Redis trouble and ends the streams
                log.warning("could not check the relay's peers", exc_info=True)
                continue
            for sid, stream in list(self._streams.items()):
                if stream.peer not in alive:
                    self._end(sid)

    # --- the gateway: a client here, its room elsewhere ----------------------------------------

    async def forward(self, owner: str, scope: Scope, receive: Receive, send: Send) -> None:
        sid = secrets.token_bytes(16)
        stream = _Stream(owner, scope["type"])
        self._streams[sid] = stream
        self._gateway_side.add(sid)
        channel = relay_channel(owner)
        upstream: asyncio.Task[None] | None = None
        try:
            header = json.dumps({"from": self.worker_id, "scope": _portable(scope)}).encode()
            self.link.publish(channel, _OPEN + sid + header)
            upstream = asyncio.create_task(self._upstream(sid, stream, channel, receive))
            ended = await _downstream(stream, send)
            if not ended:
                self.link.publish(channel, _END + sid)
        except ClusterUnavailable:
            await _end_client(stream, send, started=False)
        finally:
            if upstream is not None:
                upstream.cancel()
                await asyncio.gather(upstream, return_exceptions=True)
            self._streams.pop(sid, None)
            self._gateway_side.discard(sid)

    async def _upstream(self, sid: bytes, stream: _Stream, channel: bytes, receive: Receive) -> None:
        limits = self.limits
        bucket = TokenBucket(limits.messages_per_second, limits.burst)
        body_bytes = 0
        while True:
            message = await receive()
            kind = message["type"]
            if kind == "websocket.receive":
                size = len(message.get("bytes") or message.get("text") or b"")
                if size > limits.message_bytes:
                    refusal = (
                        closecodes.MESSAGE_TOO_LARGE,
                        f"message of {size} bytes exceeds the limit of {limits.message_bytes} bytes",
                    )
                    self._refuse_at_gateway(stream, refusal)
                    return
                if not bucket.take():
                    refusal = (closecodes.RATE_LIMITED, f"more than {limits.messages_per_second:g} messages per second")
                    self._refuse_at_gateway(stream, refusal)
                    return
            elif kind == "http.request":
                body_bytes += len(message.get("body", b""))
                if body_bytes > limits.body_bytes:
                    refusal = (413, f"request body exceeds the limit of {limits.body_bytes} bytes")
                    self._refuse_at_gateway(stream, refusal)
                    return
            self.link.publish(channel, _encode(sid, message, "websocket.receive"))
            if kind in ("websocket.disconnect", "http.disconnect"):
                return

    @staticmethod
    def _refuse_at_gateway(stream: _Stream, refusal: tuple[int, str]) -> None:
        """Answer the client here with the owner's own refusal (`forward` then ends the stream at the owner)."""
        # An unread body is left behind: the connection closes after the answer.
        stream.queue.put_nowait(_Answer(refusal[0], "too_large", refusal[1], ((b"connection", b"close"),)))

    # --- the owner: a relayed request runs here ----------------------------------------------

    def _open(self, sid: bytes, header: dict[str, Any]) -> None:
        gateway = str(header["from"])
        if self.closing:  # the gateway tells its client to come back: the room is claimed anew by then
            with contextlib.suppress(ClusterUnavailable):
                self.link.publish(relay_channel(gateway), _END + sid)
            return
        scope = _restore_scope(header["scope"])
        scope[RELAYED] = gateway
        stream = _Stream(gateway, scope["type"])
        self._streams[sid] = stream
        task = asyncio.create_task(self._serve(sid, stream, scope), name="dealroom-relayed")
        self._served.add(task)
        task.add_done_callback(self._served.discard)

    async def _serve(self, sid: bytes, stream: _Stream, scope: Scope) -> None:
        channel = relay_channel(stream.peer)
        finished = False
        disconnect: Message = (
            {"type": "websocket.disconnect", "code": closecodes.MOVED}
            if stream.kind == "websocket"
            else {"type": "http.disconnect"}
        )

        async def receive() -> Message:
            item = await stream.queue.get()
            if item is _ENDED:
                stream.queue.put_nowait(_ENDED)  # every later receive sees the end too
                return disconnect
            message: Message = item
            return message

        async def send(message: Message) -> None:
            nonlocal finished
            try:
                self.link.publish(channel, _encode(sid, message, "websocket.send"))
            except ClusterUnavailable as exc:
                raise OSError("the relay to the client's worker is down") from exc
            if _is_last(message):
                finished = True

        try:
            assert self.app is not None, "the relay serves requests once the app is set"
            await self.app(scope, receive, send)
        except Exception:
            log.exception("a relayed %s request for %s failed", stream.kind, scope.get("path"))
        finally:
            self._streams.pop(sid, None)
            if not finished:
                with contextlib.suppress(ClusterUnavailable):  # else the gateway ends the stream itself
                    self.link.publish(channel, _END + sid)


# --- encoding -------------------------------------------------------------------------------


def coalesce(batch: list[tuple[bytes, bytes]]) -> list[tuple[bytes, bytes]]:
    """Merge runs of one websocket frame to several streams of one worker (a broadcast to the clients that
    worker relays) into one message. Only neighbours merge, so no stream's frames change order."""
    out: list[tuple[bytes, bytes]] = []
    run: list[bytes] = []  # the stream ids of the current run
    run_channel, run_frame = b"", b""
    for channel, data in batch:
        if data[:1] == _BYTES and run and channel == run_channel and data[17:] == run_frame and len(run) < _MAX_MERGED:
            run.append(data[1:17])
            continue
        if run:
            out.append(_merged(run_channel, run, run_frame))
            run = []
        if data[:1] == _BYTES:
            run, run_channel, run_frame = [data[1:17]], channel, data[17:]
        else:
            out.append((channel, data))
    if run:
        out.append(_merged(run_channel, run, run_frame))
    return out


def _merged(channel: bytes, sids: list[bytes], frame: bytes) -> tuple[bytes, bytes]:
    if len(sids) == 1:
        return channel, _BYTES + sids[0] + frame
    return channel, _MANY + bytes([len(sids)]) + b"".join(sids) + frame


def _encode(sid: bytes, message: Message, raw_type: str) -> bytes:
    if message["type"] == raw_type and message.get("bytes") is not None:
        return _BYTES + sid + message["bytes"]
    head = dict(message)
    raw = b""
    for key in ("bytes", "body"):
        value = head.get(key)
        if isinstance(value, bytes | bytearray | memoryview):
            raw = bytes(value)
            head[key] = None
            head["_raw"] = key
    for key in _HEADERED:
        if key in head:
            head[key] = [[name.decode("latin-1"), value.decode("latin-1")] for name, value in head[key]]
    encoded = json.dumps(head).encode()
    return _EVENT + sid + struct.pack(">I", len(encoded)) + encoded + raw


def _decode_event(body: bytes) -> Message:
    (length,) = struct.unpack(">I", body[:4])
    message: dict[str, Any] = json.loads(body[4 : 4 + length])
    raw_key = message.pop("_raw", None)
    if raw_key is not None:
        message[raw_key] = body[4 + length :]
    for key in _HEADERED:
        if key in message:
            message[key] = [(name.encode("latin-1"), value.encode("latin-1")) for name, value in message[key]]
    return message


def _portable(scope: Scope) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key in _SCOPE_KEYS:
        if key not in scope:
            continue
        value = scope[key]
        if key == "headers":
            value = [[name.decode("latin-1"), v.decode("latin-1")] for name, v in value]
        elif isinstance(value, bytes):
            value = {"b": value.decode("latin-1")}
        elif isinstance(value, tuple):
            value = list(value)
        out[key] = value
    return out


def _restore_scope(data: dict[str, Any]) -> dict[str, Any]:
    scope: dict[str, Any] = {}
    for key, value in data.items():
        if key == "headers":
            value = [(name.encode("latin-1"), v.encode("latin-1")) for name, v in value]
        elif isinstance(value, dict) and set(value) == {"b"}:
            value = value["b"].encode("latin-1")
        elif key in ("client", "server") and isinstance(value, list):
            value = tuple(value)
        scope[key] = value
    scope.setdefault("extensions", {})
    scope.setdefault("state", {})
    return scope


def _is_last(message: Message) -> bool:
    kind = message["type"]
    return kind == "websocket.close" or (kind == "http.response.body" and not message.get("more_body", False))


async def _downstream(stream: _Stream, send: Send) -> bool:
    """Pass the owner's messages to the client until the last one; False when the owner went away first
    (or the gateway refused the client, which then has its answer)."""
    started = False
    while True:
        item = await stream.queue.get()
        if item is _ENDED:
            await _end_client(stream, send, started)
            return False
        if isinstance(item, _Answer):
            await _answer_client(stream, send, started, item)
            return False
        message: Message = item
        try:
            await send(message)
        except OSError:
            return False  # the client is gone
        started = started or message["type"] in ("websocket.accept", "http.response.start")
        if _is_last(message):
            return True


async def _answer_client(stream: _Stream, send: Send, started: bool, answer: _Answer) -> None:
    """Answer the client here, with the owner's own wording: a close with `answer.code` on a socket, or (when
    no response has started) an HTTP error; nothing once an HTTP response is under way."""
    try:
        if stream.kind == "websocket":
            await _close_socket(send, started, answer.code, answer.reason)
        elif not started:
            body = json.dumps({"error": answer.error, "detail": answer.reason}).encode()
            headers = [(b"content-type", b"application/json"), *answer.headers]
            await send({"type": "http.response.start", "status": answer.code, "headers": headers})
            await send({"type": "http.response.body", "body": body})
    except OSError:
        pass  # the client left as well


async def _end_client(stream: _Stream, send: Send, started: bool) -> None:
    """The owner stopped answering: tell the client to come back (it then reaches the room's new owner)."""
    moved = _Answer(closecodes.MOVED, "room_moved", _MOVED_REASON) if stream.kind == "websocket" else _MOVED_HTTP
    await _answer_client(stream, send, started, moved)


async def _close_socket(send: Send, accepted: bool, code: int, reason: str) -> None:
    """Close the client's socket with `code`: accepted first if it was not yet, since a close before the accept
    is an HTTP 403 to the client, which would read as "not allowed" rather than as the reason."""
    if not accepted:
        await send({"type": "websocket.accept"})
    await send({"type": "websocket.close", "code": code, "reason": close_reason(reason)})
