"""Hostile y-websocket messages, as plain data built against the room they are sent to: random bytes, frames
with wrong types, lengths and numbers, garbled Yjs updates, presence with forged ids or outsized JSON, and
payloads around the size limit."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from hypothesis import strategies as st
from pycrdt import Doc, Map, XmlElement, XmlFragment, XmlText, write_var_uint

from tests.support.hostile_updates import Hostile, hostile_change
from workspace.sync import protocol

MAX_SAFE_INTEGER = 2**53 - 1
# Numbers a client may write where the protocol expects a count, a length, a client id or a clock.
EDGES = [2**31, 2**32 - 1, 2**32, MAX_SAFE_INTEGER, MAX_SAFE_INTEGER + 1, 2**56 - 1, 2**56, 2**63, 2**70]
NUMBERS = st.one_of(st.integers(0, 300), st.sampled_from(EDGES))


def var_uint(number: int) -> bytes:
    return bytes(write_var_uint(number))


def var_bytes(data: bytes) -> bytes:
    return var_uint(len(data)) + data


@dataclass
class Honest:
    """An edit a browser makes, as the base of a garbled update."""

    what: str  # comment, paragraph, title, uncomment

    def build(self, base: bytes) -> bytes:
        doc: Doc = Doc()
        for root, kind in (("comments", Map), ("terms", XmlFragment), ("deal", Map)):
            doc.get(root, type=kind)
        doc.apply_update(base)
        state = doc.get_state()
        if self.what == "comment":
            doc.get("comments", type=Map)["c9"] = {"text": "What about March?", "by": "buyer"}
        elif self.what == "paragraph":
            doc.get("terms", type=XmlFragment).children.append(XmlElement("paragraph", {}, [XmlText("Net 45.")]))
        elif self.what == "title":
            doc.get("deal", type=Map)["title"] = "Renewal 2027"
        else:
            comments = doc.get("comments", type=Map)
            if "t1" in comments:
                del comments["t1"]
        return doc.get_update(state)


@dataclass
class Mangle:
    """Damage to bytes: flip bits of one, cut them off, insert some, or drop some (positions wrap around)."""

    how: str  # flip, cut, insert, drop
    at: int
    data: bytes = b"\x80"

    def apply(self, raw: bytes) -> bytes:
        if not raw:
            return self.data if self.how == "insert" else raw
        at = self.at % (len(raw) + (1 if self.how in ("cut", "insert") else 0))
        if self.how == "flip":
            return raw[:at] + bytes([raw[at] ^ (self.data[0] or 1)]) + raw[at + 1 :]
        if self.how == "cut":
            return raw[:at]
        if self.how == "insert":
            return raw[:at] + self.data + raw[at:]
        return raw[:at] + raw[at + len(self.data) :]


HONEST = ["comment", "paragraph", "title", "uncomment"]
MANGLES = st.builds(Mangle, st.sampled_from(["flip", "cut", "insert", "drop"]), st.integers(0, 10_000),
                    st.binary(min_size=1, max_size=6))  # fmt: skip


@dataclass
class Frame:
    """One message: a type (and sync type), a payload (an update, a state vector or bytes), damage to the payload
    inside a correct frame, a length that lies, bytes after the end, then damage to the whole."""

    kind: int
    sub: int | None
    payload: Hostile | Honest | bytes | dict[int, int]
    garble: list[Mangle] = field(default_factory=list)
    length_off: int = 0
    trailing: bytes = b""
    damage: list[Mangle] = field(default_factory=list)

    def build(self, base: bytes) -> bytes:
        if isinstance(self.payload, Hostile | Honest):
            payload = self.payload.build(base)
        elif isinstance(self.payload, dict):
            payload = var_uint(len(self.payload)) + b"".join(var_uint(k) + var_uint(v) for k, v in self.payload.items())
        else:
            payload = self.payload
        for mangle in self.garble:
            payload = mangle.apply(payload)
        head = var_uint(self.kind) + (b"" if self.sub is None else var_uint(self.sub))
        body = var_uint(max(0, len(payload) + self.length_off)) + payload
        frame = head + (b"" if self.kind == protocol.MessageType.QUERY_AWARENESS else body) + self.trailing
        for mangle in self.damage:
            frame = mangle.apply(frame)
        return frame


@st.composite
def clean_frame(draw: st.DrawFn) -> Frame:
    """A well-formed sync message (a step 1, or a step 2 or update with an honest or a hostile change): some get
    past the frame, and what follows is read on a connection that has done something."""
    sub = draw(st.sampled_from([protocol.SyncType.STEP1, protocol.SyncType.STEP2, protocol.SyncType.UPDATE]))
    if sub == protocol.SyncType.STEP1:
        return Frame(protocol.MessageType.SYNC, sub, draw(st.dictionaries(st.integers(0, 2**32), NUMBERS, max_size=3)))
    change = draw(st.one_of(st.builds(Honest, st.sampled_from(HONEST)), hostile_change()))
    return Frame(protocol.MessageType.SYNC, sub, change)


@st.composite
def frame(draw: st.DrawFn) -> Frame | bytes:
    """Random bytes, or a message of any type with a payload of its kind or not, damaged in one or more ways."""
    if draw(st.integers(0, 5)) == 0:
        return draw(st.binary(max_size=48))
    kind = draw(st.sampled_from([0] * 6 + [1, 1, 2, 3, 4, 127, 128]) | NUMBERS)
    sub = draw(st.sampled_from([0, 1, 1, 2, 2, 2, 3]) | NUMBERS) if kind == protocol.MessageType.SYNC else None
    payload = draw(st.one_of(
        st.builds(Honest, st.sampled_from(HONEST)),
        hostile_change(),
        st.dictionaries(NUMBERS, NUMBERS, max_size=3),
        st.binary(max_size=32),
    ))  # fmt: skip
    rare = st.integers(0, 3).map(lambda n: n == 0)
    return Frame(
        kind,
        sub,
        payload,
        draw(st.lists(MANGLES, max_size=2)),
        draw(st.sampled_from([0, 0, 0, 0, 1, -1, 5, -5, 1_000_000])),
        draw(st.binary(max_size=4)) if draw(rare) else b"",
        draw(st.lists(MANGLES, max_size=1)) if draw(rare) else [],
    )


# --- presence ---------------------------------------------------------------------------------------------


@dataclass
class Entry:
    """One presence entry: whose (this client's own id, another connection's, or any number), its clock, and the
    JSON text of its state, written by hand (so it may be anything)."""

    client: str | int  # "own", "witness", "observer", or a number
    clock: int
    state: bytes


def _json(text: str) -> bytes:
    return text.encode()


# States: what a browser sends, with a forged identity, near the size limit, nested near the depth limit, with
# numbers JSON has no words for, text that is not Unicode, values that are no object, and no JSON at all.
BROWSER_STATE = st.builds(
    lambda name, cursor: _json(f'{{"user":{{"name":{name},"color":"#c00"}},"cursor":{cursor}}}'),
    st.sampled_from(['"Bo"', '"Rita Rep"', "null", "7"]),
    st.sampled_from(["null", '{"anchor":1}']),
)
STATES = st.one_of(
    st.just(b"null"),
    BROWSER_STATE,
    BROWSER_STATE,
    BROWSER_STATE,
    st.builds(lambda who: _json(f'{{"user":{who}}}'), st.sampled_from([
        '{"id":1,"name":"Rita Rep","role":"rep"}', '{"id":"1","role":"admin"}', '[1]', '"rep"'])),
    st.integers(4_060, 4_110).map(lambda n: _json('{"s":"' + "x" * (n - 8) + '"}')),
    st.integers(6, 12).map(lambda d: _json('{"a":' * d + "1" + "}" * d)),
    st.sampled_from([2_000, 100_000]).map(lambda d: _json("[" * d + "]" * d)),
    st.sampled_from(["NaN", "Infinity", "-Infinity", "1e400", "-0", "9" * 400, "1" * 4_000]).map(
        lambda n: _json(f'{{"n":{n}}}')),
    st.sampled_from(['"\\ud800"', '"\\udfff x"', '{"\\ud800":1}']).map(lambda s: _json(f'{{"s":{s}}}')),
    st.sampled_from([b"[1,2]", b"3", b'"rep"', b"true", b"{", b"", b"\xff\xfe", b'{"a":1}x', b'{"a":1,"a":2}']),
    st.dictionaries(st.text(max_size=5), st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=5),
                                                      lambda inner: st.lists(inner, max_size=3), max_leaves=6),
                    max_size=3).map(lambda d: _json(json.dumps(d))),
)  # fmt: skip


@dataclass
class Presence:
    """An awareness message: its entries, a count that may lie, bytes after the end."""

    entries: list[Entry]
    count_off: int = 0
    trailing: bytes = b""

    def build(self, ids: dict[str, int]) -> bytes:
        body = var_uint(max(0, len(self.entries) + self.count_off))
        for entry in self.entries:
            client = ids[entry.client] if isinstance(entry.client, str) else entry.client
            body += var_uint(client) + var_uint(entry.clock) + var_bytes(entry.state)
        return var_uint(protocol.MessageType.AWARENESS) + var_bytes(body + self.trailing)


OWNERS = st.sampled_from(["own", "own", "witness", "observer"]) | NUMBERS
CLOCKS = st.sampled_from([0, 1, 2, 5]) | NUMBERS
# Well-formed messages (a browser's states, or its leaving, under ids and clocks of any kind) and messages of any
# kind: the first get past the parser to the registry, the second test the parser.
PRESENCE = st.one_of(
    st.builds(Presence, st.lists(st.builds(Entry, OWNERS, CLOCKS, BROWSER_STATE | st.just(b"null")), max_size=3)),
    st.builds(Presence, st.lists(st.builds(Entry, OWNERS, CLOCKS, STATES), max_size=3),
              st.sampled_from([0, 0, 0, 0, 1, -1, 10]), st.sampled_from([b"", b"", b"", b"\x00", b"\x01\x01"])),
)  # fmt: skip
