"""Change events are folded: one person's consecutive edits of one subject within a minute are one event that
keeps who, the first and the last edit, how many, and every field touched; a pause or another subject or
person starts a new one."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from tests.workspace.activity.support import new_room
from workspace.activity.capture import Touch
from workspace.activity.events import Actor, Audience
from workspace.activity.models import RoomEvent
from workspace.activity.recorder import ChangeRecorder
from workspace.rooms.models import RoomRole
from workspace.settings import Settings
from workspace.storage.engine import make_engine, make_sessionmaker
from workspace.sync.guard import WriteContext

T0 = datetime(2026, 12, 3, 9, 0, tzinfo=UTC)
CLAUSE = Touch("change.terms", Audience.EVERYONE, "clause:liability",
               {"part": "clause", "clause_id": "liability", "title": "Limitation of liability"})  # fmt: skip


def _line(*fields: str) -> Touch:
    subject = {"line_id": "seats", "sku": "PLAT-PRO", "product": "Platform Professional"}
    return Touch("change.lines", Audience.EVERYONE, "line:seats", subject, frozenset(fields))


@pytest.fixture
def sessions(database_url: str) -> Iterator[sessionmaker[Session]]:
    engine = make_engine(Settings(database_url=database_url))
    yield make_sessionmaker(engine)
    engine.dispose()


def _events(sessions: sessionmaker[Session]) -> list[RoomEvent]:
    with sessions() as db:
        return list(db.scalars(select(RoomEvent).order_by(RoomEvent.id)))


async def test_keystrokes_on_one_clause_are_one_event_with_count_and_span(sessions: sessionmaker[Session]) -> None:
    room_id, _, buyer_id = new_room(sessions)
    recorder = ChangeRecorder(sessions)
    buyer = Actor(buyer_id, "Bo Buyer", "customer")
    for n in range(200):
        recorder.note(room_id, buyer, CLAUSE, T0 + timedelta(seconds=n * 0.2))
        if n % 50 == 0:
            await recorder.flush()  # several batches: folding goes on across them
    await recorder.flush()
    [event] = _events(sessions)
    assert (event.actor_id, event.actor_name, event.actor_role) == (buyer_id, "Bo Buyer", "customer")
    assert event.edits == 200 and event.at == T0 and event.last_at == T0 + timedelta(seconds=199 * 0.2)
    assert event.summary == "Bo Buyer changed Clause 'Limitation of liability'"
    await recorder.stop()


async def test_folding_merges_fields_and_stops_at_a_pause_or_another_person(sessions: sessionmaker[Session]) -> None:
    room_id, rep_id, buyer_id = new_room(sessions)
    recorder = ChangeRecorder(sessions)
    buyer, rep = Actor(buyer_id, "Bo Buyer", "customer"), Actor(rep_id, "Rita Rep", "rep")
    recorder.note(room_id, buyer, _line("qty"), T0)
    await recorder.flush()
    recorder.note(room_id, buyer, _line("discountPct"), T0 + timedelta(seconds=30))  # extends the stored event
    recorder.note(room_id, rep, _line("qty"), T0 + timedelta(seconds=31))  # another person
    recorder.note(room_id, buyer, _line("qty"), T0 + timedelta(seconds=95))  # 65 s after the last: a new event
    await recorder.flush()
    events = _events(sessions)
    assert [(e.actor_name, e.edits, e.subject["fields"]) for e in events] == [
        ("Bo Buyer", 2, ["discountPct", "qty"]),
        ("Rita Rep", 1, ["qty"]),
        ("Bo Buyer", 1, ["qty"]),
    ]
    assert events[0].summary == "Bo Buyer changed Discount and quantity of Platform Professional"
    assert events[0].last_at == T0 + timedelta(seconds=30)
    await recorder.stop()


async def test_a_client_write_is_queued_with_the_sender_from_the_write_context(sessions: sessionmaker[Session]) -> None:
    room_id, _, buyer_id = new_room(sessions)
    recorder = ChangeRecorder(sessions)
    context = WriteContext(RoomRole.CUSTOMER, actor_id=buyer_id, actor_name="Bo Buyer")
    recorder.committed(SimpleNamespace(room_id=room_id), context, [CLAUSE])  # type: ignore[arg-type]
    await recorder.stop()  # stopping writes what is queued
    [event] = _events(sessions)
    assert (event.actor_id, event.actor_role, event.kind) == (buyer_id, "customer", "change.terms")


async def test_a_burst_of_keystrokes_is_written_in_one_transaction_without_a_flush(
    sessions: sessionmaker[Session],
) -> None:
    room_id, _, buyer_id = new_room(sessions)
    recorder = ChangeRecorder(sessions)
    buyer = Actor(buyer_id, "Bo Buyer", "customer")
    recorder.note(room_id, buyer, CLAUSE, T0)  # the first edit is written at once
    for n in range(1, 100):  # typed while it is written: gathered, then written together
        recorder.note(room_id, buyer, CLAUSE, T0 + timedelta(seconds=n * 0.01))
        await asyncio.sleep(0)
    deadline = asyncio.get_running_loop().time() + 10
    while recorder.written < 100:  # written on its own, no flush asked
        assert asyncio.get_running_loop().time() < deadline, "the record was not written"
        await asyncio.sleep(0.01)
    assert recorder.batches <= 3
    [event] = _events(sessions)
    assert event.edits == 100 and event.last_at == T0 + timedelta(seconds=99 * 0.01)
    await recorder.stop()


async def test_a_flush_writes_what_was_queued_before_it_while_edits_keep_coming(
    sessions: sessionmaker[Session],
) -> None:
    room_id, _, buyer_id = new_room(sessions)
    recorder = ChangeRecorder(sessions)
    buyer = Actor(buyer_id, "Bo Buyer", "customer")
    typing = True

    async def type_on() -> None:
        n = 0
        while typing:
            n += 1
            recorder.note(room_id, buyer, CLAUSE, T0 + timedelta(seconds=n * 0.01))
            await asyncio.sleep(0.002)

    typist = asyncio.create_task(type_on())
    for _ in range(3):
        await asyncio.sleep(0.05)
        queued = recorder._noted
        await asyncio.wait_for(recorder.flush(), 10)  # never waits for the room to go quiet
        assert recorder.written >= queued
        [event] = _events(sessions)
        assert event.edits >= queued
    typing = False
    await typist
    await recorder.stop()
