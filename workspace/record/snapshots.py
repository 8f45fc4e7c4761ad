"""Taking a version of a room: its shared document as it is now, priced, as a Snapshot; and keeping it.

Snapshots are taken where the room's story turns (a submit, a decision, an export), on demand, and when a
member has looked. A snapshot after an action that already happened must never undo it: a failure to keep one
is logged, and the action stands.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from workspace.derive import RoomDeal, pinned_book, price_room
from workspace.errors import NotFound
from workspace.record import store
from workspace.record.plain import plain_view, read_parts
from workspace.record.store import Snapshot
from workspace.storage.base import utcnow
from workspace.sync.documents import DocName

if TYPE_CHECKING:
    from workspace.services import Services

log = logging.getLogger(__name__)


async def public_quote(svc: Services, room_id: str, room_deal: RoomDeal) -> dict[str, Any] | None:
    """The room's public quote for `room_deal`, priced on its pinned book (None without a price book)."""

    def book(db: Session) -> Any:
        return pinned_book(db, svc.catalog, room_id)

    def read() -> Any:
        with svc.sessions.begin() as db:
            return book(db)

    try:
        price_book, plan = await run_in_threadpool(read)
    except NotFound:
        return None
    return (await run_in_threadpool(price_room, room_deal, price_book, plan)).public


async def snapshot_now(svc: Services, room_id: str) -> Snapshot:
    """The room's shared document as it is now, with its plain view (priced now, not as last derived)."""
    doc = await svc.rooms.current_doc(room_id, DocName.SHARED)
    # Read together, with no await between: the state, the parts and the fingerprint are of one moment.
    state = doc.get_update()
    room_deal = RoomDeal.read(doc, svc.deriver.vendor)
    deal, lines = read_parts(doc)
    quote = await public_quote(svc, room_id, room_deal)
    plain = await run_in_threadpool(plain_view, deal, lines, room_deal.terms, room_deal.fingerprint, quote)
    return Snapshot(state, plain, room_deal.fingerprint)


async def take(svc: Services, room_id: str, reason: str, label: str, user_id: int | None) -> dict[str, Any]:
    """Keep the room as it is now as its next version; returns the version as internal people see it."""
    snapshot = await snapshot_now(svc, room_id)
    now = utcnow()

    def keep() -> dict[str, Any]:
        with svc.sessions.begin() as db:
            author = store.author_of(db, room_id, user_id)
            return store.version_view(store.add_version(db, room_id, reason, label, author, snapshot, now), False)

    return await run_in_threadpool(keep)


async def take_after(svc: Services, room_id: str, reason: str, label: str, user_id: int | None) -> None:
    """`take`, after an action that has happened already (a submit, a decision, an export): a version that
    cannot be kept is logged, never turned into a failure of the action."""
    try:
        await take(svc, room_id, reason, label, user_id)
    except Exception:
        log.exception("could not keep a %s version of room %s", reason, room_id)
