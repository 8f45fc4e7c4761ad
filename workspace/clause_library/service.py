"""The clause library, stored: read it whole (cached until the next change), and change one clause at a
time through the core's lifecycle (`clauses.library`), which refuses what legal may not do."""

from __future__ import annotations

import re
import secrets
import threading
import time
from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from clauses.library import (
    Clause,
    ClauseLibrary,
    Status,
    add_draft,
    clause_from_dict,
    library_from_dict,
    library_to_dict,
    publish,
    retire,
)
from workspace.audit import chain as audit
from workspace.clause_library.models import ClauseRow
from workspace.errors import Conflict, NotFound
from workspace.storage.base import utcnow


def clause_to_dict(clause: Clause) -> dict[str, Any]:
    """One clause in the library's plain form (what `clause_from_dict` reads back)."""
    listed: Any = library_to_dict(ClauseLibrary.of([clause]))["clauses"]
    return dict(listed[0])


def clause_view(clause: Clause) -> dict[str, Any]:
    """A clause as the API shows it: its plain form plus which version rooms get and which is in draft."""
    latest, draft = clause.latest_published, clause.draft
    return {
        **clause_to_dict(clause),
        "latest_published": latest.number if latest else None,
        "draft": draft.number if draft else None,
    }


def matches(clause: Clause, query: str, category: str | None) -> bool:
    """Search: every word of `query` appears in the title, key, category or a published or draft text."""
    if category and clause.category != category:
        return False
    words = re.findall(r"\w+", query.lower())
    if not words:
        return True
    texts = [clause.title, clause.key, clause.category]
    texts += [v.text for v in clause.versions if v.status is not Status.RETIRED]
    haystack = " ".join(texts).lower()
    return all(word in haystack for word in words)


RESERVED_IDS = frozenset({"export", "import", "variables"})


class ClauseStore:
    """The library in the database, with a cached copy that every change invalidates."""

    # Another worker's change is seen within this long (changes made here are seen at once).
    TTL_SECONDS = 5.0

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._cached: ClauseLibrary | None = None
        self._cached_at = 0.0
        self.generation = 0  # grows with every change: rooms re-check their clauses when it moves

    def library(self, db: Session) -> ClauseLibrary:
        """Every clause (cached until the next change through this store)."""
        with self._lock:
            fresh = self._fresh()
            if fresh is not None:
                return fresh
            generation = self.generation
        rows = db.execute(select(ClauseRow).order_by(ClauseRow.category, ClauseRow.key)).scalars()
        library = ClauseLibrary.of([clause_from_dict(row.data) for row in rows])
        with self._lock:
            if generation == self.generation:
                self._cached, self._cached_at = library, time.monotonic()
        return library

    def cached(self) -> ClauseLibrary | None:
        """The cached library while it is fresh, else None (read it with `library`)."""
        with self._lock:
            return self._fresh()

    def _fresh(self) -> ClauseLibrary | None:
        """The cached library if it is younger than the TTL (the caller holds the lock)."""
        if self._cached is not None and time.monotonic() - self._cached_at < self.TTL_SECONDS:
            return self._cached
        return None

    def changed(self) -> None:
        """Drop the cached library. Called at the change and again by the route after its commit, so that a
        reader between the two cannot keep the old library cached."""
        with self._lock:
            self._cached = None
            self.generation += 1

    def create(self, db: Session, data: dict[str, Any], actor: int) -> Clause:
        """A new clause whose first version is a draft."""
        clause_id = f"cl_{secrets.token_urlsafe(6)}".replace("-", "x")
        plain = {
            "id": clause_id, "key": data.get("key"), "title": data.get("title"), "category": data.get("category"),
            "versions": [{"number": 1, "status": "draft", "text": data.get("text"),
                          "fallbacks": data.get("fallbacks", []),
                          "deviation_approval": data.get("deviation_approval", "legal")}],
        }  # fmt: skip
        clause = clause_from_dict(plain)
        if db.execute(select(ClauseRow.id).where(ClauseRow.key == clause.key)).first() is not None:
            raise Conflict(f"a clause with the key {clause.key!r} exists already")
        self._save(db, None, clause)
        audit.append(db, "clause.created", actor_id=actor, room_id=None, at=utcnow(),
                     data={"clause_id": clause.id, "key": clause.key})  # fmt: skip
        return clause

    def change(self, db: Session, clause_id: str, actor: int, kind: str, step: Callable[[Clause], Clause]) -> Clause:
        """Apply one lifecycle step to a stored clause (locked for the transaction) and record it."""
        row = db.get(ClauseRow, clause_id, with_for_update=True)
        if row is None:
            raise NotFound("no such clause")
        changed = step(clause_from_dict(row.data))
        self._save(db, row, changed)
        audit.append(db, kind, actor_id=actor, room_id=None, at=utcnow(), data={"clause_id": clause_id})
        return changed

    def import_library(self, db: Session, data: object, actor: int) -> int:
        """Add or replace clauses from a library document (the export's format); all or nothing."""
        incoming = library_from_dict(data)
        for clause in incoming:
            if clause.id in RESERVED_IDS:
                raise Conflict(f"{clause.id!r} is reserved (it names a route of the library API); choose another id")
            row = db.get(ClauseRow, clause.id, with_for_update=True)
            if row is not None:
                _keeps_history(clause_from_dict(row.data), clause)
            clash = db.execute(select(ClauseRow.id).where(ClauseRow.key == clause.key)).scalar_one_or_none()
            if clash is not None and clash != clause.id:
                raise Conflict(f"the key {clause.key!r} belongs to clause {clash} already")
            self._save(db, row, clause)
        audit.append(db, "clause.imported", actor_id=actor, room_id=None, at=utcnow(),
                     data={"clauses": sorted(c.id for c in incoming)})  # fmt: skip
        return len(incoming)

    def _save(self, db: Session, row: ClauseRow | None, clause: Clause) -> None:
        plain = clause_to_dict(clause)
        if row is None:
            db.add(ClauseRow(id=clause.id, key=clause.key, category=clause.category, data=plain))
        else:
            row.key, row.category, row.data, row.updated_at = clause.key, clause.category, plain, utcnow()
        try:
            with db.begin_nested():  # a savepoint: a clash is reported, the rest of the transaction stays usable
                db.flush()
        except StaleDataError as exc:
            raise Conflict("the clause changed meanwhile; reload it and try again") from exc
        except IntegrityError as exc:  # two creations of one key at once: the database tells
            raise Conflict(f"a clause with the key {clause.key!r} exists already") from exc
        self.changed()


def _keeps_history(stored: Clause, incoming: Clause) -> None:
    """An import may add versions and move a version along its lifecycle, never rewrite one: rooms pinned to
    a version compare against exactly its text, fallbacks and approval."""
    order = {Status.DRAFT: 0, Status.PUBLISHED: 1, Status.RETIRED: 2}
    for old in stored.versions:
        new = incoming.version(old.number)
        if new is None:
            raise Conflict(f"the import drops version {old.number} of clause {stored.id!r}; versions are kept")
        if (new.text, new.fallbacks, new.deviation_approval) != (old.text, old.fallbacks, old.deviation_approval):
            raise Conflict(f"the import changes version {old.number} of clause {stored.id!r}; add a new version")
        if order[new.status] < order[old.status]:
            raise Conflict(f"the import moves version {old.number} of clause {stored.id!r} back to {new.status}")
        if new.status is not old.status and old.status is Status.DRAFT and new.status is Status.RETIRED:
            raise Conflict(f"version {old.number} of clause {stored.id!r} was never published; it cannot be retired")
    if incoming.category != stored.category:
        raise Conflict(f"the import changes the category of clause {stored.id!r}, which routes its approvals")


def new_draft(text: object, fallbacks: object, approval: object) -> Callable[[Clause], Clause]:
    """A lifecycle step adding a draft version, checked like a clause document."""

    def step(clause: Clause) -> Clause:
        checked = clause_from_dict({
            "id": clause.id, "key": clause.key, "title": clause.title, "category": clause.category,
            "versions": [{"number": 1, "status": "draft", "text": text, "fallbacks": fallbacks,
                          "deviation_approval": approval}],
        })  # fmt: skip
        version = checked.versions[0]
        return add_draft(clause, version.text, version.fallbacks, version.deviation_approval)

    return step


def publishing(number: int) -> Callable[[Clause], Clause]:
    return lambda clause: publish(clause, number)


def retiring(number: int) -> Callable[[Clause], Clause]:
    return lambda clause: retire(clause, number)


def seed(db: Session, clauses: Sequence[Clause]) -> int:
    """Store clauses that are not there yet (the demo library); returns how many were added."""
    added = 0
    for clause in clauses:
        if db.get(ClauseRow, clause.id) is None:
            db.add(ClauseRow(id=clause.id, key=clause.key, category=clause.category, data=clause_to_dict(clause)))
            added += 1
    return added
