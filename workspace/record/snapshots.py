"""Taking a version of a room: its shared document as it is now, priced, as a Snapshot; and keeping it.

Snapshots are taken where the room's story turns (a submit, a decision, an export), on demand, and when a
member has looked; comparing with the room "now" takes one too. Reading a 200-line room and pricing it costs
tens of milliseconds, so the last few are remembered by the document's state and the price book they
were priced on: asking again while nobody has changed the room costs nothing.

A snapshot after an action that already happened must never undo it: a failure to keep one is logged, and the
action stands.
"""

from __future__ import annotations

import hashlib
import logging
from collections import OrderedDict
from typing import TYPE_CHECKING, Any

from pycrdt import Array, Map
from starlette.concurrency import run_in_threadpool

from workspace.clause_library.deviations import read_terms
from workspace.deal import deal_input_of, fingerprint_of
from workspace.derive import pinned_book
from workspace.errors import NotFound
from workspace.pricing import PriceBook, price_deal, public_view
from workspace.proposals.accepted import accepted_fingerprint
from workspace.record import store
from workspace.record.plain import plain_parts, plain_view
from workspace.record.store import Snapshot
from workspace.storage.base import utcnow
from workspace.sync.documents import DocName

if TYPE_CHECKING:
    from workspace.services import Services

log = logging.getLogger(__name__)

# Rooms being looked at in one process at a time, give or take: each entry is a room's plain view.
_REMEMBERED = 32
_recent: OrderedDict[tuple[int, str, bytes, int | None], Snapshot] = OrderedDict()


async def _book(svc: Services, room_id: str) -> PriceBook | None:
    def read() -> PriceBook:
        with svc.sessions.begin() as db:
            return pinned_book(db, svc.catalog, room_id)[0]

    try:
        return await run_in_threadpool(read)
    except NotFound:
        return None


def _priced_view(
    deal: Any, lines: Any, terms: dict[str, Any], fingerprint: str, book: PriceBook | None
) -> dict[str, Any]:
    quote = public_view(price_deal(deal_input_of(deal, lines), book)) if book is not None else None
    shown_deal, shown_lines = plain_parts(deal, lines)
    return plain_view(shown_deal, shown_lines, terms, fingerprint, quote)


async def snapshot_now(svc: Services, room_id: str) -> Snapshot:
    """The room's shared document as it is now, with its plain view (priced now, not as last derived)."""
    book = await _book(svc, room_id)
    doc = await svc.rooms.current_doc(room_id, DocName.SHARED)
    # From here on nothing awaits until the document is read: the state, parts and fingerprint are of one moment.
    # Keyed by the whole state, not the state vector: a deletion leaves the state vector as it was.
    state = doc.get_update()
    digest = hashlib.blake2b(state, digest_size=16).digest()
    # Per app (its catalog): two apps in one process (tests) may hold the same room id with other price books.
    key = (id(svc.catalog), room_id, digest, book.version if book is not None else None)
    remembered = _recent.get(key)
    if remembered is not None:
        _recent.move_to_end(key)
        return remembered
    terms = read_terms(doc)
    deal, lines = doc.get("deal", type=Map).to_py() or {}, doc.get("lines", type=Array).to_py() or []
    # The very fingerprint approvals bind to (workspace.deal): the room as accepted, a pending proposal taken back.
    pending = svc.proposals.pending_in(room_id, doc)
    fingerprint = accepted_fingerprint(doc, pending) if pending else fingerprint_of(deal, lines, terms)
    plain = await run_in_threadpool(_priced_view, deal, lines, terms, fingerprint, book)
    snapshot = Snapshot(state, plain, fingerprint)
    _recent[key] = snapshot
    while len(_recent) > _REMEMBERED:
        _recent.popitem(last=False)
    return snapshot


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
