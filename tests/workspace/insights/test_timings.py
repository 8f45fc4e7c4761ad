"""The system's timings: a burst of pricing runs is kept as a few samples that still count every run, and
what is kept reaches the database when flushed."""

from __future__ import annotations

from sqlalchemy import select

from workspace.insights.models import SystemTiming
from workspace.insights.timings import SAMPLES, Timings, stopwatch
from workspace.settings import Settings
from workspace.storage.engine import make_engine, make_sessionmaker


async def test_a_burst_of_runs_is_written_as_samples_standing_for_every_run(sqlite_url: str) -> None:
    engine = make_engine(Settings(database_url=sqlite_url))
    timings = Timings(make_sessionmaker(engine))
    for run in range(100):
        timings.note("pricing", None, float(run))
    with stopwatch() as elapsed:
        sum(range(10_000))
    assert elapsed.ms > 0
    await timings.flush()
    with make_sessionmaker(engine)() as db:
        rows = list(db.scalars(select(SystemTiming)))
    assert len(rows) == SAMPLES and sum(row.runs for row in rows) == 100
    assert all(row.kind == "pricing" and 0 <= row.ms < 100 for row in rows)
    await timings.stop()  # nothing left: writes nothing more
    with make_sessionmaker(engine)() as db:
        assert len(list(db.scalars(select(SystemTiming)))) == SAMPLES
    engine.dispose()
