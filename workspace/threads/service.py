"""Thread actions: check, write through the room's durable server path, tell who needs telling.

Every action is one call here (`open`, `reply`, `resolve`, `reopen`); each ends in `_announce`, which hands a
`ThreadEvent` to every hook in `Threads.hooks` (the room's activity feed records it there) and queues the
mentions for the mail digest (`workspace.notify.digest`).
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from starlette.concurrency import run_in_threadpool

from workspace.auth.models import User
from workspace.auth.principal import principal_for
from workspace.errors import InvalidInput, NotFound, PermissionDenied
from workspace.notify import digest
from workspace.rooms.access import RoomAccess, role_in
from workspace.rooms.models import Room, RoomRole
from workspace.storage.base import utcnow
from workspace.sync.documents import DocName
from workspace.sync.manager import RoomManager
from workspace.sync.room import RoomDoc
from workspace.threads import writes
from workspace.threads.anchors import check_anchor
from workspace.threads.mentions import MAX_MENTIONS, mentioned_ids, plain_text
from workspace.threads.model import Author, Kind, Visibility, all_threads, thread_view, threads_of

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ThreadEvent:
    """One thread action, for the activity feed: `action` is opened, replied, resolved or reopened. An internal
    thread's events are internal (`visibility`)."""

    room_id: str
    thread_id: str
    action: str
    kind: str
    visibility: str
    actor: Author
    at: str
    text: str | None = None


Hook = Callable[[ThreadEvent], Awaitable[None]]


@dataclass(frozen=True)
class Recipient:
    user_id: int
    is_internal: bool


Acted = tuple[ThreadEvent, list[Recipient]]


def _new_id(prefix: str) -> str:
    return f"{prefix}_{secrets.token_urlsafe(9)}"


class Threads:
    def __init__(self, rooms: RoomManager, sessions: sessionmaker[Session], public_url: str,
                 on_disputes_changed: Callable[[RoomDoc], None] = lambda room: None,
                 wake_digest: Callable[[], None] = lambda: None) -> None:  # fmt: skip
        self.rooms = rooms
        self.sessions = sessions
        self.public_url = public_url.rstrip("/")
        # Told when an external dispute opens, closes or reopens: the approval fact `open_disputes` changed.
        self.on_disputes_changed = on_disputes_changed
        self.wake_digest = wake_digest
        # Told of every thread action, after it is stored (the activity feed's `record` goes here).
        self.hooks: list[Hook] = []

    # --- reading --------------------------------------------------------------------------------------

    async def visible(self, room_id: str, internal: bool) -> list[dict[str, Any]]:
        """The room's threads the caller may see: external ones, and internal ones for internal people."""
        names = [DocName.SHARED, DocName.INTERNAL] if internal else [DocName.SHARED]
        found: list[dict[str, Any]] = []
        for name in names:
            found.extend(all_threads(await self.rooms.current_doc(room_id, name)))
        return sorted(found, key=lambda view: (str(view.get("createdAt", "")), view["id"]))

    # --- actions --------------------------------------------------------------------------------------

    async def open(self, access: RoomAccess, author: Author, kind: Kind, visibility: Visibility,
                   anchor: object, text: str) -> dict[str, Any]:  # fmt: skip
        """Open a thread with its first message; InvalidInput for an anchor that does not hold."""
        if visibility is Visibility.INTERNAL and not access.role.is_internal:
            raise PermissionDenied("customers cannot open internal threads: they are the vendor's own")
        room_id = access.room.id
        recipients = await self._recipients(room_id, text, visibility, author)
        thread_id, at = _new_id("t"), utcnow().isoformat()
        shared = await self.rooms.acquire(room_id, DocName.SHARED)
        try:
            stored_anchor = check_anchor(anchor, shared.doc, shared.guard.layout)
            external = visibility is Visibility.EXTERNAL
            target = shared if external else await self.rooms.acquire(room_id, DocName.INTERNAL)
            try:
                change = writes.create(thread_id, kind, visibility, stored_anchor, author, _new_id("m"), text, at)
                await target.server_write(change)
                view = self._view(target, thread_id)
            finally:
                if target is not shared:
                    self.rooms.release(room_id, DocName.INTERNAL)
            if kind is Kind.DISPUTE and visibility is Visibility.EXTERNAL:
                self.on_disputes_changed(shared)
        finally:
            self.rooms.release(room_id, DocName.SHARED)
        await self._announce(ThreadEvent(room_id, thread_id, "opened", kind.value, visibility.value, author, at, text),
                             recipients)  # fmt: skip
        return view

    async def reply(self, access: RoomAccess, author: Author, thread_id: str, text: str) -> dict[str, Any]:
        at = utcnow().isoformat()

        async def act(room: RoomDoc, view: dict[str, Any]) -> Acted:
            visibility = Visibility(view["visibility"])
            recipients = await self._recipients(access.room.id, text, visibility, author)
            await room.server_write(writes.reply(thread_id, author, _new_id("m"), text, at))
            event = ThreadEvent(access.room.id, thread_id, "replied", view["kind"], visibility.value, author, at, text)
            return event, recipients

        return await self._act(access, thread_id, act)

    async def resolve(self, access: RoomAccess, author: Author, thread_id: str) -> dict[str, Any]:
        return await self._set_state(access, author, thread_id, "resolved")

    async def reopen(self, access: RoomAccess, author: Author, thread_id: str) -> dict[str, Any]:
        return await self._set_state(access, author, thread_id, "reopened")

    async def _set_state(self, access: RoomAccess, author: Author, thread_id: str, action: str) -> dict[str, Any]:
        at = utcnow().isoformat()

        async def act(room: RoomDoc, view: dict[str, Any]) -> Acted:
            opener = view.get("createdBy", {}).get("id")
            if opener != author.id and access.role is not RoomRole.REP:
                verb = "resolve" if action == "resolved" else "reopen"
                raise PermissionDenied(f"only the person who opened this thread or the rep may {verb} it")
            change = writes.resolve if action == "resolved" else writes.reopen
            await room.server_write(change(thread_id, author, at))
            if view["kind"] == Kind.DISPUTE and room.name is DocName.SHARED:
                self.on_disputes_changed(room)
            return ThreadEvent(access.room.id, thread_id, action, view["kind"], view["visibility"], author, at), []

        return await self._act(access, thread_id, act)

    async def _act(
        self, access: RoomAccess, thread_id: str, act: Callable[[RoomDoc, dict[str, Any]], Awaitable[Acted]]
    ) -> dict[str, Any]:
        """Find the thread (the shared document, then the internal one for internal people), act on it and
        announce what happened. A customer asking for an internal thread gets what a wrong id gets: 404."""
        room_id = access.room.id
        names = [DocName.SHARED, DocName.INTERNAL] if access.role.is_internal else [DocName.SHARED]
        for name in names:
            room = await self.rooms.acquire(room_id, name)
            try:
                view = thread_view(threads_of(room.doc).get(thread_id))
                if view is None:
                    continue
                event, recipients = await act(room, view)
                result = self._view(room, thread_id)
            finally:
                self.rooms.release(room_id, name)
            await self._announce(event, recipients)
            return result
        raise NotFound("no such thread in this room")

    @staticmethod
    def _view(room: RoomDoc, thread_id: str) -> dict[str, Any]:
        view = thread_view(threads_of(room.doc).get(thread_id))
        assert view is not None  # just written, and committed before server_write returned
        return view

    # --- mentions and hooks ---------------------------------------------------------------------------

    async def _recipients(self, room_id: str, text: str, visibility: Visibility, author: Author) -> list[Recipient]:
        """The people `text` mentions, checked to be in the room (InvalidInput naming one who is not). Only the
        vendor's people are told of an internal thread: a customer cannot see it."""
        ids = mentioned_ids(text)
        if not ids:
            return []
        if len(ids) > MAX_MENTIONS:
            raise InvalidInput(f"a message may mention at most {MAX_MENTIONS} people")

        def work() -> list[Recipient]:
            with self.sessions.begin() as db:
                room = db.get(Room, room_id)
                assert room is not None
                found = {user.id: user for user in db.scalars(select(User).where(User.id.in_(ids)))}
                recipients = []
                for person in ids:
                    user = found.get(person)
                    role = role_in(db, principal_for(user), room) if user is not None and user.is_active else None
                    if user is None or role is None:
                        raise InvalidInput(f"the message mentions someone who is not in this room (id {person})")
                    recipients.append(Recipient(user.id, role.is_internal))
                return recipients

        found = await run_in_threadpool(work)
        internal_only = visibility is Visibility.INTERNAL
        return [r for r in found if r.user_id != author.id and (r.is_internal or not internal_only)]

    async def _announce(self, event: ThreadEvent, recipients: list[Recipient]) -> None:
        if recipients and event.text is not None:
            link = f"{self.public_url}/rooms/{event.room_id}?thread={event.thread_id}"
            line = f"{event.actor.name} mentioned you in a {event.kind}: {plain_text(event.text)}"

            def queue() -> None:
                with self.sessions.begin() as db:
                    for recipient in recipients:
                        digest.enqueue(db, recipient.user_id, event.room_id, line, link)

            try:
                await run_in_threadpool(queue)
                self.wake_digest()
            except Exception:  # the thread is stored and seen live; a lost mail must not fail the request
                log.exception("could not queue the mentions of thread %s", event.thread_id)
        for hook in list(self.hooks):
            try:
                await hook(event)
            except Exception:
                log.exception("a thread hook failed on %s of %s", event.action, event.thread_id)


def author_for(access: RoomAccess, user_id: int, name: str) -> Author:
    """The author as the server knows them: their account's id and name, their role in this room."""
    return Author(user_id, name, access.role.value)
