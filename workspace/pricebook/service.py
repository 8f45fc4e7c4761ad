"""Saving and reading versions of the price book and the incentive plan, with a parse cache.

Each save is a new version; nothing is edited in place, so a room pinned to version 3 prices the
same way tomorrow. Parsed books are cached by version: parsing validates every product, and the
live quote needs the book on every edit.
"""

from __future__ import annotations

import threading
import time
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from workspace.audit import chain as audit
from workspace.auth.models import User
from workspace.errors import Conflict, NotFound, Unprocessable
from workspace.pricebook.models import IncentivePlanVersion, PriceBookVersion
from workspace.pricing import IncentivePlan, PriceBook, PricingDataInvalid, load_incentive_plan, load_price_book
from workspace.pricing.entry import PriceLimits
from workspace.storage.base import utcnow


class Catalog:
    """The price books and the incentive plan, parsed once per version."""

    # Another process may save a new plan; this one notices within this many seconds.
    PLAN_TTL_SECONDS = 5.0

    def __init__(self) -> None:
        self._books: dict[int, PriceBook] = {}
        self._plans: dict[int, IncentivePlan] = {}
        self._lock = threading.Lock()
        self._current_plan: tuple[float, IncentivePlan | None] | None = None
        self.books_saved = 0  # lets caches of "no price book yet" in this process end at once

    def cached_book(self, version: int) -> PriceBook | None:
        with self._lock:
            return self._books.get(version)

    def cached_plan(self) -> tuple[bool, IncentivePlan | None]:
        """(True, plan) when the current plan is known without asking the database."""
        current = self._current_plan
        if current is None or time.monotonic() - current[0] > self.PLAN_TTL_SECONDS:
            return False, None
        return True, current[1]

    def latest_book_version(self, db: Session) -> int | None:
        return db.execute(select(func.max(PriceBookVersion.version))).scalar_one_or_none()

    def book(self, db: Session, version: int | None = None) -> PriceBook:
        """The book of `version`, or the newest; NotFound when there is none."""
        version = version if version is not None else self.latest_book_version(db)
        if version is None:
            raise NotFound("there is no price book yet: an admin uploads one with PUT /api/pricebook")
        with self._lock:
            cached = self._books.get(version)
        if cached is not None:
            return cached
        row = db.get(PriceBookVersion, version)
        if row is None:
            raise NotFound(f"no price book version {version}")
        book = load_price_book(row.data)
        with self._lock:
            self._books[version] = book
        return book

    def limits(self, db: Session, version: int | None) -> PriceLimits | None:
        """What the write guard lets a room's lines and deal name: the SKUs and currencies of the book the
        room is pinned to (`version`; None: the newest, which it will be pinned to), or None without a book."""
        try:
            return PriceLimits.of(self.book(db, version))
        except NotFound:
            return None

    def book_data(self, db: Session, version: int | None = None) -> dict[str, Any]:
        book = self.book(db, version)
        row = db.get(PriceBookVersion, book.version)
        assert row is not None
        return dict(row.data)

    def save_book(
        self, db: Session, data: dict[str, Any], user_id: int | None, base_version: int | None = None
    ) -> PriceBook:
        """Validate `data` and store it as the next version; with `base_version`, only if that is still the
        newest (else Conflict: someone saved meanwhile, and this save would silently undo their change)."""
        latest = self.latest_book_version(db)
        if base_version is not None and base_version != (latest or 0):
            raise Conflict(
                f"the price book is at version {latest or 0} now, not {base_version}: reload it and make your change "
                "again; nothing was saved",
                version=latest,
            )
        version = (latest or 0) + 1
        stored = {**data, "version": version}
        book = _validated(load_price_book, stored)
        db.add(PriceBookVersion(version=version, data=stored, created_by=user_id))
        db.flush()
        audit.append(db, "pricebook.saved", actor_id=user_id, room_id=None, at=utcnow(),
                     data={"version": version, "products": len(book.products)})  # fmt: skip
        self.books_saved += 1
        return book

    def problems(self, data: dict[str, Any]) -> list[str]:
        """What is wrong with `data` as a price book (nothing is saved); empty when it would save."""
        try:
            load_price_book({**data, "version": 1})
        except PricingDataInvalid as invalid:
            return list(invalid.errors)
        return []

    def versions(self, db: Session) -> list[dict[str, Any]]:
        """Every saved version, newest first: number, when, by whom, how many products."""
        rows = db.execute(
            select(PriceBookVersion, User.name)
            .outerjoin(User, User.id == PriceBookVersion.created_by)
            .order_by(PriceBookVersion.version.desc())
        ).all()
        return [
            {"version": row.version, "name": row.data.get("name", ""), "products": len(row.data.get("products", [])),
             "created_at": row.created_at.isoformat(), "created_by": name}
            for row, name in rows
        ]  # fmt: skip

    def plan(self, db: Session) -> IncentivePlan | None:
        plan = self._read_plan(db)
        self._current_plan = (time.monotonic(), plan)
        return plan

    def _read_plan(self, db: Session) -> IncentivePlan | None:
        version = db.execute(select(func.max(IncentivePlanVersion.version))).scalar_one_or_none()
        if version is None:
            return None
        with self._lock:
            cached = self._plans.get(version)
        if cached is not None:
            return cached
        row = db.get(IncentivePlanVersion, version)
        assert row is not None
        plan = load_incentive_plan(row.data)
        with self._lock:
            self._plans[version] = plan
        return plan

    def plan_data(self, db: Session) -> tuple[int, dict[str, Any]] | None:
        row = db.execute(
            select(IncentivePlanVersion).order_by(IncentivePlanVersion.version.desc()).limit(1)
        ).scalar_one_or_none()
        return None if row is None else (row.version, dict(row.data))

    def save_plan(self, db: Session, data: dict[str, Any], user_id: int | None) -> int:
        """Validate `data` and store it as the next version (the server numbers versions)."""
        version = (db.execute(select(func.max(IncentivePlanVersion.version))).scalar_one_or_none() or 0) + 1
        stored = {**data, "version": version}
        _validated(load_incentive_plan, stored)
        db.add(IncentivePlanVersion(version=version, data=stored, created_by=user_id))
        db.flush()
        audit.append(db, "plan.saved", actor_id=user_id, room_id=None, at=utcnow(),
                     data={"version": version, "quotas": len(data.get("quotas") or []),
                           "tiers": len(data.get("tiers") or [])})  # fmt: skip
        self._current_plan = None
        return version


def _validated(load: Any, data: dict[str, Any]) -> Any:
    try:
        return load(data)
    except PricingDataInvalid as invalid:
        raise Unprocessable(
            f"{len(invalid.errors)} problem(s) in what was sent; nothing was saved", errors=list(invalid.errors)
        ) from invalid
