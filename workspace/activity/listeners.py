"""What the room's record and its mails hear from threads and proposals, and whom a deal desk tells.

Threads and proposals each announce their actions in one place (`Threads.hooks`, `Tracker.listeners`);
this module turns every action into an event of the room's activity (internal threads stay internal) and
queues the mails of the issue's rules through the mail digest (at most one mail per person per room per
`DEALROOM_DIGEST_MINUTES`): the rep hears when the customer proposes, the customer when the vendor answers
their thread. An approver's decision is mailed to the rep by `decided_mail`, called by the decision route.
"""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING, Any

from pycrdt import Map
from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from workspace.activity.events import MAX_SUMMARY, Actor, Audience, add
from workspace.activity.models import RoomEvent
from workspace.auth.models import User
from workspace.notify import digest
from workspace.rooms.models import Membership, RoomRole
from workspace.storage.base import utcnow
from workspace.sync.documents import DocName

if TYPE_CHECKING:
    from workspace.proposals.tracker import ProposalEvent
    from workspace.services import Services
    from workspace.threads.service import ThreadEvent

log = logging.getLogger(__name__)

_OPENED = {"question": "asked a question", "dispute": "raised a dispute", "note": "left a note"}
_THREAD_VERBS = {"replied": "replied to a {kind}", "resolved": "resolved a {kind}", "reopened": "reopened a {kind}"}
_PROPOSAL_VERBS = {
    "made": "proposed", "updated": "changed the proposal of", "withdrawn": "withdrew the proposal of",
    "accepted": "accepted the proposal of", "countered": "countered the proposal of",
    "declined": "declined the proposal of",
}  # fmt: skip
_FIELD_WORDS = {"qty": "the quantity", "discountPct": "the discount"}
_QUOTE = 160
_MADE_LOOKBACK = 200  # "made" events searched for the one an update refreshes


def _quote(text: str | None) -> str:
    if not text:
        return ""
    flat = " ".join(text.split())
    return f": “{flat[:_QUOTE]}{'…' if len(flat) > _QUOTE else ''}”"


def thread_summary(event: ThreadEvent) -> str:
    if event.action == "opened":
        said = _OPENED.get(event.kind, f"opened a {event.kind}")
    else:
        said = _THREAD_VERBS.get(event.action, event.action + " a {kind}").format(kind=event.kind)
    return f"{event.actor.name} {said}{_quote(event.text)}"


def _value(value: object, field: str) -> str:
    """A line's value as people write it: 150 (the document's numbers are floats), a discount in percent."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return f"{value}%" if field == "discountPct" and isinstance(value, int | float) else str(value)


def proposal_summary(event: ProposalEvent, kind: str | None = None, values: bool = True) -> str:
    """What the event says (as `kind` when given); a line's proposed values only with `values`."""
    proposal, name, kind = event.proposal, event.actor.get("name") or "Someone", kind or event.kind
    subject = proposal.get("subject") or {}
    verb = _PROPOSAL_VERBS.get(kind, kind)
    if proposal.get("kind") == "line":
        field = str(subject.get("field"))
        what = f"{_FIELD_WORDS.get(field, 'a value')} of a line"
        if not values or kind not in ("made", "updated"):
            return f"{name} {verb} {what}"
        return f"{name} {verb} {what} ({_value(proposal.get('from'), field)} → {_value(proposal.get('to'), field)})"
    return f"{name} {verb} a clause's wording"


def members_with(db: Session, room_id: str, role: RoomRole) -> list[int]:
    """The room's active members of `role` (a deactivated person is mailed nothing)."""
    rows = (
        select(Membership.user_id).join(User, User.id == Membership.user_id)
        .where(Membership.room_id == room_id, Membership.role == role.value, User.is_active.is_(True))
    )  # fmt: skip
    return list(db.scalars(rows))


class Listeners:
    """Subscribed to threads and proposals when the app starts (`Services.create`)."""

    def __init__(self, services: Services) -> None:
        self.services = services
        self._tasks: set[asyncio.Task[None]] = set()
        self._proposal_lock = asyncio.Lock()

    def subscribe(self) -> None:
        self.services.threads.hooks.append(self.on_thread)
        self.services.proposals.listeners.append(self.on_proposal)

    async def stop(self) -> None:
        await asyncio.gather(*self._tasks, return_exceptions=True)

    def _link(self, room_id: str, query: str = "") -> str:
        return f"{self.services.settings.public_url.rstrip('/')}/rooms/{room_id}{query}"

    async def on_thread(self, event: ThreadEvent) -> None:
        internal = event.visibility == "internal"
        opener = None if internal or event.action != "replied" else await self._thread_opener(event)
        # The customer hears when the vendor answers the thread they opened (an internal thread never reaches them).
        tell = opener if opener is not None and opener != event.actor.id and event.actor.role != "customer" else None
        summary = thread_summary(event)

        def work() -> None:
            with self.services.sessions.begin() as db:
                add(db, event.room_id, f"thread.{event.action}", actor=Actor(event.actor.id, event.actor.name,
                    event.actor.role), audience=Audience.INTERNAL if internal else Audience.EVERYONE,
                    subject={"thread_id": event.thread_id, "kind": event.kind}, summary=summary)  # fmt: skip
                if tell is not None and tell in members_with(db, event.room_id, RoomRole.CUSTOMER):
                    link = self._link(event.room_id, f"?thread={event.thread_id}")
                    digest.enqueue(db, tell, event.room_id, summary, link)

        await run_in_threadpool(work)
        if tell is not None:
            self.services.digest.wake()

    async def _thread_opener(self, event: ThreadEvent) -> int | None:
        doc = await self.services.rooms.current_doc(event.room_id, DocName.SHARED)
        thread: Any = doc.get("comments", type=Map).get(event.thread_id)
        created = thread.get("createdBy") if thread is not None else None
        by = created.get("id") if created is not None else None
        return int(by) if isinstance(by, int | float) and not isinstance(by, bool) else None

    def on_proposal(self, event: ProposalEvent) -> None:
        """Called synchronously by the tracker: record (and mail) in a task of its own. The tasks take a
        lock in the order they were made (asyncio's lock is first come, first served): an update finds the
        "made" event it refreshes."""
        task = asyncio.get_running_loop().create_task(self._proposal(event))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _proposal(self, event: ProposalEvent) -> None:
        async with self._proposal_lock:
            await self._proposal_now(event)

    async def _proposal_now(self, event: ProposalEvent) -> None:
        actor_id = event.actor.get("id")
        actor = Actor(int(actor_id), str(event.actor.get("name") or ""), str(event.actor.get("role") or "")) \
            if isinstance(actor_id, int) else None  # fmt: skip
        summary = proposal_summary(event)
        proposal_id = event.proposal.get("id")
        # The rep hears of a customer's new proposal; the mail names no value (the customer may be typing on:
        # the first mail goes at once), the room shows the proposal as it stands.
        mail_rep = event.kind == "made"

        def work() -> None:
            with self.services.sessions.begin() as db:
                if event.kind == "updated":
                    # A customer typing on is no new event: the "made" event shows the proposal's values now.
                    made = _made_event(db, event.room_id, proposal_id)
                    if made is not None:
                        made.summary = proposal_summary(event, "made")[:MAX_SUMMARY]
                        made.last_at = utcnow()
                        made.edits += 1
                    return
                add(db, event.room_id, f"proposal.{event.kind}", actor=actor, audience=Audience.EVERYONE,
                    subject={"proposal_id": proposal_id, "kind": event.proposal.get("kind")},
                    summary=summary)  # fmt: skip
                if mail_rep:
                    line = proposal_summary(event, values=False)
                    for rep in members_with(db, event.room_id, RoomRole.REP):
                        digest.enqueue(db, rep, event.room_id, line, self._link(event.room_id))

        try:
            await run_in_threadpool(work)
        except Exception:  # the proposal stands in the room; its record or mail must not break the tracker
            log.exception("could not record proposal %s", event.proposal.get("id"))
            return
        if mail_rep:
            self.services.digest.wake()


def _made_event(db: Session, room_id: str, proposal_id: object) -> RoomEvent | None:
    """The "made" event of a proposal, among the room's latest ones (a proposal is made, then typed on)."""
    latest = db.scalars(
        select(RoomEvent).where(RoomEvent.room_id == room_id, RoomEvent.kind == "proposal.made")
        .order_by(RoomEvent.id.desc()).limit(_MADE_LOOKBACK)
    )  # fmt: skip
    return next((row for row in latest if (row.subject or {}).get("proposal_id") == proposal_id), None)


def decided_mail(db: Session, services: Services, room_id: str, line: str) -> None:
    """Queue the rep's mail of an approver's decision (in the decision's transaction)."""
    link = f"{services.settings.public_url.rstrip('/')}/rooms/{room_id}"
    for rep in members_with(db, room_id, RoomRole.REP):
        digest.enqueue(db, rep, room_id, line, link)
