"""The structs of a Yjs update (encoding v1): each item's id, where it says it goes and what it holds.

pycrdt applies an update but shows nothing of its structure, and what it does not show can still be
stored: an item whose parent is the `deal` map but which has no key (sent by a client that declares
`deal` as an array) fires no event, reads as nothing through the map, and yet is kept, sent to every
later client and shown by any that declares `deal` the other way. The guard therefore reads the
update's structs itself, following Yjs's UpdateDecoderV1 (yjs/src/utils/UpdateDecoder.js,
`readClientsStructRefs` and the `readContent*` functions) and lib0's `readAny`.
"""

from __future__ import annotations

import json
import struct
from dataclasses import dataclass
from enum import IntEnum

from workspace.errors import InvalidInput, TooLarge
from workspace.sync.wire import Reader

ID = tuple[int, int]
"""(client, clock) of one unit of content."""


class Content(IntEnum):
    """The low five bits of a struct's info byte: GC and Skip structs, or the kind of an item's content."""

    GC = 0
    DELETED = 1
    JSON = 2
    BINARY = 3
    STRING = 4
    EMBED = 5
    FORMAT = 6
    TYPE = 7
    ANY = 8
    DOC = 9
    SKIP = 10


class TypeRef(IntEnum):
    """The shared types an item of content `TYPE` can create (yjs/src/structs/ContentType.js)."""

    ARRAY = 0
    MAP = 1
    TEXT = 2
    XML_ELEMENT = 3
    XML_FRAGMENT = 4
    XML_HOOK = 5
    XML_TEXT = 6


_TYPE_REFS = frozenset(ref.value for ref in TypeRef)
_CONTENTS = tuple(Content)

# A value nested deeper than this is no comment or attribute a person wrote; it also keeps the reader's
# recursion far from Python's limit.
MAX_VALUE_DEPTH = 32


@dataclass(slots=True)
class Struct:
    """One struct of an update. `parent` and `key` are only known when the item carries them itself
    (`explicit`): an item with an origin takes its parent and key from that neighbour."""

    client: int
    clock: int
    length: int
    content: Content
    origin: ID | None = None
    right_origin: ID | None = None
    explicit: bool = False
    parent: str | ID | None = None  # a root's name, or the id of the item that created the parent type
    key: str | None = None  # the key in a map (or an XML element's attribute name)
    type_ref: int | None = None
    tag: str | None = None  # an XML element's node name
    values: tuple[object, ...] = ()  # ANY values; FORMAT (name, raw JSON); STRING (text,); EMBED (raw JSON,)
    size: int = 0  # encoded bytes of this struct

    @property
    def end(self) -> int:
        return self.clock + self.length


def decode_update(update: bytes, max_items: int | None = None) -> list[Struct]:
    """The structs of a v1 update, client by client in the update's order. Raise InvalidInput when it is
    not well-formed (the delete set after the structs is left to whoever reads it), and TooLarge as soon as
    it declares more than `max_items` structs and values (each client's count comes before its structs,
    so an update of a million items is refused before one is read)."""
    reader = Reader(update)
    uint = reader.var_uint  # bound once: this loop runs for every struct of every update
    structs: list[Struct] = []
    append = structs.append
    budget = _Budget(max_items)
    for _ in range(uint()):
        count = uint()
        budget.spend(count)
        client = uint()
        clock = uint()
        for _ in range(count):
            start = reader.pos
            info = _byte(reader)
            ref = info & 0x1F
            if ref == Content.GC or ref == Content.SKIP:
                item = Struct(client, clock, uint(), _CONTENTS[ref])
            elif ref > Content.DOC:
                raise InvalidInput(f"malformed update: unknown content type {ref}")
            else:
                item = Struct(client, clock, 1, _CONTENTS[ref])
                if info & 0x80:
                    item.origin = (uint(), uint())
                if info & 0x40:
                    item.right_origin = (uint(), uint())
                if not info & 0xC0:
                    item.explicit = True
                    item.parent = reader.var_string() if uint() == 1 else (uint(), uint())
                    if info & 0x20:
                        item.key = reader.var_string()
                _read_content(reader, item, budget)  # yrs writes empty strings and lists as items of length 0
            item.size = reader.pos - start
            append(item)
            clock += item.length
    return structs


class _Budget:
    """How many more items (structs and the values of lists) an update may declare; None: no limit."""

    __slots__ = ("limit", "spent")

    def __init__(self, limit: int | None) -> None:
        self.limit = limit
        self.spent = 0

    def spend(self, items: int) -> None:
        self.spent += items
        if self.limit is not None and self.spent > self.limit:
            raise TooLarge(
                f"an update of more than {self.limit:,} items (this one declares {self.spent:,} so far); "
                f"send it in parts"
            )


def _read_content(reader: Reader, item: Struct, budget: _Budget) -> None:
    kind = item.content
    if kind is Content.STRING:
        text = reader.var_string()
        item.values = (text,)
        item.length = len(text.encode("utf-16-le")) // 2  # Yjs counts a string in UTF-16 code units
    elif kind is Content.ANY:
        item.length = reader.var_uint()
        budget.spend(item.length)  # a list of a million values is one struct
        item.values = tuple(read_any(reader) for _ in range(item.length))
    elif kind is Content.DELETED:
        item.length = reader.var_uint()
    elif kind is Content.FORMAT:
        item.values = (reader.var_string(), reader.var_string())
    elif kind is Content.TYPE:
        item.type_ref = reader.var_uint()
        if item.type_ref in (TypeRef.XML_ELEMENT, TypeRef.XML_HOOK):
            item.tag = reader.var_string()
        elif item.type_ref not in _TYPE_REFS:
            raise InvalidInput(f"unsupported shared type {item.type_ref}")
    elif kind is Content.JSON:
        item.length = reader.var_uint()
        item.values = tuple(reader.var_string() for _ in range(item.length))
    elif kind is Content.BINARY:
        item.values = (reader.var_bytes(),)
    elif kind is Content.EMBED:
        item.values = (reader.var_string(),)
    elif kind is Content.DOC:
        item.values = (reader.var_string(), read_any(reader))


def _byte(reader: Reader) -> int:
    if reader.pos >= len(reader.data):
        raise InvalidInput("truncated message: an update ends inside a struct")
    value = reader.data[reader.pos]
    reader.pos += 1
    return value


def _fixed(reader: Reader, size: int) -> bytes:
    if reader.remaining < size:
        raise InvalidInput("truncated message: an update ends inside a number")
    chunk = reader.data[reader.pos : reader.pos + size]
    reader.pos += size
    return chunk


def read_any(reader: Reader, depth: int = 0) -> object:
    """One value in lib0's `writeAny` encoding (undefined reads as None)."""
    if depth > MAX_VALUE_DEPTH:
        raise InvalidInput(f"a value nested deeper than {MAX_VALUE_DEPTH} levels")
    tag = _byte(reader)
    if tag in (127, 126):
        return None
    if tag == 125:
        return _var_int(reader)
    if tag == 124:
        return float(struct.unpack(">f", _fixed(reader, 4))[0])
    if tag == 123:
        return float(struct.unpack(">d", _fixed(reader, 8))[0])
    if tag == 122:
        return int(struct.unpack(">q", _fixed(reader, 8))[0])
    if tag in (121, 120):
        return tag == 120
    if tag == 119:
        return reader.var_string()
    if tag == 118:
        return {reader.var_string(): read_any(reader, depth + 1) for _ in range(reader.var_uint())}
    if tag == 117:
        return [read_any(reader, depth + 1) for _ in range(reader.var_uint())]
    if tag == 116:
        return reader.var_bytes()
    raise InvalidInput(f"malformed update: unknown value type {tag}")


def _var_int(reader: Reader) -> int:
    """lib0's signed varint: six bits and a sign in the first byte, seven bits in each further one."""
    byte = _byte(reader)
    value = byte & 0x3F
    negative = bool(byte & 0x40)
    shift = 6
    while byte & 0x80:
        byte = _byte(reader)
        value |= (byte & 0x7F) << shift
        shift += 7
        if shift > 60:
            raise InvalidInput("malformed update: a number is longer than 53 bits")
    return -value if negative else value


def parse_json(raw: str) -> object:
    """A JSON value as Yjs writes it for formats and embeds ("undefined" included); InvalidInput when it
    is none, or too deep to read."""
    if raw == "undefined":
        return None
    try:
        return json.loads(raw)
    except (ValueError, RecursionError) as exc:
        raise InvalidInput("malformed update: a format or embed value is not JSON") from exc
