"""What a thread is about, checked against the room as it is: a range of the terms (two Yjs relative
positions, which follow the text as people edit), a clause block, a pricing line, a deal field, or the room.

    {"type": "range", "from": B64, "to": B64, "quote": "the selected words"}
    {"type": "clause", "clauseId": "liability"}   {"type": "line", "lineId": "l1"}
    {"type": "field", "field": "paymentTermsDays"}   {"type": "room"}

A relative position is base64 of `Y.encodeRelativePosition`; it must decode and point into `terms` (an item
the server holds whose type lies in the terms, or the terms themselves).
"""

from __future__ import annotations

import base64
import binascii
from typing import Any

from pycrdt import Array, Doc, Map

from workspace.errors import InvalidInput
from workspace.sync.pins import clause_pins
from workspace.sync.placement import Layout
from workspace.sync.wire import Reader
from workspace.threads.model import MAX_QUOTE

# The deal fields a thread may be about (frontend/src/room/deal-fields.ts).
DEAL_FIELDS = frozenset({"title", "customerName", "currency", "termMonths", "startDate", "paymentTermsDays", "billing"})
_KEYS = {
    "range": {"from", "to", "quote"},
    "clause": {"clauseId"},
    "line": {"lineId"},
    "field": {"field"},
    "room": set(),
}
MAX_POSITION_CHARS = 100
"""A relative position is a client id and a clock (two numbers) or a short type name: tens of bytes."""


def check_anchor(raw: object, shared: Doc, layout: Layout) -> dict[str, Any]:
    """The anchor as stored, or InvalidInput saying what is wrong with it. `shared` is the room's shared
    document and `layout` where each of its items sits (the guard's, kept current with every change)."""
    if not isinstance(raw, dict):
        raise InvalidInput("'anchor' must be an object with a 'type'")
    kind = raw.get("type")
    if kind not in _KEYS:
        raise InvalidInput("'anchor.type' must be one of range, clause, line, field, room")
    unknown = set(raw) - _KEYS[kind] - {"type"}
    if unknown:
        raise InvalidInput(f"a {kind} anchor has no {sorted(unknown)[0]!r}")
    if kind == "range":
        quote = _text(raw, "quote", MAX_QUOTE)
        for end in ("from", "to"):
            check_position(_text(raw, end, MAX_POSITION_CHARS), layout, end)
        return {"type": "range", "from": raw["from"], "to": raw["to"], "quote": quote}
    if kind == "clause":
        clause_id = _text(raw, "clauseId", 200)
        if clause_id not in {pinned for pinned, _ in clause_pins(shared)}:
            raise InvalidInput(f"the terms hold no clause block {clause_id!r}")
        return {"type": "clause", "clauseId": clause_id}
    if kind == "line":
        line_id = _text(raw, "lineId", 200)
        ids = {line.get("id") for line in shared.get("lines", type=Array) if isinstance(line, Map)}
        if line_id not in ids:
            raise InvalidInput(f"the room has no pricing line {line_id!r}")
        return {"type": "line", "lineId": line_id}
    if kind == "field":
        name = _text(raw, "field", 200)
        if name not in DEAL_FIELDS:
            raise InvalidInput(f"{name!r} is not a deal field; one of {', '.join(sorted(DEAL_FIELDS))}")
        return {"type": "field", "field": name}
    return {"type": "room"}


def _text(raw: dict[str, Any], key: str, limit: int) -> str:
    value = raw.get(key)
    if not isinstance(value, str) or not value.strip():
        raise InvalidInput(f"'anchor.{key}' must be a non-empty text")
    if len(value) > limit:
        raise InvalidInput(f"'anchor.{key}' holds at most {limit} characters, not {len(value)}")
    return value


def check_position(encoded: str, layout: Layout, end: str = "from") -> None:
    """InvalidInput unless `encoded` is base64 of a Yjs relative position inside the terms."""
    try:
        data = base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise InvalidInput(f"'anchor.{end}' is not base64") from exc
    reader = Reader(data)
    try:
        tag = reader.var_uint()
        if tag == 0:  # an item: the position sticks to it
            at = (reader.var_uint(), reader.var_uint())
            root = _root_of_item(layout, at)
        elif tag == 1:  # a root type by name (a position at the end of a root)
            root = reader.var_string()
        elif tag == 2:  # a nested type by the id of the item that made it (a position at its end)
            at = (reader.var_uint(), reader.var_uint())
            node = layout.types.get(at)
            root = node.root if node is not None else None
        else:
            raise InvalidInput(f"'anchor.{end}' is not a Yjs relative position")
        if reader.remaining:
            _var_int(reader)
        reader.expect_end("relative position")
    except InvalidInput as exc:
        if str(exc).startswith("'anchor."):
            raise
        raise InvalidInput(f"'anchor.{end}' is not a Yjs relative position: {exc}") from exc
    if root != "terms":
        raise InvalidInput(f"'anchor.{end}' does not point into the terms")


def _root_of_item(layout: Layout, at: tuple[int, int]) -> str | None:
    if not layout.holds(at):
        raise InvalidInput("it points to text the server does not have yet; try again in a moment")
    place, _ = layout.run_at(at)
    if place is None:
        return None  # collected: text deleted long ago
    parent = place[0]
    if isinstance(parent, str):
        return parent
    node = layout.types.get(parent)
    return node.root if node is not None else None


def _var_int(reader: Reader) -> None:
    """lib0's signed varint (the position's `assoc`): read and dropped, only its well-formedness matters."""
    for _ in range(8):
        if reader.remaining == 0:
            raise InvalidInput("truncated assoc")
        byte = reader.data[reader.pos]
        reader.pos += 1
        if byte < 0x80:
            return
    raise InvalidInput("an assoc longer than 8 bytes")
