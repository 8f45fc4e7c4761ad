"""The clause library, stored: read it whole (cached until the next change), and change one clause at a
time through the core's lifecycle (`clauses.library`), which refuses what legal may not do."""

from __future__ import annotations

import re
import secrets
import threading
from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy import select
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


class ClauseStore:
    """The library in the database, with a cached copy that every change invalidates."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._cached: ClauseLibrary | None = None
        self.generation = 0  # grows with every change: rooms re-check their clauses when it moves

    def library(self, db: Session) -> ClauseLibrary:
        """Every clause (cached until the next change through this store)."""
        with self._lock:
            if self._cached is not None:
                return self._cached
            generation = self.generation
        rows = db.execute(select(ClauseRow).order_by(ClauseRow.category, ClauseRow.key)).scalars()
        library = ClauseLibrary.of([clause_from_dict(row.data) for row in rows])
        with self._lock:
            if generation == self.generation:
                self._cached = library
        return library

    def cached(self) -> ClauseLibrary | None:
        with self._lock:
            return self._cached

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
            row = db.get(ClauseRow, clause.id, with_for_update=True)
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
            db.flush()
        except StaleDataError as exc:
            raise Conflict("the clause changed meanwhile; reload it and try again") from exc
        self.changed()


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
