"""What a client's accepted update touched, in words a person reads: which line (and which of its fields),
which deal field, which clause block, the text outside the clauses, the internal notes.

Pure over the guard's observations (`workspace.sync.guard.Change`) and the guard's twin as the update left
it; called on the event loop for every accepted client update, so it reads only what it names (a typed
character costs one look at the block it is in)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from pycrdt import Array, Doc, Map, XmlElement, XmlFragment, XmlText

from workspace.activity.events import Audience
from workspace.sync.documents import DocName
from workspace.sync.guard import Change


@dataclass(frozen=True)
class Touch:
    """One subject an update changed. `key` identifies the subject for folding consecutive edits together;
    `fields` are merged when they are (a line's quantity, then its discount)."""

    kind: str
    audience: Audience
    key: str
    subject: dict[str, Any]
    fields: frozenset[str] = field(default_factory=frozenset)


def touched(name: DocName, doc: Doc, changes: Sequence[Change]) -> list[Touch]:
    """The subjects `changes` touched, each once, in the order first seen."""
    with doc.transaction():  # one transaction for every read below, not one per read (a third of the time)
        return _touched(name, doc, changes)


def _touched(name: DocName, doc: Doc, changes: Sequence[Change]) -> list[Touch]:
    found: dict[str, Touch] = {}
    for change in changes:
        touch: Touch | None = None
        if name is DocName.INTERNAL:
            if change.root == "notes":
                touch = Touch("change.notes", Audience.INTERNAL, "notes", {"section": "notes"})
        elif change.root == "terms":
            touch = _terms(doc, change)
        elif change.root == "deal":
            for key in sorted(change.keys) if not change.path else ():
                _merge(found, Touch("change.deal", Audience.EVERYONE, f"deal:{key}", {"field": key}))
            continue
        elif change.root == "lines":
            touch = _lines(doc, change)
        # `comments` are the threads' own events; `computed` is the server's.
        if touch is not None:
            _merge(found, touch)
    return list(found.values())


def _merge(found: dict[str, Touch], touch: Touch) -> None:
    before = found.get(touch.key)
    if before is None:
        found[touch.key] = touch
    elif touch.fields - before.fields:
        found[touch.key] = Touch(before.kind, before.audience, before.key, before.subject, before.fields | touch.fields)


def _terms(doc: Doc, change: Change) -> Touch:
    blocks = doc.get("terms", type=XmlFragment)
    if not change.path or not isinstance(change.path[0], int):
        # Blocks added, moved or removed at the top of the terms (Enter between paragraphs, an inserted clause).
        return Touch("change.terms", Audience.EVERYONE, "terms:blocks", {"part": "blocks"})
    index = change.path[0]
    block = blocks.children[index] if index < len(blocks.children) else None
    if isinstance(block, XmlElement) and block.tag == "clause":
        clause_id = str(block.attributes.get("clauseId") or "")
        subject = {"part": "clause", "clause_id": clause_id, "title": _clause_title(block) or clause_id}
        return Touch("change.terms", Audience.EVERYONE, f"clause:{clause_id}", subject)
    return Touch("change.terms", Audience.EVERYONE, "terms:free_text", {"part": "free_text"})


def _clause_title(block: XmlElement) -> str | None:
    for child in block.children:
        if isinstance(child, XmlElement) and child.tag == "heading":
            text = "".join(str(part) for part in child.children if isinstance(part, XmlText)).strip()
            return text[:200] or None
        return None
    return None


def _lines(doc: Doc, change: Change) -> Touch:
    """A line by its id and SKU; the recorder names the product off the event loop (`recorder._Products`)."""
    if len(change.path) == 1 and change.is_map and isinstance(change.path[0], int):
        lines = doc.get("lines", type=Array)
        index = change.path[0]
        line = lines[index] if index < len(lines) else None
        line_id = change.line_id if isinstance(change.line_id, str) else None
        sku = line.get("sku") if isinstance(line, Map) else None
        subject = {"line_id": line_id, "sku": sku if isinstance(sku, str) else None}
        return Touch("change.lines", Audience.EVERYONE, f"line:{line_id}", subject, frozenset(change.keys))
    added = [{"line_id": item.get("id"), "sku": item.get("sku")} for item in change.inserted if isinstance(item, dict)]
    return Touch("change.lines", Audience.EVERYONE, "lines:list", {"part": "list", "added": added[:20]})
