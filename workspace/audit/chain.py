"""Appending to and verifying the hash chain. Each event's hash covers its content and the previous
hash, so changing, removing or reordering any stored event breaks every hash after it."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from workspace.audit.models import AuditEvent

GENESIS = "0" * 64


def _digest(prev_hash: str, at: datetime, actor_id: int | None, kind: str, room_id: str | None,
            data: dict[str, Any]) -> str:  # fmt: skip
    content = json.dumps(
        {"prev": prev_hash, "at": at.isoformat(), "actor": actor_id, "kind": kind, "room": room_id, "data": data},
        sort_keys=True, separators=(",", ":"), default=str,
    )  # fmt: skip
    return hashlib.sha256(content.encode()).hexdigest()


def append(db: Session, kind: str, *, actor_id: int | None, room_id: str | None, data: dict[str, Any],
           at: datetime) -> AuditEvent:  # fmt: skip
    """Add an event in the caller's transaction (it commits with the change it records)."""
    if db.get_bind().dialect.name == "postgresql":
        # Two transactions must not both chain onto the same last event.
        db.execute(text("SELECT pg_advisory_xact_lock(4242001)"))
    last = db.execute(select(AuditEvent.hash).order_by(AuditEvent.id.desc()).limit(1)).scalar_one_or_none()
    prev = last or GENESIS
    event = AuditEvent(at=at, actor_id=actor_id, kind=kind, room_id=room_id, data=data, prev_hash=prev,
                       hash=_digest(prev, at, actor_id, kind, room_id, data))  # fmt: skip
    db.add(event)
    db.flush()
    return event


@dataclass(frozen=True)
class Verdict:
    events: int
    broken_at: int | None  # the id of the first event whose hash does not hold

    @property
    def intact(self) -> bool:
        return self.broken_at is None


def verify(db: Session) -> Verdict:
    prev = GENESIS
    count = 0
    for event in db.execute(select(AuditEvent).order_by(AuditEvent.id)).scalars():
        count += 1
        expected = _digest(prev, event.at, event.actor_id, event.kind, event.room_id, event.data)
        if event.prev_hash != prev or event.hash != expected:
            return Verdict(count, event.id)
        prev = event.hash
    return Verdict(count, None)
