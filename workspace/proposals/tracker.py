"""Who changed what: each committed change of a room's shared document, attributed to its writer.

A change by the rep (or any internal person, or the server) is accepted at once. A customer's change to a
line's quantity or discount or to a clause block's text opens a proposal (or updates the one open on that
subject) unless the room takes customer changes directly; setting the value back to the accepted one
withdraws it. The pending proposals live here, in memory, while the room is loaded (they are the authority:
a commit is attributed synchronously, before anything else runs on the loop), and in the shared
`computed.proposals`, written right after, for both screens and for the next load.

The same write records the accepted value of every subject (`computed.accepted`): the accepted room as a
record, not only as the live one minus the proposals. A crash between a commit and that write cannot turn a
customer's change into an accepted one: on load, a live value that differs from its recorded accepted value
with no pending proposal is proposed again (by RESTORED: who wrote it is not known). A rep's change made in
that window comes back as such a proposal too, for the rep to accept: the safe direction. A room written
before the record was kept takes its live values, less its pending proposals, as accepted once.

Every event of a proposal's life (made, updated, withdrawn, accepted, countered, declined) goes through
`Tracker.tell`, the one place to record it.
"""

from __future__ import annotations

import logging
import secrets
import weakref
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from pycrdt import Array, Doc, Map, Subscription, XmlFragment

from clauses.deviation import word_diff
from workspace.errors import Conflict, NotFound
from workspace.proposals.accepted import ACCEPTED, PROPOSALS, read_accepted, read_pending
from workspace.proposals.subjects import TermsReader, clause_of, doc_line_values, words
from workspace.rooms.models import RoomRole
from workspace.serial import SerialRuns
from workspace.storage.base import utcnow
from workspace.sync.documents import DocName
from workspace.sync.manager import RoomManager
from workspace.sync.room import Peer, RoomDoc

log = logging.getLogger(__name__)

# The proposals reach both screens this soon after the change that made them; a burst of keystrokes in a
# clause writes them once.
WRITE_DEBOUNCE_SECONDS = 0.005
SERVER = {"name": "Dealroom", "role": "server"}
# The writer of a change found on load that was never accepted nor proposed (a crash came first): most likely
# the customer (a rep's change is recorded as accepted a few milliseconds after it too), proposed to the rep.
RESTORED = {"name": "Unknown (restored after a restart)", "role": "customer"}


@dataclass(frozen=True)
class ProposalEvent:
    """One step of a proposal's life: made | updated | withdrawn | accepted | countered | declined."""

    kind: str
    room_id: str
    proposal: dict[str, Any]
    actor: dict[str, Any]


@dataclass
class _RoomState:
    lines: dict[str, object]
    clauses: dict[str, list[dict[str, Any]]]
    reader: TermsReader
    proposals: dict[str, dict[str, Any]]  # by subject key
    touched_blocks: set[int] = field(default_factory=set)
    all_terms: bool = False
    lines_touched: bool = False
    subscriptions: list[Subscription] = field(default_factory=list)
    # What the document's `computed.accepted` holds (as last read or written); None: read it again.
    recorded: dict[str, Any] | None = None


def _actor(sender: Peer | None) -> tuple[dict[str, Any], bool]:
    """Who wrote (name, role) and whether the change is a proposal rather than accepted at once."""
    identity = getattr(sender, "identity", None)
    if identity is None:
        return SERVER, False
    context = identity.context
    who = {"id": identity.user_id, "name": identity.name, "role": context.role.value}
    return who, context.role is RoomRole.CUSTOMER and not context.customer_changes_direct


def public_view(proposal: dict[str, Any]) -> dict[str, Any]:
    """A proposal as both sides see it (the user id stays on the server)."""
    shown = dict(proposal)
    shown["by"] = {key: value for key, value in proposal["by"].items() if key != "id"}
    return shown


def pending_summary(proposal: dict[str, Any]) -> dict[str, Any]:
    """A proposal in a line: what a refusal lists (the id, the subject, from and to, by whom)."""
    shown = {key: proposal.get(key) for key in ("id", "kind", "subject", "from", "to", "revision")}
    return shown | {"by": {key: value for key, value in proposal["by"].items() if key != "id"}}


class Tracker:
    """The pending proposals of the loaded rooms."""

    def __init__(self, rooms: RoomManager) -> None:
        self.rooms = rooms
        self._states: weakref.WeakKeyDictionary[RoomDoc, _RoomState] = weakref.WeakKeyDictionary()
        self._writes = SerialRuns(self._write, WRITE_DEBOUNCE_SECONDS)
        # Told when the accepted room changed without the live document changing (a proposal accepted): the
        # room's approvals are derived again.
        self.accepted_changed: Callable[[RoomDoc], None] = lambda room: None
        self.listeners: list[Callable[[ProposalEvent], None]] = []

    # --- reading -------------------------------------------------------------------------------

    def _state(self, room_id: str) -> tuple[RoomDoc, _RoomState] | None:
        room = self.rooms.loaded(room_id, DocName.SHARED)
        state = self._states.get(room) if room is not None else None
        return (room, state) if room is not None and state is not None else None

    def pending(self, room_id: str) -> list[dict[str, Any]] | None:
        """The room's pending proposals, oldest first; None when the room is not loaded (read the doc)."""
        found = self._state(room_id)
        if found is None:
            return None
        return sorted(found[1].proposals.values(), key=lambda p: (p["at"], p["id"]))

    def pending_in(self, room_id: str, doc: Doc) -> list[dict[str, Any]]:
        """The room's pending proposals: the tracker's while loaded, else the document's."""
        pending = self.pending(room_id)
        return read_pending(doc) if pending is None else pending

    # --- the room's life -----------------------------------------------------------------------

    def loaded(self, room: RoomDoc) -> None:
        """A shared document was loaded: read its subjects and the proposals it holds, and watch it."""
        if room.name is not DocName.SHARED:
            return
        reader = TermsReader()
        state = _RoomState(doc_line_values(room.doc), reader.read_all(room.doc), reader, {})
        for proposal in read_pending(room.doc):
            key = proposal.get("subject", {}).get("key")
            if isinstance(key, str):
                state.proposals[key] = proposal
        self._states[room] = state
        for key in list(state.proposals):
            self._reconcile(room, state, key)
        state.recorded = read_accepted(room.doc)
        self._restore(room, state, state.recorded or {})
        state.subscriptions = [
            room.doc.get("terms", type=XmlFragment).observe_deep(lambda events: self._terms_changed(state, events)),
            room.doc.get("lines", type=Array).observe_deep(lambda events: setattr(state, "lines_touched", True)),
        ]
        # Writes what the reconciling and restoring changed, and the record of a room that had none.
        self._writes.schedule(room.room_id)

    def _restore(self, room: RoomDoc, state: _RoomState, record: dict[str, Any]) -> None:
        """Propose again every live value that differs from its recorded accepted value with no proposal."""
        for key, live in [*state.lines.items(), *state.clauses.items()]:
            if key in state.proposals or key not in record or _same(record[key], live):
                continue
            accepted = record[key]
            if key.startswith("clause:") and not isinstance(accepted, list):
                continue
            proposal = self._open(key, accepted, RESTORED)
            self._update(proposal, live)
            state.proposals[key] = proposal
            self.tell("made", room.room_id, proposal, RESTORED)

    @staticmethod
    def _accepted_values(state: _RoomState) -> dict[str, Any]:
        """Every subject's accepted value: its pending proposal's, else the live one."""
        values: dict[str, Any] = {}
        for key, live in state.lines.items():
            proposal = state.proposals.get(key)
            values[key] = live if proposal is None else proposal.get("from")
        for key, content in state.clauses.items():
            proposal = state.proposals.get(key)
            values[key] = content if proposal is None else proposal.get("accepted_content")
        return values

    @staticmethod
    def _terms_changed(state: _RoomState, events: list[Any]) -> None:
        for event in events:
            path = list(event.path)
            if path and isinstance(path[0], int):
                state.touched_blocks.add(path[0])
            else:
                state.all_terms = True

    def _reconcile(self, room: RoomDoc, state: _RoomState, key: str) -> bool:
        """Bring a stored proposal in line with the document (it may have been written before the change
        that withdrew or updated it was): True when it changed."""
        proposal = state.proposals[key]
        if proposal.get("kind") == "line":
            current: Any = state.lines.get(key, _GONE)
            accepted, proposed = proposal.get("from"), proposal.get("to")
        else:
            current = state.clauses.get(key, _GONE)
            accepted, proposed = proposal.get("accepted_content"), proposal.get("proposed_content")
        if current is _GONE or current == accepted:
            del state.proposals[key]
            return True
        if current != proposed:
            self._update(proposal, current)
            return True
        return False

    def committed(self, room: RoomDoc, sender: Peer | None) -> None:
        """A change was committed to a room document: attribute what it changed to its writer."""
        state = self._states.get(room)
        if state is None:
            return
        changes = self._changes(room, state)
        if not changes:
            return
        who, proposes = _actor(sender)
        for key, (before, after) in changes.items():
            self._attribute(room, state, key, before, after, who, proposes)
        # The proposals changed, or an accepted value did (recorded in the same write).
        self._writes.schedule(room.room_id)

    def _changes(self, room: RoomDoc, state: _RoomState) -> dict[str, tuple[Any, Any]]:
        changes: dict[str, tuple[Any, Any]] = {}
        if state.lines_touched:
            state.lines_touched = False
            lines = doc_line_values(room.doc)
            for key in state.lines.keys() | lines.keys():
                if state.lines.get(key, _GONE) != lines.get(key, _GONE):
                    changes[key] = (state.lines.get(key, _GONE), lines.get(key, _GONE))
            state.lines = lines
        if state.all_terms or state.touched_blocks:
            read = None if state.all_terms else state.reader.read_blocks(room.doc, state.touched_blocks)
            state.all_terms, state.touched_blocks = False, set()
            if read is None:
                clauses = state.reader.read_all(room.doc)
                keys = state.clauses.keys() | clauses.keys()
            else:
                clauses = {**state.clauses, **read}
                keys = set(read)
            for key in keys:
                if state.clauses.get(key, _GONE) != clauses.get(key, _GONE):
                    changes[key] = (state.clauses.get(key, _GONE), clauses.get(key, _GONE))
            state.clauses = clauses
        return changes

    def _attribute(
        self, room: RoomDoc, state: _RoomState, key: str, before: Any, after: Any, who: dict[str, Any], proposes: bool
    ) -> bool:
        proposal = state.proposals.get(key)
        if after is _GONE:  # the line or the clause block is gone: nothing left to decide
            if proposal is not None:
                del state.proposals[key]
                self.tell("withdrawn", room.room_id, proposal, who)
            return proposal is not None
        if not proposes:
            if proposal is not None:
                del state.proposals[key]
                # The rep changed a value while it was proposed: the rep's value stands, a counter.
                self.tell("countered" if who["role"] != "server" else "accepted", room.room_id, proposal, who)
            return proposal is not None
        if proposal is None:
            if before is _GONE:
                return False  # a new subject (the rep's new line) is the rep's
            proposal = self._open(key, before, who)
            self._update(proposal, after)
            state.proposals[key] = proposal
            self.tell("made", room.room_id, proposal, who)
            return True
        accepted = proposal["from"] if proposal["kind"] == "line" else proposal["accepted_content"]
        if after == accepted:
            del state.proposals[key]
            self.tell("withdrawn", room.room_id, proposal, who)
        else:
            self._update(proposal, after)
            proposal["by"] = who
            self.tell("updated", room.room_id, proposal, who)
        return True

    @staticmethod
    def _open(key: str, accepted: Any, who: dict[str, Any]) -> dict[str, Any]:
        proposal: dict[str, Any] = {"id": secrets.token_hex(6), "by": who, "revision": 0}
        if key.startswith("line:"):
            line_id, field_name = key[len("line:") : key.rfind(":")], key[key.rfind(":") + 1 :]
            proposal |= {"kind": "line", "subject": {"key": key, "line_id": line_id, "field": field_name}}
            proposal["from"] = accepted
        else:
            occurrence = int(key[key.rfind(":") + 1 :])
            subject = {"key": key, "clause_id": clause_of(key), "occurrence": occurrence}
            proposal |= {"kind": "clause", "subject": subject}
            proposal["accepted_content"] = accepted
            proposal["from"] = _words(accepted)
        return proposal

    @staticmethod
    def _update(proposal: dict[str, Any], value: Any) -> None:
        proposal["revision"] = int(proposal.get("revision", 0)) + 1
        proposal["at"] = utcnow().isoformat()
        if proposal["kind"] == "line":
            proposal["to"] = value
            return
        proposal["proposed_content"] = value
        proposal["to"] = _words(value)
        proposal["diff"] = [{"op": op, "text": text} for op, text in word_diff(proposal["from"], proposal["to"])]

    # --- decisions -----------------------------------------------------------------------------

    def take(self, room_id: str, proposal_id: str, revision: int) -> tuple[RoomDoc, dict[str, Any]]:
        """Remove a pending proposal to decide on it; Conflict when the decider saw another revision."""
        found = self._state(room_id)
        proposal = None
        if found is not None:
            proposal = next((p for p in found[1].proposals.values() if p["id"] == proposal_id), None)
        if found is None or proposal is None:
            raise NotFound("no such pending proposal: it may have been withdrawn or decided")
        if proposal["revision"] != revision:
            raise Conflict(
                "the proposal changed since you saw it; look again",
                proposal=public_view(proposal),
            )
        room, state = found
        del state.proposals[proposal["subject"]["key"]]
        self._writes.schedule(room_id)
        return room, proposal

    def put_back(self, room: RoomDoc, proposal: dict[str, Any]) -> None:
        """A decision could not be carried out: the proposal is pending again (unless its subject moved on)."""
        state = self._states.get(room)
        key = proposal["subject"]["key"]
        if state is None or key in state.proposals:
            return
        state.proposals[key] = proposal
        if self._reconcile(room, state, key) or key in state.proposals:
            self._writes.schedule(room.room_id)

    def decided(self, room: RoomDoc) -> None:
        self.accepted_changed(room)

    def tell(self, kind: str, room_id: str, proposal: dict[str, Any], actor: dict[str, Any]) -> None:
        """The one place each proposal event happens (made, updated, withdrawn, accepted, countered,
        declined): the room's activity and mails hang here."""
        event = ProposalEvent(kind, room_id, public_view(proposal), dict(actor))
        log.info("proposal %s %s in room %s by %s", proposal["id"], kind, room_id, actor.get("name"))
        for listener in self.listeners:
            try:
                listener(event)
            except Exception:
                log.exception("a listener of proposal events failed")

    # --- writing -------------------------------------------------------------------------------

    async def _write(self, room_id: str) -> None:
        found = self._state(room_id)
        if found is None:
            return
        room, state = found
        shown = [public_view(p) for p in self.pending(room_id) or []]
        current = room.doc.get("computed", type=Map).get(PROPOSALS)
        same_proposals = current == shown or (current is None and not shown)
        accepted = self._accepted_values(state)
        recorded = state.recorded if state.recorded is not None else read_accepted(room.doc)
        stale = {
            key: value
            for key, value in accepted.items()
            if recorded is None or not _same(recorded.get(key, _GONE), value)
        }
        gone = [key for key in recorded or {} if key not in accepted]
        if same_proposals and not stale and not gone:  # (a room with no subject yet needs no record)
            state.recorded = recorded
            return

        def change(doc: Doc) -> None:
            # One transaction: the proposals and the accepted values are durable together.
            computed = doc.get("computed", type=Map)
            if not same_proposals:
                computed[PROPOSALS] = shown
            record = computed.get(ACCEPTED)
            if not isinstance(record, Map):
                computed[ACCEPTED] = Map(accepted)
                return
            for key in gone:
                del record[key]
            for key, value in stale.items():
                record[key] = value

        try:
            await room.server_write(change)
        except Exception:
            state.recorded = None
            log.exception("could not store the proposals of room %s", room_id)
            return
        state.recorded = accepted

    def idle(self, room_id: str) -> bool:
        return self._writes.idle(room_id)

    async def stop(self) -> None:
        await self._writes.stop()


_GONE: Any = object()


def _same(recorded: Any, live: Any) -> bool:
    return recorded is live or recorded == live


def _words(content: Any) -> str:
    return words(content if isinstance(content, list) else [])
