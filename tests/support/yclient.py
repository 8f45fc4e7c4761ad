"""A y-websocket client for tests, built on pycrdt and websockets (the server's protocol peer)."""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import Callable
from typing import Any

import websockets
from pycrdt import Array, Doc, Map, XmlFragment

from workspace.sync import protocol
from workspace.sync.documents import DocName, new_doc
from workspace.sync.wire import Reader


class YClient:
    def __init__(self, url: str, headers: dict[str, str] | None = None, doc: DocName = DocName.SHARED) -> None:
        self.url = url
        self.headers = headers or {}
        self.doc: Doc = new_doc(doc)
        self.ws: Any = None
        self.synced = asyncio.Event()
        self.closed = asyncio.Event()
        self.close_code: int | None = None
        self.close_reason: str = ""
        self.denied: list[str] = []
        self.received: list[bytes] = []  # every raw message, for "received nothing" checks
        self.awareness: dict[int, Any] = {}
        self._changed = asyncio.Event()
        self._reader: asyncio.Task[None] | None = None
        self._tasks: set[asyncio.Task[None]] = set()

    async def __aenter__(self) -> YClient:
        await self.connect()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    async def connect(self, handshake: bool = True, timeout: float = 10) -> None:
        self.ws = await websockets.connect(self.url, additional_headers=self.headers, max_size=None)
        self._reader = asyncio.create_task(self._read())
        if handshake:
            await self.send_raw(protocol.sync_step1(self.doc.get_state()))
            await wait_until(lambda: self.synced.is_set() or self.closed.is_set(), timeout, "sync step 2")

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()
        if self._reader is not None:
            await asyncio.gather(self._reader, return_exceptions=True)

    async def send_raw(self, data: bytes | str) -> None:
        await self.ws.send(data)

    async def edit(self, change: Callable[[Doc], None]) -> bytes:
        """Make a local change and send it as an update; return the update."""
        before = self.doc.get_state()
        change(self.doc)
        update = self.doc.get_update(before)
        await self.send_raw(protocol.sync_update(update))
        return update

    async def set_awareness(self, state: dict[str, Any] | None, clock: int = 1) -> None:
        entry = protocol.AwarenessEntry(self.doc.client_id, clock, state)
        await self.send_raw(protocol.awareness([entry]))

    async def wait_closed(self, timeout: float = 10) -> None:
        await asyncio.wait_for(self.closed.wait(), timeout)

    async def wait_for(self, predicate: Callable[[], bool], timeout: float = 10, what: str = "condition") -> None:
        await wait_until(predicate, timeout, what, self._changed)

    async def _read(self) -> None:
        try:
            async for message in self.ws:
                if isinstance(message, str):
                    continue
                self.received.append(message)
                self._handle(message)
                self._changed.set()
        except websockets.ConnectionClosed:
            pass
        finally:
            if self.ws.close_code is not None:
                self.close_code = self.ws.close_code
                self.close_reason = self.ws.close_reason or ""
            self.closed.set()
            self._changed.set()

    def _handle(self, message: bytes) -> None:
        reader = Reader(message)
        kind = reader.var_uint()
        if kind == protocol.MessageType.SYNC:
            sub = reader.var_uint()
            payload = reader.var_bytes()
            if sub == protocol.SyncType.STEP1:
                task = asyncio.create_task(self.send_raw(protocol.sync_step2(self.doc.get_update(payload))))
                self._tasks.add(task)
                task.add_done_callback(self._tasks.discard)
            else:
                self.doc.apply_update(payload)
                if sub == protocol.SyncType.STEP2:
                    self.synced.set()
        elif kind == protocol.MessageType.AWARENESS:
            inner = Lib0Reader(reader.var_bytes())  # presence is read as a browser reads it
            for _ in range(inner.var_uint()):
                client_id, _clock, state = inner.var_uint(), inner.var_uint(), json.loads(inner.var_bytes())
                if state is None:
                    self.awareness.pop(client_id, None)
                else:
                    self.awareness[client_id] = state
        elif kind == protocol.MessageType.AUTH:
            reader.var_uint()
            self.denied.append(reader.var_string())


MAX_SAFE_INTEGER = 2**53 - 1


class Lib0Reader:
    """Numbers and byte strings read as lib0 (y-protocols' decoder in a browser) reads them: a number may run to
    any length as long as it stays within 2**53 - 1 before its last byte (the server's own reader is stricter)."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.pos = 0

    def var_uint(self) -> int:
        number, multiplier = 0, 1
        while self.pos < len(self.data):
            byte = self.data[self.pos]
            self.pos += 1
            number += (byte & 0x7F) * multiplier
            multiplier *= 128
            if byte < 0x80:
                return number
            if number > MAX_SAFE_INTEGER:
                raise ValueError("lib0: integer out of range")
        raise ValueError("lib0: unexpected end of array")

    def var_bytes(self) -> bytes:
        length = self.var_uint()
        if self.pos + length > len(self.data):
            raise ValueError("lib0: unexpected end of array")
        self.pos += length
        return self.data[self.pos - length : self.pos]


async def wait_until(
    predicate: Callable[[], bool], timeout: float, what: str, changed: asyncio.Event | None = None
) -> None:
    """Wait for `predicate` with a deadline: on an event when given, else polling briefly."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not predicate():
        remaining = deadline - loop.time()
        if remaining <= 0:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        if changed is not None:
            changed.clear()
            if predicate():
                return
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(changed.wait(), min(remaining, 0.5))
        else:
            await asyncio.sleep(min(remaining, 0.01))


def replica(doc_or_update: Doc | bytes) -> tuple[dict[int, int], str, object, object, object, object]:
    """What must be the same on converged replicas: who contributed how much (the state vector as a mapping;
    its encoding's byte order follows a hash map's, so two equal docs may encode differently) and the content
    of every section."""
    doc = doc_or_update if isinstance(doc_or_update, Doc) else _doc_of(doc_or_update)
    reader = Reader(doc.get_state())
    state = {reader.var_uint(): reader.var_uint() for _ in range(reader.var_uint())}
    return (state, str(doc.get("terms", type=XmlFragment)), doc.get("deal", type=Map).to_py(),
            doc.get("lines", type=Array).to_py(), doc.get("computed", type=Map).to_py(),
            doc.get("comments", type=Map).to_py())  # fmt: skip


def _doc_of(update: bytes) -> Doc:
    doc = Doc()
    doc.apply_update(update)
    return doc


async def edit_until_closed(client: YClient, name: str, pause: float = 0.002) -> None:
    """Leave marks `name-0`, `name-1`, ... at a fast typist's pace until the socket closes (tests of crashes)."""
    from tests.support.marks import add_mark

    i = 0
    while not client.closed.is_set():
        try:
            await client.edit(lambda doc, i=i: add_mark(doc, f"{name}-{i}"))
        except Exception:  # the socket died under us: that is the point of the tests that call this
            return
        i += 1
        await asyncio.sleep(pause)
