"""What each root of a room's documents may hold, how big it may grow and how deep it may nest.

The guard checks every item of a client's update where Yjs will put it (`placement`): first that its shape
matches the declared type of its target (a map's entries have keys, a list's items have none, text holds
text), then that it is something the root holds at all. A shape that does not match is a client that
declares a root as another type (`deal` as an array, say): Yjs would store what it sent, invisibly to
every reader that declares the root the right way.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from dataclasses import dataclass

from pycrdt import Array, Doc, Map, XmlFragment

from workspace.errors import InvalidInput, TooLarge
from workspace.pricing.entry import MAX_NOTE_LENGTH
from workspace.sync import terms_schema
from workspace.sync.documents import DocName
from workspace.sync.placement import UNDECLARED, Node, Placed
from workspace.sync.structs import Content, TypeRef, parse_json

KIB = 1024
MIB = 1024 * KIB

MAX_KEY_LENGTH = 200
"""Keys are field names and ids (UUIDs), not payloads."""

MAX_DEAL_TEXT = 1000
"""A deal field is a title, a name, a date or a code."""

MAX_LINE_TEXT = 10 * MAX_NOTE_LENGTH
"""Past the note's own limit (which the line checks say in words) a value is a payload, not a remark."""

MAX_THREADS_BYTES = 4 * MIB
"""The threads of one document (`workspace.threads.limits` keeps each thread and message far smaller)."""


@dataclass(frozen=True)
class RootSchema:
    """What a root holds (in words), the most its content may take (bytes of its JSON or XML), and how many
    shared types may nest below it."""

    holds: str
    max_bytes: int
    max_depth: int


_TERMS = RootSchema("the editor's nodes and marks (terms_schema)", 4 * MIB, terms_schema.MAX_DEPTH)
# Threads are written by the server only (the threads API, `workspace.threads`): the guard refuses every
# client item there with a reason naming the API, before any of these rules would be asked.
_THREADS = RootSchema("threads, written by the server only (POST /api/rooms/{id}/threads)", MAX_THREADS_BYTES, 3)
SCHEMAS: dict[DocName, dict[str, RootSchema]] = {
    DocName.SHARED: {
        "terms": _TERMS,
        "deal": RootSchema("plain values: text of at most 1,000 characters, numbers, true or false", 64 * KIB, 0),
        "lines": RootSchema("one map of plain values per line", 1 * MIB, 1),
        "comments": _THREADS,
        "computed": RootSchema("written by the server only", 4 * MIB, 8),
    },
    DocName.INTERNAL: {
        "notes": _TERMS,
        "computed": RootSchema("written by the server only", 4 * MIB, 8),
        "comments": _THREADS,
    },
}

_KINDS = {
    TypeRef.ARRAY: "a list",
    TypeRef.MAP: "a map",
    TypeRef.TEXT: "text",
    TypeRef.XML_ELEMENT: "an XML element",
    TypeRef.XML_FRAGMENT: "an XML fragment",
    TypeRef.XML_HOOK: "an XML hook",
    TypeRef.XML_TEXT: "XML text",
    UNDECLARED: "not declared",
}
_CONTENTS = {
    Content.ANY: "a value",
    Content.JSON: "a JSON value",
    Content.BINARY: "binary data",
    Content.STRING: "text",
    Content.EMBED: "an embed",
    Content.FORMAT: "a text format",
    Content.TYPE: "a nested type",
    Content.DOC: "a sub-document",
    Content.DELETED: "deleted content",
}
# What each kind of shared type holds, by Yjs's own rules (the schema of each root narrows it further).
_SEQUENCE = frozenset({Content.ANY, Content.JSON, Content.BINARY, Content.TYPE, Content.DELETED})
_TEXTUAL = frozenset({Content.STRING, Content.EMBED, Content.FORMAT, Content.DELETED})
_XML_CHILDREN = frozenset({Content.TYPE, Content.DELETED})
_ATTRIBUTE = frozenset({Content.ANY, Content.DELETED})


def describe(node: Node) -> str:
    """A shared type as a reason names it: 'deal', a line of 'lines', a paragraph in 'terms'."""
    if node.depth == 0:
        return f"'{node.root}'"
    if node.root == "lines" and node.depth == 1:
        return "a line of 'lines'"
    if node.kind == TypeRef.XML_ELEMENT:
        return f"a {node.tag} in '{node.root}'"
    return f"{_KINDS.get(node.kind, 'a type')} in '{node.root}'"


def check_item(doc: DocName, item: Placed) -> None:
    """Raise InvalidInput (or TooLarge for a value past its size) when `item` does not belong where it lands."""
    parent = item.parent
    if parent is None:
        return  # its parent was deleted and collected: Yjs drops it
    problem = shape_problem(item)
    if problem is not None:
        raise InvalidInput(problem)
    if item.key is not None and len(item.key) > MAX_KEY_LENGTH:
        raise InvalidInput(f"a key of {len(item.key)} characters in {describe(parent)}; keys are names and ids")
    if item.struct.content is Content.DELETED:
        return  # content made and deleted before it was sent: nothing anyone sees
    _RULES.get(parent.root, _server_only)(item, parent)
    created = item.created
    schema = SCHEMAS[doc].get(parent.root)
    if created is not None and schema is not None and created.depth > schema.max_depth:
        raise InvalidInput(f"'{parent.root}' nests at most {schema.max_depth} levels deep; no editor makes more")


def shape_problem(item: Placed) -> str | None:
    """Why `item` does not fit the declared type (and key) of the type it lands in, or None."""
    struct, parent, key = item.struct, item.parent, item.key
    assert parent is not None
    content = struct.content
    where = describe(parent)
    if content is Content.DOC:
        return "sub-documents are not part of a room"
    if content is Content.TYPE and struct.type_ref == TypeRef.XML_HOOK:
        return "XML hooks are not part of a room"
    kind = parent.kind
    if kind == TypeRef.MAP:
        if key is None:
            return f"{where} is a map, and this update puts an item in it without a key"
        allowed = _SEQUENCE
    elif kind in (TypeRef.ARRAY, TypeRef.XML_FRAGMENT):
        if key is not None:
            return f"{where} is {_KINDS[TypeRef(kind)]}, and this update puts an entry in it under the key {key[:40]!r}"
        allowed = _SEQUENCE if kind == TypeRef.ARRAY else _XML_CHILDREN
    elif kind == TypeRef.XML_ELEMENT:
        allowed = _ATTRIBUTE if key is not None else _XML_CHILDREN
    elif kind in (TypeRef.TEXT, TypeRef.XML_TEXT):
        if key is not None:
            return f"{where} is text, and this update gives it an attribute {key[:40]!r}"
        allowed = _TEXTUAL
    else:
        return f"{where} is {_KINDS.get(kind, 'of an unknown type')}, and this update writes into it"
    if content not in allowed:
        return f"{where} is {_KINDS[TypeRef(kind)]}, and this update puts {_CONTENTS[content]} in it"
    xml_child = allowed is _XML_CHILDREN and content is Content.TYPE
    if xml_child and struct.type_ref not in (TypeRef.XML_ELEMENT, TypeRef.XML_TEXT):
        made = _KINDS.get(struct.type_ref or 0, "a type")
        return f"{where} holds XML elements and text, and this update puts {made} in it"
    if key is not None and content is Content.ANY and struct.length != 1:
        return f"{where} takes one value per key, and this update puts {struct.length} under {key[:40]!r}"
    return None


# --- the roots ------------------------------------------------------------------------------------


def _deal(item: Placed, parent: Node) -> None:
    if item.struct.content is not Content.ANY:
        raise InvalidInput(f"the deal holds plain values (text, numbers, true or false), not {_what(item)}")
    _scalar(item.struct.values[-1], MAX_DEAL_TEXT, "a deal field")


def _lines(item: Placed, parent: Node) -> None:
    struct = item.struct
    if parent.depth == 0:
        if struct.content is not Content.TYPE or struct.type_ref != TypeRef.MAP:
            raise InvalidInput("a line must be a map of id, sku, qty, discountPct, locked and note")
    elif struct.content is not Content.ANY:
        raise InvalidInput(f"a line holds plain values (text, numbers, true or false), not {_what(item)}")
    else:
        _scalar(struct.values[-1], MAX_LINE_TEXT, "a line's value")


def _terms(item: Placed, parent: Node) -> None:
    struct = item.struct
    where = f"'{parent.root}'"
    problem: str | None = None
    if parent.kind == TypeRef.XML_TEXT:
        if struct.content is Content.FORMAT:
            name, raw = struct.values
            in_code = parent.parent is not None and parent.parent.tag == "codeBlock"
            problem = terms_schema.mark_problem(str(name), parse_json(str(raw)), in_code)
        elif struct.content is not Content.STRING:
            problem = f"{_what(item)} in the text of {where}; the editor writes text and marks only"
    elif item.key is not None:
        problem = terms_schema.attribute_problem(parent.tag, item.key, struct.values[-1])
    else:
        child = (struct.tag or "") if struct.type_ref == TypeRef.XML_ELEMENT else terms_schema.TEXT
        problem = terms_schema.child_problem(parent.tag if parent.depth else None, child, where)
    if problem is not None:
        raise InvalidInput(problem)


def _server_only(item: Placed, parent: Node) -> None:
    raise InvalidInput(f"'{parent.root}' is written by the server only")


_RULES: dict[str, Callable[[Placed, Node], None]] = {
    "deal": _deal,
    "lines": _lines,
    "terms": _terms,
    "notes": _terms,
}


def _what(item: Placed) -> str:
    struct = item.struct
    if struct.content is Content.TYPE:
        return _KINDS.get(struct.type_ref if struct.type_ref is not None else UNDECLARED, "a nested type")
    return _CONTENTS.get(struct.content, "content")


def _scalar(value: object, limit: int, what: str) -> None:
    if value is None or isinstance(value, bool):
        return
    if isinstance(value, int | float):
        if not math.isfinite(value):
            raise InvalidInput(f"{what} must be a finite number")
        return
    if isinstance(value, str):
        _text(value, limit, what)
        return
    raise InvalidInput(f"{what} is a plain value (text, a number, true or false), not a {_value_kind(value)}")


def _text(value: object, limit: int, what: str) -> None:
    if isinstance(value, str) and len(value) > limit:
        raise TooLarge(f"{what} holds at most {limit:,} characters, not {len(value):,}")


def _value_kind(value: object) -> str:
    names: dict[type, str] = {dict: "map", list: "list", bytes: "binary data"}
    return names.get(type(value), type(value).__name__)


def visible_bytes(doc: Doc, root: str, kind: type) -> int:
    """How much a root's content takes, as a reader gets it: its JSON, or its XML for a fragment."""
    if kind is XmlFragment:
        return len(str(doc.get(root, type=XmlFragment)).encode())
    shared = doc.get(root, type=Map) if kind is Map else doc.get(root, type=Array)
    return len(json.dumps(shared.to_py(), ensure_ascii=False, separators=(",", ":"), default=str).encode())
