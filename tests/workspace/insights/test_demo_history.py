"""The demo's weeks of history: seeded once, every stage and three approvers in it, the demo rep's rooms as
they were (the history belongs to two other reps)."""

from __future__ import annotations

from sqlalchemy import select

from workspace.demo import seed_demo
from workspace.insights import read
from workspace.insights.report import build
from workspace.rooms.models import Membership
from workspace.settings import Settings
from workspace.storage.base import utcnow
from workspace.storage.engine import make_engine, make_sessionmaker


def test_the_demo_history_is_seeded_once_and_means_something(sqlite_url: str) -> None:
    engine = make_engine(Settings(database_url=sqlite_url))
    sessions = make_sessionmaker(engine)
    with sessions.begin() as db:
        first = seed_demo(db)
    with sessions.begin() as db:
        assert seed_demo(db) == [], "idempotent"
    assert "user sam@demo.test" in first and "room Umbrella — Platform pilot (history)" in first
    with sessions.begin() as db:
        histories = read.histories(db, read.Scope())
        report = build(histories, read.timings(db, [h.room_id for h in histories]), read.names(db), utcnow())
        riley = db.scalar(select(Membership.user_id).where(Membership.room_id == "demo-acme-renewal",
                                                           Membership.role == "rep"))  # fmt: skip
        riley_rooms = db.scalars(select(Membership.room_id).where(Membership.user_id == riley)).all()
    assert sorted(riley_rooms) == ["demo-acme-renewal", "demo-globex-pro"]  # the history is other reps' rooms
    assert {room["stage"] for room in report["rooms"]} == {"draft", "negotiating", "approved", "exported"}
    assert all(stage["count"] > 0 for stage in report["stages"])
    assert {a["name"] for a in report["approvers"]} == {"Morgan Manager", "Val VP", "Frankie Finance"}
    assert report["to_first_export"]["count"] == 3 and report["rounds"]["p90"] > 0
    assert [s["count"] > 0 for s in report["system"]] == [True, True, True], "real runs, timed while seeding"
    assert [p["count"] > 0 for p in report["people"]] == [True, True]
    engine.dispose()
