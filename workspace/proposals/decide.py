"""The rep's decision on a proposal: accept (the proposed value becomes the accepted one), decline (the server
writes the accepted value back into the live document, durably, like any change) or counter (a line: the
server writes the rep's value, accepted at once).

A clause is countered by editing it in the terms: the rep's edit is accepted as the rep's (and closes the
proposal as countered), so there is no counter value for a clause here; decline first to start from the
accepted text.
"""

from __future__ import annotations

from typing import Any

from pycrdt import Array, Doc, Map, XmlElement, XmlFragment, XmlText

from workspace.errors import InvalidInput, NotFound, PermissionDenied, Unprocessable
from workspace.pricing.entry import line_problem
from workspace.proposals.subjects import plain
from workspace.proposals.tracker import Tracker, public_view
from workspace.rooms.models import RoomRole

DECISIONS = ("accept", "decline", "counter")


def may_decide(role: RoomRole, kind: str) -> None:
    """The rep decides every proposal; legal, who writes the terms, decides proposals on clauses."""
    if role is RoomRole.REP or (role is RoomRole.LEGAL and kind == "clause"):
        return
    if role is RoomRole.CUSTOMER:
        raise PermissionDenied("the rep decides on proposals; yours waits for the rep")
    raise PermissionDenied(f"a {role.value} may not decide on this proposal")


def counter_value(proposal: dict[str, Any], value: object) -> object:
    """The rep's counter value for a line, checked as the guard checks a typed value."""
    if proposal["kind"] != "line":
        raise Unprocessable("a clause is countered by editing it in the terms: your edit is accepted as yours")
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InvalidInput("'value' must be a number")
    problem = line_problem({proposal["subject"]["field"]: value}, None, partial=True)
    if problem:
        raise InvalidInput(problem)
    return plain(float(value)) if isinstance(value, float) else value


def _line_writer(line_id: str, field: str, value: object) -> Any:
    def change(doc: Doc) -> None:
        for line in doc.get("lines", type=Array):
            if isinstance(line, Map) and line.get("id") == line_id:
                if value is None:
                    del line[field]
                else:
                    line[field] = value
                return
        raise NotFound(f"line {line_id} is no longer in the room")

    return change


def _clause_block(doc: Doc, clause_id: str, occurrence: int) -> XmlElement:
    seen = 0
    stack: list[Any] = list(reversed(list(doc.get("terms", type=XmlFragment).children)))
    while stack:
        node = stack.pop()
        if not isinstance(node, XmlElement):
            continue
        if node.tag == "clause":
            if str(node.attributes.get("clauseId")) == clause_id:
                if seen == occurrence:
                    return node
                seen += 1
            continue
        if node.tag not in ("paragraph", "heading", "codeBlock"):
            stack.extend(reversed(list(node.children)))
    raise NotFound(f"clause {clause_id} is no longer in the terms")


def _fill(element: XmlElement, content: list[dict[str, Any]]) -> None:
    """Write ProseMirror nodes into an (integrated) element as y-prosemirror does: a run of text nodes is
    one XmlText whose marks are formatting attributes."""
    run: list[dict[str, Any]] = []

    def flush() -> None:
        if not run:
            return
        text = element.children.append(XmlText())
        for piece in run:
            marks = {str(mark.get("type")): dict(mark.get("attrs") or {}) for mark in piece.get("marks") or []}
            text.insert(len(text), str(piece.get("text", "")), marks or None)
        run.clear()

    for node in content:
        if node.get("type") == "text":
            run.append(node)
            continue
        flush()
        child = element.children.append(XmlElement(str(node.get("type")), dict(node.get("attrs") or {})))
        _fill(child, node.get("content") or [])
    flush()


def _clause_writer(clause_id: str, occurrence: int, content: list[dict[str, Any]]) -> Any:
    def change(doc: Doc) -> None:
        block = _clause_block(doc, clause_id, occurrence)
        del block.children[0 : len(block.children)]
        _fill(block, content)

    return change


def restore_writer(proposal: dict[str, Any]) -> Any:
    """The server change that puts the accepted value back into the live document."""
    subject = proposal["subject"]
    if proposal["kind"] == "line":
        return _line_writer(subject["line_id"], subject["field"], proposal.get("from"))
    return _clause_writer(subject["clause_id"], int(subject["occurrence"]), proposal["accepted_content"])


async def decide(
    tracker: Tracker, room_id: str, proposal_id: str, decision: str, revision: int, role: RoomRole,
    actor: dict[str, Any], value: object = None,
) -> dict[str, Any]:  # fmt: skip
    """Carry out a decision; refusals (403, 404, 409 stale, 400/422 bad counter) change nothing."""
    pending = tracker.pending(room_id) or []
    proposal = next((p for p in pending if p["id"] == proposal_id), None)
    if proposal is None:
        raise NotFound("no such pending proposal: it may have been withdrawn or decided")
    may_decide(role, proposal["kind"])
    counter = counter_value(proposal, value) if decision == "counter" else None
    room, taken = tracker.take(room_id, proposal_id, revision)
    try:
        if decision == "decline":
            await room.server_write(restore_writer(taken))
        elif decision == "counter":
            subject = taken["subject"]
            await room.server_write(_line_writer(subject["line_id"], subject["field"], counter))
    except BaseException:
        tracker.put_back(room, taken)
        raise
    kind = {"accept": "accepted", "decline": "declined", "counter": "countered"}[decision]
    tracker.tell(kind, room_id, taken, actor)
    tracker.decided(room)
    shown = public_view(taken)
    if decision == "counter":
        shown["countered_with"] = counter
    return {"decision": kind, "proposal": shown}
