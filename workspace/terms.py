"""The room's terms (the shared doc's `terms` XmlFragment, as y-prosemirror writes it) read as ProseMirror
JSON for the clauses core.

Walk the tree, never `str(fragment)`: its text is not escaped, so a customer typing markup would change
the structure read back. Marks are XmlText formatting attributes; y-prosemirror names a mark that may
overlap itself "name--hash".
"""

from __future__ import annotations

from typing import Any

from pycrdt import XmlElement, XmlFragment, XmlText

from clauses.document import MAX_DEPTH
from clauses.errors import TermsInvalid


def fragment_to_json(fragment: XmlFragment) -> dict[str, Any]:
    """The fragment as a ProseMirror `doc` node; raise `TermsInvalid` when it nests deeper than any editor
    would (a crafted document must give a clear error, not exhaust the stack)."""
    return {"type": "doc", "content": _children(fragment.children, 0)}


def _children(children: Any, depth: int) -> list[dict[str, Any]]:
    if depth > MAX_DEPTH:
        raise TermsInvalid([f"terms: nested deeper than {MAX_DEPTH} levels"])
    nodes: list[dict[str, Any]] = []
    for child in children:
        if isinstance(child, XmlText):
            for text, attrs in child.diff():
                if not isinstance(text, str):
                    continue  # an embed: y-prosemirror writes none
                marks = [
                    {"type": name.split("--", 1)[0], "attrs": value if isinstance(value, dict) else {}}
                    for name, value in (attrs or {}).items()
                ]
                nodes.append({"type": "text", "text": text, "marks": marks})
        elif isinstance(child, XmlElement):
            # The view yields (name, value) pairs; pycrdt's annotation of it confuses mypy.
            element_attrs: dict[str, Any] = dict(child.attributes)  # type: ignore[call-overload]
            nodes.append({"type": child.tag, "attrs": element_attrs, "content": _children(child.children, depth + 1)})
    return nodes


def node_to_json(node: XmlElement | XmlText) -> dict[str, Any]:
    """One top-level block of the terms as a ProseMirror node (a text run's first piece, for an XmlText)."""
    found = _children([node], 0)
    return found[0] if found else {"type": "text", "text": "", "marks": []}
