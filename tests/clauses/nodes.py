"""Builders of ProseMirror JSON nodes, as TipTap's getJSON() gives them."""

from __future__ import annotations

Node = dict[str, object]


def text(value: object, *marks: str) -> Node:
    """A text node with the named marks."""
    node: Node = {"type": "text", "text": value}
    if marks:
        node["marks"] = [{"type": m} for m in marks]
    return node


def para(*content: Node | str) -> Node:
    """A paragraph; plain strings become text nodes."""
    return {"type": "paragraph", "content": [text(c) if isinstance(c, str) else c for c in content]}


def clause(clause_id: str, version: object, *content: Node) -> Node:
    """A clause node pinned to a library version."""
    return {"type": "clause", "attrs": {"clauseId": clause_id, "version": version}, "content": list(content)}


def items(kind: str, *entries: list[Node]) -> Node:
    """A bulletList or orderedList of list items holding these blocks."""
    return {"type": kind, "content": [{"type": "listItem", "content": e} for e in entries]}


def doc(*content: Node) -> Node:
    """A document node."""
    return {"type": "doc", "content": list(content)}
