"""The relay's wire format: every ASGI message and scope a gateway passes reaches the owner as it was sent."""

from __future__ import annotations

import asyncio
import json

from starlette.types import Message

from workspace.cluster import relay


def _roundtrip(message: dict[str, object], raw_type: str) -> dict[str, object]:
    sid = b"s" * 16
    encoded = relay._encode(sid, message, raw_type)
    assert encoded[1:17] == sid
    if encoded[:1] == b"B":
        return {"type": raw_type, "bytes": encoded[17:]}
    return dict(relay._decode_event(encoded[17:]))


def test_a_websocket_frame_travels_as_its_raw_bytes() -> None:
    frame = bytes(range(256)) * 3
    encoded = relay._encode(b"s" * 16, {"type": "websocket.receive", "bytes": frame}, "websocket.receive")
    assert encoded == b"B" + b"s" * 16 + frame
    assert _roundtrip({"type": "websocket.send", "bytes": frame}, "websocket.send")["bytes"] == frame


def test_other_messages_keep_their_fields_headers_and_body() -> None:
    start = {"type": "http.response.start", "status": 201,
             "headers": [(b"content-type", b"application/json"), (b"set-cookie", b"a=\xe9")]}  # fmt: skip
    assert _roundtrip(start, "websocket.send") == start
    body = {"type": "http.response.body", "body": b'{"ok": true}\x00\xff', "more_body": False}
    assert _roundtrip(body, "websocket.send") == body
    close = {"type": "websocket.close", "code": 4403, "reason": "a customer may not write 'computed'"}
    assert _roundtrip(close, "websocket.send") == close
    text = {"type": "websocket.receive", "text": "not binary"}
    assert _roundtrip(text, "websocket.receive") == text


def test_a_scope_arrives_whole_and_marked_as_relayed_by_its_gateway() -> None:
    scope = {
        "type": "websocket", "asgi": {"version": "3.0"}, "http_version": "1.1", "scheme": "ws",
        "path": "/ws/rooms/r1/shared", "raw_path": b"/ws/rooms/r1/shared", "query_string": b"a=1",
        "root_path": "", "headers": [(b"origin", b"http://x.test"), (b"cookie", b"dealroom_session=abc")],
        "client": ("10.0.0.7", 51234), "server": ("10.0.0.1", 8000), "subprotocols": [],
        "app": object(), "state": {"not": "sent"},
    }  # fmt: skip
    restored = relay._restore_scope(relay._portable(scope))
    for key in ("type", "path", "raw_path", "query_string", "headers", "client", "server", "scheme", "subprotocols"):
        assert restored[key] == scope[key], key
    assert "app" not in restored and restored["state"] == {}


class _Link:
    worker_id = "w-test"
    up = True

    def __init__(self) -> None:
        self.published: list[bytes] = []

    def publish(self, channel: bytes, data: bytes) -> None:
        self.published.append(data)


LIMITS = relay.GatewayLimits(message_bytes=1000, messages_per_second=5, burst=3, body_bytes=2000)


async def _forward_to_a_silent_owner(scope_type: str, messages: list[Message]) -> tuple[_Link, list[Message]]:
    """Run a gateway stream whose client sends `messages` (then waits) to an owner that never answers."""
    link = _Link()
    hub = relay.Relay(link, LIMITS)  # type: ignore[arg-type]
    pending = list(messages)
    sent: list[Message] = []

    async def receive() -> Message:
        if pending:
            return pending.pop(0)
        await asyncio.sleep(3600)
        raise AssertionError("unreachable")

    async def send(message: Message) -> None:
        sent.append(message)

    scope = {"type": scope_type, "path": "/ws/rooms/r1/shared", "headers": [], "query_string": b""}
    await asyncio.wait_for(hub.forward("w-owner", scope, receive, send), timeout=5)
    return link, sent


async def test_a_gateway_refuses_an_oversized_frame_before_it_reaches_redis() -> None:
    frames: list[Message] = [{"type": "websocket.connect"}, {"type": "websocket.receive", "bytes": b"\0" * 1001}]
    link, sent = await _forward_to_a_silent_owner("websocket", frames)
    reason = "message of 1001 bytes exceeds the limit of 1000 bytes"
    assert sent == [{"type": "websocket.accept"}, {"type": "websocket.close", "code": 4413, "reason": reason}]
    assert [data[:1] for data in link.published] == [b"O", b"E", b"X"]  # opened, connect, ended: no frame
    assert all(len(data) < 1000 for data in link.published)


async def test_a_gateway_refuses_a_client_past_the_message_rate() -> None:
    frames: list[Message] = [{"type": "websocket.receive", "bytes": b"\0\0"} for _ in range(10)]
    link, sent = await _forward_to_a_silent_owner("websocket", frames)
    reason = "more than 5 messages per second"
    assert sent == [{"type": "websocket.accept"}, {"type": "websocket.close", "code": 4429, "reason": reason}]
    assert [data[:1] for data in link.published] == [b"O", b"B", b"B", b"B", b"X"]  # the burst, then the end


async def test_a_gateway_refuses_an_oversized_request_body_with_413() -> None:
    chunks: list[Message] = [{"type": "http.request", "body": b"{" * 1500, "more_body": True},
                             {"type": "http.request", "body": b"{" * 1500, "more_body": False}]  # fmt: skip
    link, sent = await _forward_to_a_silent_owner("http", chunks)
    assert sent[0]["type"] == "http.response.start" and sent[0]["status"] == 413
    detail = "request body exceeds the limit of 2000 bytes"
    assert json.loads(sent[1]["body"]) == {"error": "too_large", "detail": detail}
    assert [data[:1] for data in link.published] == [b"O", b"E", b"X"]  # the first chunk only


def test_a_stream_whose_reader_falls_far_behind_is_ended_not_buffered_without_bound() -> None:
    hub = relay.Relay(_Link(), LIMITS)  # type: ignore[arg-type]
    sid = b"x" * 16
    hub._streams[sid] = stream = relay._Stream("w-owner", "websocket")
    hub._gateway_side.add(sid)
    for _ in range(relay.MAX_QUEUED):
        hub.handle(b"B" + sid + b"frame")
    assert stream.queue.qsize() == relay.MAX_QUEUED
    hub.handle(b"B" + sid + b"one too many")
    assert stream.queue.qsize() == 1 and stream.queue.get_nowait() is relay._ENDED


def test_one_broadcast_to_several_relayed_clients_of_a_worker_travels_once_and_reaches_each() -> None:
    s1, s2, s3 = b"1" * 16, b"2" * 16, b"3" * 16
    update, other = b"\x00\x02update", b"\x00\x02other"
    batch = [
        (b"gw-a", b"B" + s1 + update),
        (b"gw-a", b"B" + s2 + update),
        (b"gw-b", b"B" + s3 + update),  # another worker: its own message
        (b"gw-a", b"B" + s1 + other),  # the next frame of s1 stays after the first
        (b"gw-a", b"X" + s2),
    ]
    merged = relay.coalesce(batch)
    assert [channel for channel, _ in merged] == [b"gw-a", b"gw-b", b"gw-a", b"gw-a"]
    assert merged[0][1] == b"M\x02" + s1 + s2 + update
    assert merged[1:] == batch[2:]

    hub = relay.Relay(_Link(), LIMITS)  # type: ignore[arg-type]
    for sid in (s1, s2):
        hub._streams[sid] = relay._Stream("w-owner", "websocket")
        hub._gateway_side.add(sid)
    hub.handle(merged[0][1])
    for sid in (s1, s2):
        assert hub._streams[sid].queue.get_nowait() == {"type": "websocket.send", "bytes": update}
