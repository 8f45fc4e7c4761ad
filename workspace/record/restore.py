"""Bringing back an earlier version's terms or pricing as a NEW change of the room (history is never rewritten).

The change is made on a scratch copy of the room's document and sent through the room's own path for a client's
update, as the rep's: the write guard checks it like the rep's own edit (who may write there, the shape and
schema of every item, the pricing entry checks against the room's price book), the update log stores it before
anyone sees it, and the room re-derives as after any edit (the quote re-prices, the fingerprint changes, and
approvals that covered those values cover them again by the standing rules).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from pycrdt import Array, Doc, Map, XmlElement, XmlFragment, XmlText

from workspace.record.plain import read_parts
from workspace.sync.documents import DocName, doc_from_updates
from workspace.sync.guard import WriteContext
from workspace.terms import fragment_to_json

if TYPE_CHECKING:
    from workspace.services import Services

PARTS = ("terms", "pricing")
# The deal fields a price depends on: restored with the lines.
PRICING_FIELDS = ("currency", "termMonths", "billing")


def _copy(source: Any, target: Any) -> None:
    """Copy the children of an XML node into another, as the editor would write them (marks included)."""
    for child in source.children:
        if isinstance(child, XmlText):
            text = target.children.append(XmlText())
            at = 0
            for chunk, attrs in child.diff():
                if isinstance(chunk, str):
                    text.insert(at, chunk, attrs or None)
                    at += len(chunk)
        elif isinstance(child, XmlElement):
            attributes: dict[str, Any] = dict(child.attributes)  # type: ignore[call-overload]
            _copy(child, target.children.append(XmlElement(child.tag, attributes)))


def _terms_of(old: Doc) -> Callable[[Doc], None]:
    def change(doc: Doc) -> None:
        terms = doc.get("terms", type=XmlFragment)
        del terms.children[0 : len(terms.children)]
        _copy(old.get("terms", type=XmlFragment), terms)

    return change


def _pricing_of(old: Doc) -> Callable[[Doc], None]:
    old_deal, old_lines = read_parts(old)

    def change(doc: Doc) -> None:
        deal = doc.get("deal", type=Map)
        for name in PRICING_FIELDS:
            if name in old_deal and deal.get(name) != old_deal[name]:
                deal[name] = old_deal[name]
            elif name not in old_deal and name in deal:
                del deal[name]
        lines = doc.get("lines", type=Array)
        if read_parts(doc)[1] != old_lines:
            del lines[0 : len(lines)]
            for line in old_lines:
                lines.append(Map(line))

    return change


def differs(current: Doc, old: Doc, part: str) -> bool:
    """Whether the room's `part` is not already as in the old version."""
    if part == "terms":
        return fragment_to_json(current.get("terms", type=XmlFragment)) != fragment_to_json(
            old.get("terms", type=XmlFragment)
        )
    (deal, lines), (old_deal, old_lines) = read_parts(current), read_parts(old)
    return lines != old_lines or any(deal.get(name) != old_deal.get(name) for name in PRICING_FIELDS)


async def restore(svc: Services, room_id: str, state: bytes, part: str, context: WriteContext) -> bool:
    """Make the room's `part` what it was in the version whose document state is `state`, as a change by the
    writer `context` describes. False when it already was (nothing is written); raises the guard's refusal."""
    old = doc_from_updates(DocName.SHARED, [state])
    room = await svc.rooms.acquire(room_id, DocName.SHARED)
    try:
        # From here to the guard's check nothing awaits: the scratch copy is the room as the guard knows it.
        if not differs(room.doc, old, part):
            return False
        scratch = doc_from_updates(DocName.SHARED, [room.doc.get_update()])
        before = scratch.get_state()
        with scratch.transaction():
            (_terms_of(old) if part == "terms" else _pricing_of(old))(scratch)
        changed = await room.receive_update(None, scratch.get_update(before), context)
        if changed:
            svc.deriver.changed(room)  # a server-sent update is not a client's: ask for the derive ourselves
        return changed
    finally:
        svc.rooms.release(room_id, DocName.SHARED)
