"""The y-websocket wire protocol: parsing a client's message and building the server's.

message = varUint(type) payload; 0 sync (0 step 1, 1 step 2, 2 update), 1 awareness, 2 auth,
3 query awareness. See y-protocols.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from enum import IntEnum

from pycrdt import write_var_uint

from workspace.errors import InvalidInput
from workspace.json_checks import check_json
from workspace.sync.wire import Reader, read_state_vector


class MessageType(IntEnum):
    SYNC = 0
    AWARENESS = 1
    AUTH = 2
    QUERY_AWARENESS = 3


class SyncType(IntEnum):
    STEP1 = 0
    STEP2 = 1
    UPDATE = 2


@dataclass(frozen=True, slots=True)
class SyncStep1:
    state_vector: bytes


@dataclass(frozen=True, slots=True)
class SyncUpdate:
    """A step 2 or an update: both carry a Yjs update for the server to apply."""

    update: bytes
    is_step2: bool


@dataclass(frozen=True, slots=True)
class AwarenessEntry:
    client_id: int
    clock: int
    state: object  # the decoded JSON state; None means "this client left"


@dataclass(frozen=True, slots=True)
class AwarenessUpdate:
    entries: tuple[AwarenessEntry, ...]


@dataclass(frozen=True, slots=True)
class QueryAwareness:
    pass


ClientMessage = SyncStep1 | SyncUpdate | AwarenessUpdate | QueryAwareness

# An awareness state is a cursor, a name and a colour; this bounds what one client may park in
# every other client's memory.
MAX_AWARENESS_STATE_BYTES = 4096
# A presence state is a name, a colour and a cursor: a few levels deep.
MAX_AWARENESS_DEPTH = 8


def parse_message(data: bytes) -> ClientMessage:
    """Parse one client message; raise InvalidInput with the precise reason when it is malformed."""
    reader = Reader(data)
    kind = reader.var_uint()
    if kind == MessageType.SYNC:
        sub = reader.var_uint()
        payload = reader.var_bytes()
        reader.expect_end("sync message")
        if sub == SyncType.STEP1:
            read_state_vector(payload)
            return SyncStep1(payload)
        if sub in (SyncType.STEP2, SyncType.UPDATE):
            if not payload:
                raise InvalidInput("malformed message: empty update")
            return SyncUpdate(payload, is_step2=sub == SyncType.STEP2)
        raise InvalidInput(f"unknown sync message type {sub}")
    if kind == MessageType.AWARENESS:
        payload = reader.var_bytes()
        reader.expect_end("awareness message")
        return AwarenessUpdate(_parse_awareness(payload))
    if kind == MessageType.QUERY_AWARENESS:
        reader.expect_end("query-awareness message")
        return QueryAwareness()
    if kind == MessageType.AUTH:
        raise InvalidInput("auth messages go from the server to clients, not the other way")
    raise InvalidInput(f"unknown message type {kind}")


def _parse_awareness(payload: bytes) -> tuple[AwarenessEntry, ...]:
    reader = Reader(payload)
    count = reader.var_uint()
    entries = []
    for _ in range(count):
        client_id = reader.var_uint()
        clock = reader.var_uint()
        raw = reader.var_string()
        if len(raw) > MAX_AWARENESS_STATE_BYTES:
            raise InvalidInput(f"awareness state of {len(raw)} bytes exceeds {MAX_AWARENESS_STATE_BYTES}")
        try:
            state = json.loads(raw, parse_float=_finite, parse_constant=_no_constant)
        except _NotJsonNumber as exc:
            raise InvalidInput(f"malformed awareness state: {exc}") from exc
        except (ValueError, RecursionError) as exc:
            raise InvalidInput("malformed awareness state: not JSON, or nested too deeply") from exc
        check_json(state, MAX_AWARENESS_DEPTH)
        if state is not None and not isinstance(state, dict):
            raise InvalidInput("malformed awareness state: not a JSON object")
        entries.append(AwarenessEntry(client_id, clock, state))
    reader.expect_end("awareness update")
    return tuple(entries)


class _NotJsonNumber(ValueError):
    """NaN, Infinity, or a number past a float's range. Python's json reads them (as nan and inf) and writes them
    back as NaN and Infinity, which no browser's JSON.parse reads: relayed, one such state would make every
    other client fail to read the presence message it came in (a newcomer gets everyone's presence in one)."""


def _finite(text: str) -> float:
    number = float(text)
    if not math.isfinite(number):
        raise _NotJsonNumber("a number past what JSON carries")
    return number


def _no_constant(name: str) -> float:
    raise _NotJsonNumber(f"{name} is not JSON")


def _frame(kind: int, *parts: bytes) -> bytes:
    return write_var_uint(kind) + b"".join(parts)


def _var_bytes(data: bytes) -> bytes:
    return write_var_uint(len(data)) + data


def sync_step1(state_vector: bytes) -> bytes:
    return _frame(MessageType.SYNC, write_var_uint(SyncType.STEP1), _var_bytes(state_vector))


def sync_step2(update: bytes) -> bytes:
    return _frame(MessageType.SYNC, write_var_uint(SyncType.STEP2), _var_bytes(update))


def sync_update(update: bytes) -> bytes:
    return _frame(MessageType.SYNC, write_var_uint(SyncType.UPDATE), _var_bytes(update))


def awareness(entries: list[AwarenessEntry] | tuple[AwarenessEntry, ...]) -> bytes:
    body = write_var_uint(len(entries))
    for entry in entries:
        state = json.dumps(entry.state, separators=(",", ":")).encode()
        body += write_var_uint(entry.client_id) + write_var_uint(entry.clock) + _var_bytes(state)
    return _frame(MessageType.AWARENESS, _var_bytes(body))


def permission_denied(reason: str) -> bytes:
    """The y-websocket auth message `[2, 0, reason]`."""
    return _frame(MessageType.AUTH, write_var_uint(0), _var_bytes(reason.encode()))


KEEPALIVE = awareness([])
"""An awareness update with no entries: y-websocket clients count it as a sign of life."""
