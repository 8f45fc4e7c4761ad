"""What the terms (and the internal notes) may hold: the nodes and marks the room's editor makes.

The editor is TipTap's StarterKit with the `clause` and `variable` nodes (frontend/src/room/editor.ts,
clauses/variable-node.ts), bound to the Y document by y-prosemirror: a node is an XmlElement named after
it with its non-null attributes, text is XmlText, and a mark is a formatting attribute on the text named
after the mark with the mark's attributes as its value (`{}` for bold). Anything else no editor makes: the
editors of everyone else in the room would drop it (writing its removal back), and the contract export
would not show it as the room does. The link mark is switched off in the editor (links in a contract are
not something to click), so a link is refused here too; removing one an older room holds is not.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable

TEXT = "#text"
"""An XmlText child, among element names."""

BLOCKS = frozenset(
    {"paragraph", "heading", "bulletList", "orderedList", "blockquote", "codeBlock", "horizontalRule", "clause"}
)
INLINE = frozenset({TEXT, "variable", "hardBreak"})

# What each node may hold (ProseMirror's content expressions, by node name); None is the fragment itself.
CHILDREN: dict[str | None, frozenset[str]] = {
    None: BLOCKS,
    "clause": BLOCKS,
    "blockquote": BLOCKS,
    "listItem": BLOCKS,
    "bulletList": frozenset({"listItem"}),
    "orderedList": frozenset({"listItem"}),
    "paragraph": INLINE,
    "heading": INLINE,
    "codeBlock": frozenset({TEXT}),
    "horizontalRule": frozenset(),
    "hardBreak": frozenset(),
    "variable": frozenset(),
}
NODES = frozenset(name for name in CHILDREN if name is not None)

MARKS = frozenset({"bold", "italic", "strike", "underline", "code"})
"""Marks the editor makes (StarterKit's, keyboard shortcuts and Markdown shortcuts included)."""

REMOVABLE_MARKS = MARKS | {"link"}
"""Marks whose removal (a null format) is taken: a link an older room holds may still be unlinked."""

MAX_DEPTH = 32
"""Elements inside elements: lists in lists in a clause are a handful; the export reads up to 64."""

_VARIABLE_NAME = re.compile(r"[a-z][a-z0-9_]*(?:\.[a-z][a-z0-9_]*)+")
_LIST_TYPES = frozenset({"1", "a", "A", "i", "I"})


def _whole(value: object, low: int, high: int) -> bool:
    """A whole number in [low, high]: y-prosemirror writes numbers, other clients write them as text."""
    if isinstance(value, str) and value.strip().isdecimal() and len(value.strip()) < 10:
        value = int(value.strip())
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    return math.isfinite(value) and float(value).is_integer() and low <= value <= high


def _text(limit: int) -> Callable[[object], bool]:
    return lambda value: isinstance(value, str) and 0 < len(value) <= limit


ATTRIBUTES: dict[str, dict[str, Callable[[object], bool]]] = {
    "heading": {"level": lambda value: _whole(value, 1, 6)},
    "orderedList": {"start": lambda value: _whole(value, 0, 1_000_000), "type": lambda value: value in _LIST_TYPES},
    "codeBlock": {"language": lambda value: isinstance(value, str) and len(value) <= 100},
    "clause": {"clauseId": _text(200), "version": lambda value: _whole(value, 1, 1_000_000)},
    "variable": {"name": lambda value: isinstance(value, str) and _VARIABLE_NAME.fullmatch(value) is not None},
}
"""The attributes each node has, and the values it takes; a node not named has none."""


def child_problem(parent: str | None, child: str, where: str) -> str | None:
    """Why `child` (an element name or TEXT) may not sit in `parent` (None: the fragment `where`), or None."""
    if child != TEXT and child not in NODES:
        return f"{_shown(child)} is not a node the editor makes (in {where})"
    allowed = CHILDREN.get(parent, frozenset())
    if child in allowed:
        return None
    inside = f"a {parent}" if parent else where
    if not allowed:
        return f"a {_name(child)} inside a {parent}, which holds nothing"
    if allowed == INLINE:
        return f"a {_name(child)} inside a {parent}, which holds text, variables and line breaks"
    if parent == "codeBlock":
        return f"a {_name(child)} inside a codeBlock, which holds plain text"
    if parent in ("bulletList", "orderedList"):
        return f"a {_name(child)} directly in a {parent}; a list holds list items"
    if child == TEXT:
        return f"text directly in {inside}; text goes in a paragraph or heading"
    if child == "listItem":
        return f"a listItem directly in {inside}; list items go in a list"
    return f"{_name(child)} directly in {inside}; it goes in a paragraph or heading"


def _name(child: str) -> str:
    return "text" if child == TEXT else child


def attribute_problem(tag: str | None, key: str, value: object) -> str | None:
    """Why `value` may not be attribute `key` of a `tag` node, or None."""
    check = ATTRIBUTES.get(tag or "", {}).get(key)
    if check is None:
        return f"a {tag} has no attribute {_shown(key)}"
    if not check(value):
        return f"{_shown(value)} is not a {key} of a {tag}"
    return None


def mark_problem(name: str, value: object, in_code: bool) -> str | None:
    """Why a format `name` = `value` may not be set on text (None for a value: the mark is removed)."""
    if value is None:
        return None if name in REMOVABLE_MARKS else f"{_shown(name)} is not a mark the editor makes"
    if name == "link":
        return "links are not part of the terms; write the address as text"
    if name not in MARKS:
        return f"{_shown(name)} is not a mark the editor makes ({_names(MARKS)})"
    if in_code:
        return "text in a code block has no marks"
    if value not in ({}, True):
        return f"the {name} mark has no attributes"
    return None


def _names(names: frozenset[str]) -> str:
    return ", ".join(sorted(name if name != TEXT else "text" for name in names))


def _shown(value: object) -> str:
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        value = int(value)  # Yjs numbers are doubles: 9, not 9.0
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."
