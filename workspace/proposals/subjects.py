"""What a customer can propose: a line's quantity or discount, and the text of a clause block.

A subject has a key: `line:{line id}:{field}` or `clause:{clause id}:{n}` (the n-th block of that clause in
the terms, from 0: customers cannot add, remove or re-pin clause blocks, so the key holds while they edit).
A line subject's value is the plain value in the line's map; a clause subject's value is the block's content
as ProseMirror JSON (its heading and paragraphs, marks and variables), which is what a decline writes back.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from pycrdt import Array, Doc, Map, XmlFragment

from workspace.terms import fragment_to_json, node_to_json

LINE_FIELDS = ("qty", "discountPct")


def line_key(line_id: str, field: str) -> str:
    return f"line:{line_id}:{field}"


def clause_key(clause_id: str, occurrence: int) -> str:
    return f"clause:{clause_id}:{occurrence}"


def clause_of(key: str) -> str:
    """The clause id in a clause subject's key."""
    return key[len("clause:") : key.rfind(":")]


def plain(value: object) -> object:
    """Yjs numbers arrive as floats; a whole one compares and shows as an int."""
    return int(value) if isinstance(value, float) and value.is_integer() else value


def line_values(lines: list[Any]) -> dict[str, object]:
    """Every line subject's value, from the `lines` array as plain values (or as Y maps)."""
    values: dict[str, object] = {}
    for line in lines:
        if not isinstance(line, dict | Map):
            continue
        line_id = line.get("id")
        if not isinstance(line_id, str) or not line_id:
            continue
        for field in LINE_FIELDS:
            # As stored, not `plain`: the accepted lines must hash (the fingerprint) as they did before.
            values[line_key(line_id, field)] = line.get(field)
    return values


def doc_line_values(doc: Doc) -> dict[str, object]:
    return line_values(doc.get("lines", type=Array).to_py() or [])


Node = dict[str, Any]


def clause_nodes(nodes: list[Node], seen: dict[str, int] | None = None) -> Iterator[tuple[str, Node]]:
    """(key, node) of every clause block in these ProseMirror nodes, in document order; `seen` counts the
    blocks of each clause met before them."""
    seen = {} if seen is None else seen
    stack = list(reversed(nodes))
    while stack:
        node = stack.pop()
        if not isinstance(node, dict):
            continue
        if node.get("type") == "clause":
            clause_id = str((node.get("attrs") or {}).get("clauseId"))
            occurrence = seen.get(clause_id, 0)
            seen[clause_id] = occurrence + 1
            yield clause_key(clause_id, occurrence), node
            continue  # a clause block holds no clause block
        if node.get("type") not in ("text", "paragraph", "heading", "codeBlock"):
            stack.extend(reversed(node.get("content") or []))


def words(content: list[dict[str, Any]]) -> str:
    """A clause block's text as the deviation check reads it: paragraphs apart, a variable as {{name}}."""
    parts: list[str] = []
    for node in content:
        if not isinstance(node, dict):
            continue
        kind = node.get("type")
        if kind == "text":
            parts.append(str(node.get("text", "")))
        elif kind == "variable":
            parts.append("{{" + str((node.get("attrs") or {}).get("name", "")) + "}}")
        elif kind == "hardBreak":
            parts.append(" ")
        else:
            inner = words(node.get("content") or [])
            parts.append(inner + ("\n\n" if kind in ("paragraph", "heading", "codeBlock") else ""))
    return "".join(parts).strip() if parts else ""


class TermsReader:
    """Reads the clause subjects of a live document: all of them, or only those in some top-level blocks
    (a keystroke changes one block; walking a 50-clause contract on every one would cost ~9 ms)."""

    def __init__(self) -> None:
        self.keys_at: list[list[str]] = []  # per top-level block of the terms, the clause keys inside it

    def read_all(self, doc: Doc) -> dict[str, list[dict[str, Any]]]:
        seen: dict[str, int] = {}
        values: dict[str, list[dict[str, Any]]] = {}
        self.keys_at = []
        for top in fragment_to_json(doc.get("terms", type=XmlFragment))["content"]:
            keys: list[str] = []
            for key, node in clause_nodes([top], seen):
                keys.append(key)
                values[key] = node.get("content") or []
            self.keys_at.append(keys)
        return values

    def read_blocks(self, doc: Doc, indexes: set[int]) -> dict[str, list[dict[str, Any]]] | None:
        """The clause subjects inside these top-level blocks, or None when the layout is not the one read
        last (then read all)."""
        fragment = doc.get("terms", type=XmlFragment)
        children = fragment.children
        if len(children) != len(self.keys_at):
            return None
        values: dict[str, list[dict[str, Any]]] = {}
        for index in indexes:
            if not 0 <= index < len(self.keys_at):
                return None
            found = [node for _, node in clause_nodes([node_to_json(children[index])], {})]
            keys = self.keys_at[index]
            ids = [str((node.get("attrs") or {}).get("clauseId")) for node in found]
            if ids != [clause_of(key) for key in keys]:
                return None
            for key, node in zip(keys, found, strict=True):
                values[key] = node.get("content") or []
        return values
