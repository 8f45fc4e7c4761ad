"""The timeline: changes grouped into sessions (one person, pauses under 15 minutes), newest first, paged
without gaps or repeats; a customer's timeline leaves out the vendor's internal notes."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy.orm import Session, sessionmaker

from tests.workspace.activity.support import new_room
from workspace.activity import events, timeline
from workspace.activity.events import Actor, Audience
from workspace.settings import Settings
from workspace.storage.engine import make_engine, make_sessionmaker

T0 = datetime(2026, 12, 3, 9, 0, tzinfo=UTC)
QTY = {"line_id": "seats", "product": "Platform seats", "fields": ["qty"]}
CLAUSE = {"part": "clause", "clause_id": "liability", "title": "Limitation of liability"}


def _row(event_id: int, actor_id: int, minute: float, field: str = "title") -> timeline.Row:
    at = T0 + timedelta(minutes=minute)
    subject = json.dumps({"field": field})
    return timeline.Row(event_id, actor_id, f"P{actor_id}", "rep", at, at, "change.deal", subject, 2, "everyone")


def test_sessions_split_on_another_person_and_on_a_pause_of_15_minutes() -> None:
    # Newest first: person 1 at 60, 50, 40 (10-minute gaps), person 2 at 38, person 1 at 37 and at 10 (27 min).
    rows = [_row(6, 1, 60), _row(5, 1, 50, "billing"), _row(4, 1, 40), _row(3, 2, 38), _row(2, 1, 37), _row(1, 1, 10)]
    sessions = timeline.group(rows)
    assert [(s.first.id, s.oldest_id) for s in sessions] == [(6, 4), (3, 3), (2, 2), (1, 1)]
    first = sessions[0].view(internal=False)
    assert (first["from"], first["to"]) == (
        (T0 + timedelta(minutes=40)).isoformat(),
        (T0 + timedelta(minutes=60)).isoformat(),
    )
    assert first["person"] == {"id": 1, "name": "P1"} and first["edits"] == 6
    # One entry per subject: the title (twice, first at 40, last at 60) and the billing.
    assert [(c["label"], c["edits"], c["at"][11:16], c["until"][11:16]) for c in first["changes"]] == [
        ("Deal title", 4, "09:40", "10:00"),
        ("Billing", 2, "09:50", "09:50"),
    ]


@pytest.fixture
def sessions(database_url: str) -> Iterator[sessionmaker[Session]]:
    engine = make_engine(Settings(database_url=database_url))
    yield make_sessionmaker(engine)
    engine.dispose()


def _add(db: Session, room_id: str, actor: Actor, minute: float, kind: str, subject: dict[str, Any],
         audience: Audience = Audience.EVERYONE) -> None:  # fmt: skip
    events.add(db, room_id, kind, actor=actor, audience=audience, subject=subject, summary="",
               at=T0 + timedelta(minutes=minute))  # fmt: skip


def test_pages_of_sessions_follow_each_other_without_gaps_or_repeats(sessions: sessionmaker[Session]) -> None:
    room_id, rep_id, buyer_id = new_room(sessions)
    rep, buyer = Actor(rep_id, "Rita Rep", "rep"), Actor(buyer_id, "Bo Buyer", "customer")
    with sessions.begin() as db:
        for n in range(30):  # 30 sessions of 3 changes, taking turns, an hour apart
            who = rep if n % 2 else buyer
            for k in range(3):
                _add(db, room_id, who, n * 60 + k, "change.lines" if k else "change.terms", QTY if k else CLAUSE)
            _add(db, room_id, rep, n * 60 + 5, "change.notes", {"section": "notes"}, Audience.INTERNAL)
    seen: list[int] = []
    before = None
    pages = 0
    with sessions() as db:
        while True:
            page = timeline.page(db, room_id, internal=False, before=before, limit=7)
            pages += 1
            for session in page["sessions"]:
                assert session["role"] in {"rep", "customer"} and session["edits"] == 3
                assert [change["label"] for change in session["changes"]] == [
                    "Quantity of Platform seats", "Clause 'Limitation of liability'"
                ]  # fmt: skip
                seen.append(session["changes"][0]["id"])
                assert "audience" not in session["changes"][0]
            before = page["next_before"]
            if before is None:
                break
    assert pages == 5 and len(seen) == 30 and seen == sorted(seen, reverse=True)
    with sessions() as db:
        first = timeline.page(db, room_id, internal=True, before=None, limit=1)["sessions"][0]
    # The vendor sees the notes, in the rep's session.
    assert [(change["label"], change["audience"]) for change in first["changes"]] == [
        ("Internal notes", "internal"), ("Quantity of Platform seats", "everyone"),
        ("Clause 'Limitation of liability'", "everyone"),
    ]  # fmt: skip
