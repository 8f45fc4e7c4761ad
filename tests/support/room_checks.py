"""What a room may hold after a client's message was taken, and what a browser can read of what the server sends.

The property checks of the guard's tests (tests/workspace/sync/test_guard_shapes.py) and of the live fuzzer
(tests/support/ws_fuzz.py), written from DESIGN.md's table rather than from the guard's code.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable
from typing import Any

from pycrdt import Array, Doc, Map, XmlElement, XmlFragment, XmlText

from tests.support.yclient import Lib0Reader
from workspace.rooms.models import RoomRole
from workspace.sync import protocol
from workspace.sync.documents import DocName, doc_from_updates, to_json
from workspace.sync.guard import WriteContext
from workspace.terms import fragment_to_json

# What each role may write at all, read off DESIGN.md's table (independent of the guard's code). Threads
# (`comments`, in both documents) are written by the server only, through the threads API (issue 12).
MAY_WRITE: dict[DocName, dict[RoomRole, set[str]]] = {
    DocName.SHARED: {
        RoomRole.REP: {"terms", "deal", "lines"},
        RoomRole.LEGAL: {"terms"},
        RoomRole.APPROVER: set(),
        RoomRole.CUSTOMER: {"terms"},
        RoomRole.VIEWER: set(),
    },
    DocName.INTERNAL: {
        RoomRole.REP: {"notes"},
        RoomRole.LEGAL: {"notes"},
        RoomRole.APPROVER: {"notes"},
        RoomRole.CUSTOMER: set(),
        RoomRole.VIEWER: set(),
    },
}
EDITOR_NODES = {"paragraph", "heading", "bulletList", "orderedList", "listItem", "blockquote", "codeBlock",
                "horizontalRule", "hardBreak", "clause", "variable"}  # fmt: skip
EDITOR_MARKS = {"bold", "italic", "strike", "underline", "code"}
TEXT_ROOT = {DocName.SHARED: "terms", DocName.INTERNAL: "notes"}


def view(doc: Doc, name: DocName = DocName.SHARED) -> dict[str, Any]:
    """The document as readers get it, its XML as a tree (an XML string orders attributes at random)."""
    root = TEXT_ROOT[name]
    return {**to_json(doc, name), root: fragment_to_json(doc.get(root, type=XmlFragment))}


def within_the_role(
    before: dict[str, Any], after: dict[str, Any], rights: WriteContext, name: DocName = DocName.SHARED
) -> None:
    """Every root that changed from `before` to `after` (views) is one `rights` may write."""
    for root in after:
        if before[root] == after[root] or root in MAY_WRITE[name][rights.role]:
            continue
        assert rights.role is RoomRole.CUSTOMER and name is DocName.SHARED, f"a {rights.role.value} changed {root}"
        if root == "deal":
            changed = {k for k in set(before[root]) | set(after[root]) if before[root].get(k) != after[root].get(k)}
            assert changed <= rights.customer_deal_fields, changed
        else:
            assert root == "lines" and rights.customer_may_edit_pricing, root
            assert [line["id"] for line in before[root]] == [line["id"] for line in after[root]]
            for old, new in zip(before[root], after[root], strict=True):
                changed = {k for k in old | new if old.get(k) != new.get(k)}
                assert not changed or not old.get("locked"), f"line {old.get('id')} is locked: {changed}"
                assert changed <= {"qty", "discountPct", "note"}, changed


def _plain_data(value: object, depth: int = 0) -> None:
    assert depth <= 5, "nested deeper than a root allows"
    if isinstance(value, dict | list):
        for part in value.values() if isinstance(value, dict) else value:
            _plain_data(part, depth + 1)
    else:
        assert (
            value is None or isinstance(value, bool | int | str) or (isinstance(value, float) and math.isfinite(value))
        )
        assert not isinstance(value, str) or len(value) <= 20_000


def _editor_made(element: XmlFragment | XmlElement, depth: int = 0) -> None:
    assert depth <= 32
    for child in element.children:
        if isinstance(child, XmlText):
            assert depth > 0, "text directly in the fragment"
            for _, attributes in child.diff():
                assert set(attributes or {}) <= EDITOR_MARKS, attributes
        else:
            assert isinstance(child, XmlElement) and child.tag in EDITOR_NODES, child
            _editor_made(child, depth + 1)


def holds_only_its_schema(doc: Doc, name: DocName = DocName.SHARED) -> None:
    """Text roots hold what the editor makes; the deal, the lines and the comments plain data."""
    _editor_made(doc.get(TEXT_ROOT[name], type=XmlFragment))
    if name is DocName.INTERNAL:
        return
    for root in ("deal", "comments"):
        _plain_data(doc.get(root, type=Map).to_py())
    for line in doc.get("lines", type=Array):
        assert isinstance(line, Map)
        _plain_data(line.to_py())


# Each root read as a type it is not: what a client that declares it so would see.
MISREAD: dict[DocName, list[tuple[str, type]]] = {
    DocName.SHARED: [("deal", Array), ("comments", Array), ("lines", Map), ("terms", Map)],
    DocName.INTERNAL: [("notes", Map), ("computed", Array), ("comments", Array)],
}


def nothing_hidden(before: Iterable[bytes], update: bytes, name: DocName = DocName.SHARED) -> None:
    """Read the roots as the other type: what a client that declares them so would see must not have grown
    (the attack of issue 11.2, the way a second client would find it)."""
    updates = list(before)
    for root, other in MISREAD[name]:
        probes = []
        for applied in (updates, [*updates, update]):
            probe: Doc = Doc()
            probe.get(root, type=other)
            for one in applied:
                probe.apply_update(one)
            probes.append(probe.get(root, type=other).to_py())
        assert probes[0] == probes[1], root


def strip(document: dict[str, Any]) -> dict[str, Any]:
    return {root: value for root, value in document.items() if root != "computed"}


def without_computed(encoded: bytes, name: DocName) -> dict[str, Any]:
    """The document but for the server's own section (the server re-derives it after any change)."""
    return strip(view(doc_from_updates(name, [encoded]), name))


def _no_constant(name: str) -> None:
    raise ValueError(f"{name} is not JSON")


def strict_awareness(message: bytes) -> list[tuple[int, int, Any]]:
    """Decode an awareness message as y-protocols does in a browser (lib0's numbers, and `JSON.parse`, which knows no
    NaN or Infinity). Raise AssertionError when a browser could not read it."""
    try:
        reader = Lib0Reader(message)
        assert reader.var_uint() == protocol.MessageType.AWARENESS
        inner = Lib0Reader(reader.var_bytes())
        entries = [(inner.var_uint(), inner.var_uint(), inner.var_bytes().decode()) for _ in range(inner.var_uint())]
    except ValueError as exc:
        raise AssertionError(f"a browser cannot decode this presence message: {exc}: {message[:40]!r}") from None
    assert inner.pos == len(inner.data), "bytes after the entries"
    try:
        return [(client, clock, json.loads(text, parse_constant=_no_constant)) for client, clock, text in entries]
    except ValueError as exc:
        raise AssertionError(f"a browser cannot parse this presence state: {exc}: {message[:80]!r}") from None
