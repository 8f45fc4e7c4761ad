"""The write guard: who may write which part of a room's documents.

An update is applied to a twin of the room's document first. Observers on the twin tell exactly
what the update changes; if any change lies outside what the sender's role may write, the update is
refused, the twin is rebuilt, and the real document, the log and the other clients never see it.
This is the Yjs author's advice: reject unauthorised updates (the client then resyncs) rather than
try to roll them back.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from pycrdt import Array, Doc, Map, Subscription, TransactionEvent, XmlFragment, XmlText, get_update

from workspace.errors import DealroomError, InvalidInput, PermissionDenied
from workspace.pricing.entry import PriceLimits, deal_problem, line_problem, removed
from workspace.rooms.models import RoomRole
from workspace.settings import Settings
from workspace.sync.documents import ROOT_TYPES, DocName, new_doc
from workspace.sync.pins import check_customer_pins, clause_pins
from workspace.sync.placement import Layout, Placed
from workspace.sync.quota import Quota
from workspace.sync.schema import check_item
from workspace.sync.structs import TypeRef, decode_update
from workspace.sync.wire import Reader, read_state_vector

log = logging.getLogger(__name__)

# Roots each role may write freely. Everything else is refused, except the customer's
# conditional rights on `deal` and `lines` checked below. `computed` is written by the server only, and so
# are the threads in `comments` (both documents): the server sets their authors, states and anchors.
WRITABLE: dict[RoomRole, dict[DocName, frozenset[str]]] = {
    RoomRole.REP: {DocName.SHARED: frozenset({"terms", "deal", "lines"}), DocName.INTERNAL: frozenset({"notes"})},
    RoomRole.LEGAL: {DocName.SHARED: frozenset({"terms"}), DocName.INTERNAL: frozenset({"notes"})},
    RoomRole.APPROVER: {DocName.INTERNAL: frozenset({"notes"})},
    RoomRole.CUSTOMER: {DocName.SHARED: frozenset({"terms"})},
    RoomRole.VIEWER: {},
}

# At most 123 bytes: it is also the close frame's reason.
THREADS_BY_API = (
    "threads are written through POST /api/rooms/{id}/threads, not the document: the server sets who wrote what"
)

# What a customer may change on an unlocked line when the room allows customer pricing.
CUSTOMER_LINE_FIELDS = frozenset({"qty", "discountPct", "note"})

_NO_NEW_LINES = "customers may change quantities, discounts and notes, not add or remove lines"
_KIND: dict[type, TypeRef] = {XmlFragment: TypeRef.XML_FRAGMENT, Map: TypeRef.MAP, Array: TypeRef.ARRAY}
ROOT_KINDS = {name: {root: int(_KIND[kind]) for root, kind in roots.items()} for name, roots in ROOT_TYPES.items()}


@dataclass(frozen=True)
class WriteContext:
    """Who is writing, what the room has opened to customers, and what the room's pinned price book
    prices (None without a price book: then any SKU and currency is taken, as nothing is priced)."""

    role: RoomRole
    customer_may_edit_pricing: bool = False
    customer_deal_fields: frozenset[str] = frozenset()
    prices: PriceLimits | None = None
    # The room takes the customer's changes as they come instead of as proposals (`workspace.proposals`).
    customer_changes_direct: bool = False
    # Who sends (for the room's record of who changed what); None for the server and in tests.
    actor_id: int | None = None
    actor_name: str = ""


@dataclass(frozen=True)
class Change:
    """One observed change on the twin: which root, where below it, which keys (with their new values,
    `removed` for a removed key), and for an array the items it inserted (as plain values)."""

    root: str
    path: tuple[int | str, ...]
    is_map: bool
    keys: frozenset[str]
    line_id: object = None
    values: Mapping[str, object] = field(default_factory=dict)
    inserted: tuple[object, ...] = ()
    is_text: bool = False  # a change inside an XmlText: its characters and marks, never which blocks exist


@dataclass
class _Observation:
    changes: list[Change] = field(default_factory=list)
    delta: bytes | None = None


class Guard:
    """Checks client updates for one document of one room."""

    def __init__(
        self,
        name: DocName,
        source: Callable[[], list[bytes]],
        max_bytes: int = Settings.room_max_bytes,
        max_items: int = Settings.max_items_per_update,
    ) -> None:
        self.name = name
        self._source = source
        self._max_bytes = max_bytes
        self._max_items = max_items
        self._seen = _Observation()
        self._subscriptions: list[Subscription] = []
        # Built on the first write and dropped when writes stop (see `release`): an idle room
        # then costs one document, not two.
        self._twin: Doc | None = None
        self._quota: Quota | None = None
        # Where every accepted item sits. Kept while the room is loaded: building it reads every
        # struct of the document, which the twin's rebuild after a refusal must not cost again.
        self._layout: Layout | None = None
        # The twin's clause pins, read once per change of the terms rather than twice per customer update.
        self._pins: Counter[tuple[str, str]] | None = None
        self.last_used = time.monotonic()

    async def prepare(self, updates: list[bytes]) -> None:
        """Build the layout of the document these updates make, off the event loop (at a room's load)."""
        self._layout = await asyncio.to_thread(Layout.from_log, ROOT_KINDS[self.name], updates)

    @property
    def layout(self) -> Layout:
        if self._layout is None:
            self._layout = Layout.build(ROOT_KINDS[self.name], self._source())
        return self._layout

    @property
    def twin(self) -> Doc:
        if self._twin is None:
            self._twin = self._build_twin()
        return self._twin

    def _build_twin(self) -> Doc:
        twin = new_doc(self.name)
        for update in self._source():
            twin.apply_update(update)
        # Subscriptions end when their Python objects are freed: keep them with the twin.
        self._subscriptions = [
            twin.get(root, type=kind).observe_deep(self._observer(root)) for root, kind in ROOT_TYPES[self.name].items()
        ]
        self._subscriptions.append(twin.observe(self._on_transaction))
        self._quota = Quota(self.name, twin, self._max_bytes)
        return twin

    def _observer(self, root: str) -> Callable[[list[Any]], None]:
        def record(events: list[Any]) -> None:
            for event in events:
                target = event.target
                is_map = isinstance(target, Map)
                found = (getattr(event, "keys", {}) or {}) if is_map else {}
                keys = frozenset(found)
                line_id = target.get("id") if is_map and root == "lines" else None
                values: dict[str, object] = {}
                inserted: tuple[object, ...] = ()
                if root in _VALUE_CHECKED:  # only values the guard checks are read
                    values = {key: _new_value(action) for key, action in found.items()}
                    if not is_map:
                        inserted = tuple(_plain(item) for part in event.delta for item in part.get("insert", ()))
                self._seen.changes.append(
                    Change(
                        root, tuple(event.path), is_map, keys, line_id, values, inserted, isinstance(target, XmlText)
                    )
                )

        return record

    def _on_transaction(self, event: TransactionEvent) -> None:
        self._seen.delta = event.update

    def rebuild(self) -> None:
        """Drop the twin and the layout; both are rebuilt from the room's accepted updates when next needed
        (after a change that was accepted here could not be stored)."""
        self.release()
        self._layout = None

    def release(self) -> None:
        """Drop the twin (the layout stays: it changes only with accepted updates)."""
        self._twin = None
        self._quota = None
        self._pins = None
        self._subscriptions = []

    @property
    def observed(self) -> tuple[Change, ...]:
        """What the last accepted `check` or `local_change` changed, as the twin's observers saw it."""
        return tuple(self._seen.changes)

    @property
    def is_built(self) -> bool:
        return self._twin is not None

    def local_change(self, change: Callable[[Doc], None]) -> bytes | None:
        """Make a server change on the twin and return it as an update (None if it changed nothing).
        The server writes what no client may (`computed`), so this bypasses the role checks."""
        self.last_used = time.monotonic()
        twin = self.twin
        self._seen = _Observation()
        with twin.transaction(origin="server"):
            change(twin)
        delta = self._seen.delta
        if any(change.root == "terms" and not change.is_text for change in self._seen.changes):
            self._pins = None
        if delta is not None:
            try:
                self.layout.add(self.layout.place(decode_update(delta)))
            except DealroomError:  # not expected of the server's own change: read the document afresh
                log.exception("the layout could not place a server change of %s; rebuilding it", self.name)
                self._layout = None
            if self._quota is not None:
                self._quota.grew(delta)
        return delta

    def check(self, update: bytes, context: WriteContext) -> bytes | None:
        """Apply `update` to the twin. Return the effective change (None when it changes nothing); raise
        PermissionDenied, InvalidInput or TooLarge, leaving the twin as before, when it is refused."""
        self.last_used = time.monotonic()
        layout = self.layout
        twin = self.twin
        customer = context.role is RoomRole.CUSTOMER and self.name is DocName.SHARED
        locked_before = self._line_locks(twin) if customer else {}
        pins_before = self._clause_pins(twin) if customer else None
        pins_after: Counter[tuple[str, str]] | None = None
        self._seen = _Observation()
        # Read first, with the item limit: an update of a million tiny items is refused before the twin
        # (or anything else) spends time on it.
        try:
            structs = decode_update(update, self._max_items)
        except InvalidInput as exc:  # the reader says what is wrong with the bytes; say what they were
            detail = str(exc)
            raise InvalidInput(
                detail if detail.startswith("malformed update") else f"malformed update: {detail}"
            ) from exc
        try:
            twin.apply_update(update)
        except Exception as exc:  # pycrdt raises plain exceptions for undecodable updates
            self.release()
            raise InvalidInput(f"malformed update: {exc}") from exc
        try:
            self._check_complete(twin, update)
            # Only an item naming a root by name can add one: reading the twin's roots (a Python object per
            # root) is left to the updates that name a root this document does not declare.
            roots = ROOT_TYPES[self.name]
            if any(type(item.parent) is str and item.parent not in roots for item in structs):
                self._check_roots(twin)
            for change in self._seen.changes:
                self._check_change(change, context, locked_before)
            # What the observers cannot see: every item, where Yjs puts it, whether it shows or not.
            placed = layout.place(structs)
            for item in placed:
                self._check_item_root(item, context)
            for item in placed:
                check_item(self.name, item)
            # Typing changes only an XmlText: which clause blocks the terms hold stays as it was.
            touched_terms = any(change.root == "terms" and not change.is_text for change in self._seen.changes)
            if pins_before is not None and touched_terms:
                pins_after = clause_pins(twin)
                check_customer_pins(pins_before, pins_after)
            # Who may write comes first; then whether what they wrote is a value the room can take.
            if self.name is DocName.SHARED:
                for change in self._seen.changes:
                    self._check_values(change, context)
            assert self._quota is not None
            if self._seen.delta is not None:
                self._quota.check(twin, placed, self._seen.delta)
        except DealroomError:
            self.release()
            raise
        layout.add(placed)
        self._quota.accept()
        if touched_terms:
            self._pins = pins_after  # None when not read: read again when next needed
        return self._seen.delta

    def _clause_pins(self, twin: Doc) -> Counter[tuple[str, str]]:
        if self._pins is None:
            self._pins = clause_pins(twin)
        return self._pins

    def _check_item_root(self, item: Placed, context: WriteContext) -> None:
        """Who may write where, for items the observers do not see (they fire for visible changes only)."""
        if item.parent is None:
            return  # dropped by Yjs: its parent was deleted
        root = item.parent.root
        role = context.role
        if root in WRITABLE[role].get(self.name, frozenset()):
            return
        if role is RoomRole.CUSTOMER and self.name is DocName.SHARED:
            if root == "deal" and (item.key is None or item.key in context.customer_deal_fields):
                return  # a keyless item is a shape error, said as such by `check_item`
            if root == "lines":
                if not context.customer_may_edit_pricing:
                    raise PermissionDenied("this room does not allow the customer to edit pricing")
                if item.parent.depth == 0 and item.key is None:
                    raise PermissionDenied(_NO_NEW_LINES)
                if item.parent.depth != 1 or item.key is None or item.key in CUSTOMER_LINE_FIELDS:
                    return
                raise PermissionDenied(f"customers may not change {item.key} on a line")
        if role is RoomRole.VIEWER:
            raise PermissionDenied("read-only members cannot edit this room")
        if root == "comments":
            raise PermissionDenied(THREADS_BY_API)
        raise PermissionDenied(f"a {role.value} may not write {root!r} in the {self.name} document")

    def _line_locks(self, twin: Doc) -> dict[object, bool]:
        lines = twin.get("lines", type=Array) if self.name is DocName.SHARED else None
        if lines is None:
            return {}
        locks: dict[object, bool] = {}
        for line in lines:
            if isinstance(line, Map):
                locks[line.get("id")] = bool(line.get("locked", False))
        return locks

    def _check_complete(self, twin: Doc, update: bytes) -> None:
        """Refuse updates that depend on content the server does not have. Yjs would park such
        parts as pending and integrate them later, inside somebody else's update, past the guard."""
        state = twin.get_state()
        rest = Reader(get_update(update, state))
        if rest.var_uint() != 0:
            raise InvalidInput("update depends on changes the server does not have; resync first")
        deleting = rest.var_uint()
        if not deleting:
            return  # typing deletes nothing: the state vector (one entry per client the room ever had) stays unread
        have = read_state_vector(state)
        for _ in range(deleting):
            client = rest.var_uint()
            for _ in range(rest.var_uint()):
                clock = rest.var_uint()
                length = rest.var_uint()
                if clock + length > have.get(client, 0):
                    raise InvalidInput("update deletes content the server does not have; resync first")

    def _check_roots(self, twin: Doc) -> None:
        unknown = set(twin.keys()) - set(ROOT_TYPES[self.name])
        if unknown:
            raise PermissionDenied(f"unknown section {sorted(unknown)[0]!r} in the {self.name} document")

    def _check_change(self, change: Change, context: WriteContext, locked_before: dict[object, bool]) -> None:
        role = context.role
        if change.root in WRITABLE[role].get(self.name, frozenset()):
            return
        if role is RoomRole.CUSTOMER and self.name is DocName.SHARED:
            if change.root == "deal" and not change.path and change.keys <= context.customer_deal_fields:
                return
            if change.root == "lines":
                self._check_customer_line(change, context, locked_before)
                return
        if role is RoomRole.VIEWER:
            raise PermissionDenied("read-only members cannot edit this room")
        if change.root == "comments":
            raise PermissionDenied(THREADS_BY_API)
        raise PermissionDenied(f"a {role.value} may not write {change.root!r} in the {self.name} document")

    def _check_values(self, change: Change, context: WriteContext) -> None:
        """Refuse a line or deal value nobody could price (qty -5, a discount of 150, a SKU or currency
        the room's price book does not have): such a value would only ever show up as a broken quote."""
        problem: str | None = None
        if change.root == "deal" and not change.path:
            problem = deal_problem(change.values, context.prices)
        elif change.root == "lines" and not change.path and not change.is_map:
            before: list[object] | None = None
            for item in change.inserted:
                if not isinstance(item, dict):
                    problem = "a line must be a map of id, sku, qty, discountPct, locked and note"
                    break
                problem = line_problem(item, context.prices)
                if problem:
                    # Moving a line deletes it and inserts a copy: a line the room already held as it is
                    # (priced from an older book, say) may move without being fixed first.
                    before = self._lines_before() if before is None else before
                    if item not in before:
                        break
                    problem = None
        elif change.root == "lines" and len(change.path) == 1 and change.is_map:
            problem = line_problem(change.values, context.prices, partial=True)
        if problem:
            raise InvalidInput(problem)

    def _lines_before(self) -> list[object]:
        """The room's lines before the update being checked (rebuilt from the room: only on a refusal path)."""
        before = new_doc(self.name)
        for update in self._source():
            before.apply_update(update)
        return [_plain(line) for line in before.get("lines", type=Array)]

    @staticmethod
    def _check_customer_line(change: Change, context: WriteContext, locked_before: dict[object, bool]) -> None:
        if not context.customer_may_edit_pricing:
            raise PermissionDenied("this room does not allow the customer to edit pricing")
        if len(change.path) != 1 or not change.is_map:
            raise PermissionDenied(_NO_NEW_LINES)
        if not change.keys <= CUSTOMER_LINE_FIELDS:
            fields = ", ".join(sorted(change.keys - CUSTOMER_LINE_FIELDS))
            raise PermissionDenied(f"customers may not change {fields} on a line")
        if change.line_id not in locked_before:
            raise PermissionDenied("customers may only edit existing lines")
        if locked_before[change.line_id]:
            raise PermissionDenied(f"line {change.line_id} is locked")


# The roots whose values (not only their keys) the guard checks.
_VALUE_CHECKED = frozenset({"deal", "lines"})


def _new_value(action: Any) -> object:
    if isinstance(action, dict) and action.get("action") != "delete":
        return _plain(action.get("newValue"))
    return removed


def _plain(value: object) -> object:
    to_py = getattr(value, "to_py", None)
    if not callable(to_py):
        return value
    try:
        return to_py()
    except ValueError:  # an XML type has no plain value; `schema.check_item` says why it is refused
        return value
