"""The server's own sections of a room, derived from what people typed (DESIGN.md, data flow step 6).

After a client's change is committed, the room is re-priced after a short debounce: the quote goes to
the shared `computed` (what everyone may see) and the internal `computed` (cost, margin, floor
breaches, the rep's commission estimate, and where approval stands: internal only, customers see no
approval state). Both are server writes that take the durable path like any other update, and are
written only when they change.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from pycrdt import Doc, Map
from sqlalchemy.orm import Session, sessionmaker
from starlette.concurrency import run_in_threadpool

from approvals import Policy
from clauses.deviation import Deviation
from clauses.errors import ClauseError
from clauses.free_text import FREE_TEXT
from clauses.library import ClauseLibrary
from clauses.variables import DEAL_VARIABLE_KEYS
from workspace.approval_policy.preview import required_for
from workspace.approval_policy.service import Policies
from workspace.approval_policy.standing import (
    RoomHistory,
    badge,
    coverage_record,
    read_history,
    record_coverage,
    standing_view,
)
from workspace.clause_library.deviations import (
    approval_inputs,
    check_room,
    deviation_view,
    read_standard_terms,
    read_terms,
    room_variables,
    split_free_text,
)
from workspace.clause_library.service import ClauseStore
from workspace.deal import DealFacts, deal_facts, deal_input, fingerprint
from workspace.errors import NotFound
from workspace.insights.timings import stopwatch
from workspace.pricebook.service import Catalog
from workspace.pricing import (
    DealInput,
    IncentivePlan,
    PriceBook,
    Quote,
    estimate,
    internal_view,
    price_deal,
    public_view,
)
from workspace.pricing.money import format_money, is_currency
from workspace.pricing.quotas import Standing
from workspace.proposals.accepted import Pending, accepted_lines, accepted_terms, doc_lines, read_pending
from workspace.rooms.models import Room
from workspace.serial import SerialRuns
from workspace.storage.base import utcnow
from workspace.sync.documents import DocName
from workspace.sync.guard import Change
from workspace.sync.manager import RoomManager
from workspace.sync.room import RoomDoc
from workspace.threads.disputes import open_disputes

log = logging.getLogger(__name__)

# Long enough to fold a burst of keystrokes into one recomputation, short enough to feel instant.
DEBOUNCE_SECONDS = 0.005
# The shared `computed` key of the quote on accepted values, while pending proposals make it differ.
ACCEPTED_QUOTE = "quote_accepted"
# Without a price book there is nothing to price: look again after this long, not on every edit.
NO_BOOK_RETRY_SECONDS = 5.0


def moves_clauses(changes: Sequence[Change]) -> bool:
    """Whether a client change can move the clause lane's verdicts: it touched the terms, a deal field some clause
    variable reads, or `computed` (the standard terms). The lines, comments or other deal keys cannot."""
    for change in changes:
        if change.root in ("terms", "computed"):
            return True
        if change.root == "deal" and (change.path or not change.keys.isdisjoint(DEAL_VARIABLE_KEYS)):
            return True
    return False


@dataclass(frozen=True)
class Priced:
    """A room's quote in the three shapes the room and the API show, on the accepted values; `proposed`, the
    public quote of the live values, when the customer's pending proposals make them differ."""

    public: dict[str, Any]
    internal: dict[str, Any]
    commission: dict[str, Any] | None
    proposed: dict[str, Any] | None = None


def commission_view(
    plan: IncentivePlan | None, quote: Quote, facts: DealFacts, standing: Standing | None = None
) -> dict[str, Any] | None:
    """The commission estimate as the room and the API show it; with the rep's `standing` in the deal's quarter,
    accelerated by the plan's attainment tiers (the pipeline and the what-if give it; the live room does not)."""
    if plan is None:
        return None
    result = estimate(quote, plan, facts.vertical, facts.close_date, standing)
    money = (lambda amount: format_money(amount, result.currency)) if is_currency(result.currency) else str
    return {
        "currency": result.currency,
        "total": money(result.total),
        "layers": [
            {"name": layer.name, "amount": money(layer.amount), "explanation": layer.explanation}
            for layer in result.layers
        ],
        "hints": list(result.hints),
    }


@dataclass(frozen=True)
class RoomDeal:
    """What pricing needs of a room, read from its document (on the event loop, which owns it)."""

    deal: DealInput
    facts: DealFacts
    fields: dict[str, Any]  # deal fields approval rules test besides the quote
    fingerprint: str
    terms: dict[str, Any] = field(default_factory=dict)  # ProseMirror JSON of the terms
    variables: dict[str, str] = field(default_factory=dict)  # clause variables' values
    standard_terms: tuple[str, ...] = ()  # the room's standard text outside clause blocks
    proposed: DealInput | None = None  # the live lines, when pending proposals change what is priced

    @classmethod
    def read(cls, doc: Doc, vendor: Mapping[str, object] | None = None, pending: Pending | None = None) -> RoomDeal:
        """The room as accepted: pending proposals (the tracker's, else the document's) taken back."""
        days = doc.get("deal", type=Map).get("paymentTermsDays")
        fields: dict[str, Any] = (
            {"payment_terms_days": days} if isinstance(days, int | float) and not isinstance(days, bool) else {}
        )
        fields["open_disputes"] = open_disputes(doc)  # the approval fact: external disputes not yet resolved
        pending = read_pending(doc) if pending is None else pending
        terms = accepted_terms(read_terms(doc), pending)  # walked once: the fingerprint hashes the same JSON
        live_lines = doc_lines(doc)
        lines = accepted_lines(live_lines, pending)
        proposed = deal_input(doc, live_lines) if lines is not live_lines else None
        return cls(
            deal_input(doc, lines), deal_facts(doc, datetime.now(UTC).date()), fields, fingerprint(doc, terms, lines),
            terms, room_variables(doc, vendor or {}), read_standard_terms(doc), proposed,
        )  # fmt: skip


def price_room(room_deal: RoomDeal, book: PriceBook, plan: IncentivePlan | None) -> Priced:
    """Price a room (pure, no I/O; safe in a worker thread: a big deal does not stall the event loop)."""
    quote = price_deal(room_deal.deal, book)
    proposed = public_view(price_deal(room_deal.proposed, book)) if room_deal.proposed is not None else None
    public = public_view(quote)
    return Priced(public, internal_view(quote), commission_view(plan, quote, room_deal.facts),
                  proposed if proposed != public else None)  # fmt: skip


def _timed_price(room_deal: RoomDeal, book: PriceBook, plan: IncentivePlan | None) -> tuple[Priced, float]:
    """`price_room` and the milliseconds it took (the system's own time, shown beside people's in /insights)."""
    with stopwatch() as elapsed:
        priced = price_room(room_deal, book, plan)
    return priced, elapsed.ms


def pinned_book(db: Session, catalog: Catalog, room_id: str) -> tuple[PriceBook, IncentivePlan | None]:
    """The room's price book (pinning the newest on first use) and the current incentive plan."""
    room = db.get(Room, room_id)
    if room is None:
        raise NotFound("no such room")
    if room.price_book_version is None:
        latest = catalog.latest_book_version(db)
        if latest is None:
            raise NotFound("there is no price book yet")
        room.price_book_version = latest
    return catalog.book(db, room.price_book_version), catalog.plan(db)


def _set(key: str, value: Any) -> Callable[[Doc], None]:
    def change(doc: Doc) -> None:
        doc.get("computed", type=Map)[key] = value

    return change


def _set_all(values: Mapping[str, Any]) -> Callable[[Doc], None]:
    def change(doc: Doc) -> None:
        computed = doc.get("computed", type=Map)
        for key, value in values.items():
            computed[key] = value

    return change


def _delete(key: str) -> Callable[[Doc], None]:
    def change(doc: Doc) -> None:
        del doc.get("computed", type=Map)[key]

    return change


@dataclass(frozen=True)
class _ClauseInputs:
    """What a room's clause check was given besides its terms."""

    values: dict[str, str]
    standard: tuple[str, ...]
    library: ClauseLibrary

    def same(self, values: dict[str, str], standard: tuple[str, ...], library: ClauseLibrary) -> bool:
        return self.library is library and self.values == values and self.standard == standard


def _current(room: RoomDoc, key: str) -> Any:
    return room.doc.get("computed", type=Map).get(key)


class Deriver:
    """Schedules and runs the re-pricing of rooms; one run at a time per room."""

    def __init__(
        self, rooms: RoomManager, sessions: sessionmaker[Session], catalog: Catalog, policies: Policies,
        clause_store: ClauseStore | None = None, vendor: Mapping[str, object] | None = None,
    ) -> None:  # fmt: skip
        self.rooms = rooms
        self.sessions = sessions
        self.catalog = catalog
        self.policies = policies
        self.clause_store = clause_store or ClauseStore()
        self.vendor = dict(vendor or {})
        # Two lanes: the clause check is a few milliseconds, pricing a big deal tens; a flag on an edited
        # clause must not wait behind the re-pricing of the edit before it.
        self._pricing = SerialRuns(self._run, DEBOUNCE_SECONDS)
        self._clauses = SerialRuns(self._run_clauses, DEBOUNCE_SECONDS)
        self.runs = 0
        self.clause_checks = 0  # clause lane runs that read the terms and checked them (tests, benchmarks)
        # The price book version each room is pinned to: re-pricing on every keystroke must not
        # query the database (SQLite has one writer, and the update log needs it).
        self._versions: dict[str, int] = {}
        # Each room's approval requests (newest first), read again after the request routes change one.
        self._histories: dict[str, RoomHistory] = {}
        # The covering approvals last audited per room (`standing.record_coverage`): not asked again per edit.
        self._covered: dict[str, Any] = {}
        # Bumped by every request change: a read that started before one must not be kept as current.
        self._request_changes: dict[str, int] = {}
        self._no_book_until = (0.0, 0)  # (monotonic deadline, catalog.books_saved then)
        # Rooms whose terms may have changed since their clause lane last read them.
        self._terms_changed: set[str] = set()
        # What each room's last clause check was given besides the terms (variables, standard terms, library):
        # with the terms unchanged and these equal, the check would say the same again.
        self._clause_inputs: dict[str, _ClauseInputs] = {}
        # The room's pending proposals (`workspace.proposals`), None when the tracker does not hold the room.
        self.pending: Callable[[str], Pending | None] = lambda room_id: None
        # Told how long each pricing run took (`workspace.insights.timings.Timings.note`): kind, room, ms.
        self.timed: Callable[[str, str | None, float], None] = lambda kind, room_id, ms: None

    def forget(self, room_id: str) -> None:
        """The room moved to another price book version."""
        self._versions.pop(room_id, None)

    def changed(self, room: RoomDoc) -> None:
        """A client changed the shared document (or it was loaded): re-check and re-price soon. When the room is
        committing a client's change it knows (`RoomDoc.committing`), the clause lane runs only when that
        change touched what it reads (`moves_clauses`), and reads the terms again only when they changed."""
        if room.name is not DocName.SHARED:
            return
        changes = room.committing
        if changes is None or any(change.root == "terms" for change in changes):
            self._terms_changed.add(room.room_id)
        if changes is None or moves_clauses(changes):
            self._clauses.schedule(room.room_id)
        if not self._known_to_have_no_book():  # the run would return at once (`_run`)
            self._pricing.schedule(room.room_id)

    def idle(self, room_id: str) -> bool:
        """Whether no derivation of the room is scheduled or running (for tests and benchmarks)."""
        return self._clauses.idle(room_id) and self._pricing.idle(room_id)

    def library_changed(self) -> None:
        """The clause library changed: every open room re-checks its clauses (pinned versions stay pinned)."""
        for room in list(self.rooms):
            self.changed(room)

    async def _run(self, room_id: str) -> None:
        shared = self.rooms.loaded(room_id, DocName.SHARED)
        if shared is None:
            return
        if self._known_to_have_no_book():
            return
        try:
            cached = self._cached(room_id)
            book, plan = cached if cached is not None else await run_in_threadpool(self._book_and_plan, room_id)
        except NotFound:
            return  # no price book yet: nothing to price against
        except Exception:
            log.exception("could not read the price book for room %s", room_id)
            return
        self.runs += 1
        try:
            room_deal = RoomDeal.read(shared.doc, self.vendor, self.pending(room_id))
        except ClauseError:
            log.warning("room %s has terms that cannot be read; not re-priced", room_id)
            return
        clauses_known = True
        try:
            _, checked = await self.deviations(room_deal)
        except Exception:
            log.exception("could not check the clauses of room %s", room_id)
            checked, clauses_known = [], False
        priced, took = await run_in_threadpool(_timed_price, room_deal, book, plan)
        self.timed("pricing", room_id, took)
        # Without a clause check the routing would miss legal: show no approval state rather than a wrong one.
        approvals = (
            await self._approvals(room_id, priced, room_deal, approval_inputs(checked)) if clauses_known else None
        )
        try:
            # Both sides see the quote of what is in the room; the accepted one too while proposals change it.
            accepted = priced.public if priced.proposed else None
            shown = {"quote": priced.proposed or priced.public, ACCEPTED_QUOTE: accepted}
            if any(_current(shared, key) != value for key, value in shown.items()):
                await shared.server_write(_set_all(shown))
            if "approval" in shared.doc.get("computed", type=Map):
                # Written by an earlier release, where customers saw approval state; it is internal now.
                await shared.server_write(_delete("approval"))
            internal = await self.rooms.acquire(room_id, DocName.INTERNAL)
            try:
                if _current(internal, "quote") != priced.internal:
                    await internal.server_write(_set("quote", priced.internal))
                if _current(internal, "commission") != priced.commission:
                    await internal.server_write(_set("commission", priced.commission))
                if approvals is not None:
                    # One update for both: the header and the panel never disagree, not even for a frame.
                    shown = {"approvals": approvals, "approval": badge(approvals)}
                    if any(_current(internal, key) != value for key, value in shown.items()):
                        await internal.server_write(_set_all(shown))
            finally:
                self.rooms.release(room_id, DocName.INTERNAL)
        except Exception:
            log.exception("could not store the derived sections of room %s", room_id)

    async def library(self) -> ClauseLibrary:
        """The clause library (cached; read from the database after a change)."""
        cached = self.clause_store.cached()
        if cached is not None:
            return cached
        return await run_in_threadpool(self._read_library)

    def _read_library(self) -> ClauseLibrary:
        with self.sessions.begin() as db:
            return self.clause_store.library(db)

    async def deviations(self, room_deal: RoomDeal) -> tuple[ClauseLibrary, list[Deviation]]:
        """The room's clause blocks against the library, and its text outside them against its standard
        terms (empty when all is standard and there are no clause blocks)."""
        return await self.deviations_of(room_deal.terms, room_deal.variables, room_deal.standard_terms)

    async def deviations_of(
        self, terms: dict[str, Any], values: dict[str, str], standard: tuple[str, ...]
    ) -> tuple[ClauseLibrary, list[Deviation]]:
        """Clause blocks of these terms (ProseMirror JSON) against the library, with these variable values,
        and the text outside them against `standard` (the room's standard terms outside clauses)."""
        library = await self.library()
        return library, await run_in_threadpool(check_room, terms, library, values, standard)

    async def check_doc(self, doc: Doc, values: dict[str, str] | None = None) -> tuple[ClauseLibrary, list[Deviation]]:
        """The clause blocks of a room's shared doc against the library: only what the check needs (reading
        the whole deal, its lines and fingerprint, is the pricing lane's). `values` are the clause variables'
        values when the caller has read them already. Raises `ClauseError` when the terms cannot be read."""
        if values is None:
            values = room_variables(doc, self.vendor)
        return await self.deviations_of(read_terms(doc), values, read_standard_terms(doc))

    async def _run_clauses(self, room_id: str) -> None:
        """Write each clause block's verdict and the variables' values to the room (both docs)."""
        shared = self.rooms.loaded(room_id, DocName.SHARED)
        if shared is None:
            self._clause_inputs.pop(room_id, None)
            return
        terms_changed = room_id in self._terms_changed
        self._terms_changed.discard(room_id)  # a change from here on is read by the next run
        try:
            values = room_variables(shared.doc, self.vendor)  # written to the room below
            library = await self.library()
            standard = read_standard_terms(shared.doc)
            last = self._clause_inputs.pop(room_id, None)
            if not terms_changed and last is not None and last.same(values, standard, library):
                self._clause_inputs[room_id] = last
                return  # e.g. a deal field no variable reads: the same verdicts, already written
            self.clause_checks += 1
            found = await run_in_threadpool(check_room, read_terms(shared.doc), library, values, standard)
        except Exception:
            self._terms_changed.add(room_id)  # read them again next time
            log.exception("could not check the clauses of room %s", room_id)
            return
        written = _ClauseInputs(values, standard, library)
        clauses, outside = split_free_text(found)
        if not found and _current(shared, "clauses") is None and _current(shared, FREE_TEXT) is None:
            self._clause_inputs[room_id] = written
            return  # a room that never had a clause block nor free text: nothing to show, nothing to write
        public = [deviation_view(d, library, internal=False) for d in clauses]
        internal_view_ = [deviation_view(d, library, internal=True) for d in clauses]
        # The text outside clause blocks, when it is not the standard terms (None when it is).
        public_free = deviation_view(outside, library, internal=False) if outside is not None else None
        internal_free = deviation_view(outside, library, internal=True) if outside is not None else None
        try:
            # One update for both: the clause chips and the free-text card never disagree, not even for a frame.
            shown = {"clauses": public, FREE_TEXT: public_free}
            if any(_current(shared, key) != value for key, value in shown.items()):
                await shared.server_write(_set_all(shown))
            if _current(shared, "variables") != values:
                await shared.server_write(_set("variables", values))
            # Without deviations, do not load the internal doc just to write an empty list.
            if found or self.rooms.loaded(room_id, DocName.INTERNAL) is not None:
                internal = await self.rooms.acquire(room_id, DocName.INTERNAL)
                try:
                    internal_shown = {"clauses": internal_view_, FREE_TEXT: internal_free}
                    if any(_current(internal, key) != value for key, value in internal_shown.items()):
                        await internal.server_write(_set_all(internal_shown))
                finally:
                    self.rooms.release(room_id, DocName.INTERNAL)
        except Exception:
            self._terms_changed.add(room_id)  # check and write again next time
            log.exception("could not store the clause checks of room %s", room_id)
            return
        self._clause_inputs[room_id] = written

    async def _approvals(
        self, room_id: str, priced: Priced, room_deal: RoomDeal, clauses: list[dict[str, Any]]
    ) -> dict[str, Any] | None:
        """Where the room's version stands on approvals (`standing.standing_view`), or None without a policy
        (or when its facts cannot be read). A version earlier approvals cover is approved as it stands; the
        first time a set of covering approvals makes the room approved, that is audited."""
        known, policy = self.policies.cached()
        try:
            if not known:
                policy = await run_in_threadpool(self._read_policy)
            if policy is None:
                return None
            history = self._histories.get(room_id)
            if history is None:
                seen = self._request_changes.get(room_id, 0)
                history = await run_in_threadpool(self._read_history, room_id)
                if self._request_changes.get(room_id, 0) == seen:
                    self._histories[room_id] = history

            def evaluate() -> dict[str, Any]:
                required = required_for(policy, priced.internal, room_deal.fields, clauses)
                problems = priced.internal["pricing_problems"]
                return standing_view(required, policy.version, history, room_deal.fingerprint, problems)

            view = await run_in_threadpool(evaluate)
        except Exception:
            log.exception("could not evaluate the approval policy for room %s", room_id)
            return None
        record = coverage_record(view)
        if record is not None and self._covered.get(room_id) != record["covered_by"]:
            try:
                await run_in_threadpool(self._record_coverage, room_id, record)
                self._covered[room_id] = record["covered_by"]
            except Exception:  # the room still shows the approval; the next derive tries the record again
                log.exception("could not audit the approval coverage of room %s", room_id)
        return view

    def request_changed(self, room_id: str, request: dict[str, Any] | None = None) -> None:
        """A request of the room was submitted, decided, recalled or reassigned: read the room's requests
        again and show where it stands (`request`, the changed request's view, is not needed)."""
        self._request_changes[room_id] = self._request_changes.get(room_id, 0) + 1
        self._histories.pop(room_id, None)
        self._covered.pop(room_id, None)
        room = self.rooms.loaded(room_id, DocName.SHARED)
        if room is not None:
            self.changed(room)

    def _read_history(self, room_id: str) -> RoomHistory:
        with self.sessions.begin() as db:
            return read_history(db, room_id)

    def _record_coverage(self, room_id: str, record: dict[str, Any]) -> None:
        with self.sessions.begin() as db:
            record_coverage(db, room_id, record, utcnow())

    def _read_policy(self) -> Policy | None:
        with self.sessions.begin() as db:
            return self.policies.current(db)

    def _cached(self, room_id: str) -> tuple[PriceBook, IncentivePlan | None] | None:
        version = self._versions.get(room_id)
        book = self.catalog.cached_book(version) if version is not None else None
        known, plan = self.catalog.cached_plan()
        return (book, plan) if book is not None and known else None

    def _known_to_have_no_book(self) -> bool:
        until, saved = self._no_book_until
        return time.monotonic() < until and saved == self.catalog.books_saved

    def _book_and_plan(self, room_id: str) -> tuple[PriceBook, IncentivePlan | None]:
        try:
            with self.sessions.begin() as db:
                book, plan = pinned_book(db, self.catalog, room_id)
        except NotFound:
            self._no_book_until = (time.monotonic() + NO_BOOK_RETRY_SECONDS, self.catalog.books_saved)
            raise
        self._versions[room_id] = book.version
        return book, plan

    async def stop(self) -> None:
        await self._clauses.stop()
        await self._pricing.stop()
