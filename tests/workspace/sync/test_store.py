"""The update store: group commit, load, and compaction that loses nothing wherever it stops."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from pycrdt import Doc, Map
from sqlalchemy import func, select

from workspace.settings import Settings
from workspace.storage.engine import make_engine
from workspace.sync.documents import DocName, doc_from_updates
from workspace.sync.models import DocSnapshot, DocUpdate
from workspace.sync.store import UpdateStore

pytestmark = pytest.mark.database


@pytest.fixture
async def store(database_url: str) -> AsyncIterator[UpdateStore]:
    engine = make_engine(Settings(database_url=database_url))
    _add_room(engine)
    store = UpdateStore(engine)
    await store.start()
    yield store
    await store.stop()
    engine.dispose()


def _add_room(engine) -> None:  # type: ignore[no-untyped-def]
    from workspace.auth.models import User
    from workspace.rooms.models import Room

    with engine.begin() as conn:
        conn.execute(
            User.__table__.insert().values(
                id=1, email="r@x.test", name="R", role="rep", is_active=True, created_at=_now()
            )
        )
        conn.execute(
            Room.__table__.insert().values(
                id="r1",
                title="T",
                customer_name="C",
                created_by=1,
                customer_may_edit_pricing=False,
                customer_deal_fields=[],
                created_at=_now(),
            )
        )


def _now():  # type: ignore[no-untyped-def]
    from workspace.storage.base import utcnow

    return utcnow()


def _updates(count: int) -> list[bytes]:
    doc = Doc()
    updates: list[bytes] = []
    deal = doc.get("deal", type=Map)
    for i in range(count):
        state = doc.get_state()
        deal[f"k{i}"] = i
        updates.append(doc.get_update(state))
    return updates


def _content(updates: list[bytes]) -> dict[str, object]:
    return doc_from_updates(DocName.SHARED, updates).get("deal", type=Map).to_py()


def _rows(store: UpdateStore) -> int:
    with store.engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(DocUpdate)).scalar_one()


async def test_concurrent_appends_share_commits_and_all_land(store: UpdateStore) -> None:
    updates = _updates(200)
    await asyncio.gather(*(store.append("r1", "shared", u) for u in updates))
    assert store.stats.appended == 200
    assert store.stats.batches < 200, "appends arriving together should share a transaction"
    stored = await store.load("r1", "shared")
    assert stored.updates == updates
    assert _content(stored.all_updates) == {f"k{i}": float(i) for i in range(200)}


async def _compact_all(store: UpdateStore) -> int:
    """What the room manager does: the merged document as the snapshot, and the rows it holds."""
    stored = await store.load("r1", "shared")
    snapshot = doc_from_updates(DocName.SHARED, stored.all_updates).get_update()
    return await store.compact("r1", "shared", snapshot, stored.update_ids)


async def test_compaction_merges_into_one_snapshot_and_loads_the_same(store: UpdateStore) -> None:
    updates = _updates(300)
    ids = [await store.append("r1", "shared", update) for update in updates]
    assert ids == sorted(ids) and len(set(ids)) == 300
    assert await _compact_all(store) == 300
    stored = await store.load("r1", "shared")
    assert stored.updates == [] and stored.snapshot is not None
    assert _content(stored.all_updates) == _content(updates)
    more = _updates(310)[300:]
    for update in more:
        await store.append("r1", "shared", update)
    assert await _compact_all(store) == 10
    assert _content((await store.load("r1", "shared")).all_updates) == _content(updates + more)
    assert await _compact_all(store) == 0


async def test_rows_committed_after_the_snapshot_was_taken_survive_compaction(store: UpdateStore) -> None:
    updates = _updates(20)
    for update in updates[:10]:
        await store.append("r1", "shared", update)
    stored = await store.load("r1", "shared")
    snapshot = doc_from_updates(DocName.SHARED, stored.all_updates).get_update()
    for update in updates[10:]:  # committed between taking the snapshot and compacting
        await store.append("r1", "shared", update)
    assert await store.compact("r1", "shared", snapshot, stored.update_ids) == 10
    after = await store.load("r1", "shared")
    assert len(after.updates) == 10
    assert _content(after.all_updates) == _content(updates)


async def test_two_workers_both_believing_they_hold_a_room_cannot_compact_away_each_others_edits(
    store: UpdateStore,
) -> None:
    """A paused worker wakes up still holding a room another worker took meanwhile: both compact. With several
    workers compaction merges into the stored snapshot, so neither replaces what the other stored."""
    store.merge_on_compact = True
    old = Doc()  # the paused worker's copy of the room
    new = Doc()  # the new owner's copy, loaded from the database after the first edits
    old_ids = []
    for i in range(5):
        state = old.get_state()
        old.get("deal", type=Map)[f"old{i}"] = i
        old_ids.append(await store.append("r1", "shared", old.get_update(state)))
    new.apply_update(old.get_update())
    new_ids = []
    for i in range(5):
        state = new.get_state()
        new.get("deal", type=Map)[f"new{i}"] = i
        new_ids.append(await store.append("r1", "shared", new.get_update(state)))
    assert await store.compact("r1", "shared", new.get_update(), old_ids + new_ids) == 10
    # The paused worker compacts last, with its stale copy: the new owner's edits must survive.
    assert await store.compact("r1", "shared", old.get_update(), old_ids) == 0
    content = _content((await store.load("r1", "shared")).all_updates)
    assert content == {**{f"old{i}": float(i) for i in range(5)}, **{f"new{i}": float(i) for i in range(5)}}


@pytest.mark.parametrize("step", ["written", "deleted"])
async def test_compaction_interrupted_at_any_step_loses_nothing(store: UpdateStore, step: str) -> None:
    updates = _updates(50)
    for update in updates[:20]:
        await store.append("r1", "shared", update)
    await _compact_all(store)
    for update in updates[20:]:
        await store.append("r1", "shared", update)

    def crash(at: str) -> None:
        if at == step:
            raise RuntimeError(f"crash after {at}")

    store.compaction_hook = crash
    with pytest.raises(RuntimeError):
        await _compact_all(store)
    stored = await store.load("r1", "shared")
    assert len(stored.updates) == 30, "the interrupted compaction must not have deleted any row"
    assert _content(stored.all_updates) == _content(updates)
    store.compaction_hook = lambda at: None
    assert await _compact_all(store) == 30
    assert _content((await store.load("r1", "shared")).all_updates) == _content(updates)


async def test_a_failed_commit_is_reported_to_every_waiter(store: UpdateStore) -> None:
    with pytest.raises(Exception, match=r"(?i)foreign key"):
        await store.append("no-such-room", "shared", _updates(1)[0])
    await store.append("r1", "shared", _updates(1)[0])  # the writer carries on
    assert _rows(store) == 1


_KILL_SCRIPT = r"""
import sys
from pycrdt import Doc, Map
from workspace.settings import Settings
from workspace.storage.engine import make_engine
from workspace.sync.documents import DocName, doc_from_updates
from workspace.sync.store import UpdateStore, _Append

engine = make_engine(Settings(database_url=sys.argv[1]))
store = UpdateStore(engine)
client = int(sys.argv[2])
doc = Doc(client_id=client)
deal = doc.get("deal", type=Map)
for i in range(100000):
    state = doc.get_state()
    deal[f"c{client}-{i}"] = i
    store._write_batch([_Append("r1", "shared", doc.get_update(state), None)])  # committed on return
    print(i, flush=True)
    if i % 7 == 6:
        stored = store.load_sync("r1", "shared")
        snapshot = doc_from_updates(DocName.SHARED, stored.all_updates).get_update()
        store.compact_sync("r1", "shared", snapshot, stored.update_ids)
"""


def test_sigkill_during_appends_and_compactions_loses_nothing_committed(database_url: str, tmp_path: Path) -> None:
    """A separate process appends and compacts in a loop and is SIGKILLed at arbitrary moments."""
    engine = make_engine(Settings(database_url=database_url))
    _add_room(engine)
    store = UpdateStore(engine)
    confirmed: dict[str, int] = {}
    for round_no, delay in enumerate((0.7, 1.1, 1.6)):
        client_id = 1000 + round_no
        process = subprocess.Popen(
            [sys.executable, "-c", _KILL_SCRIPT, database_url, str(client_id)],
            stdout=subprocess.PIPE,
            text=True,
            cwd=tmp_path,
            env={**os.environ, "PYTHONPATH": os.getcwd()},
        )
        assert process.stdout is not None
        last = -1
        deadline = time.monotonic() + delay
        while time.monotonic() < deadline:
            line = process.stdout.readline()
            if not line:
                break
            last = int(line)
        process.send_signal(signal.SIGKILL)
        process.wait()
        assert last >= 0, "the writer made no progress before the kill"
        confirmed[str(client_id)] = last
        content = _content(store.load_sync("r1", "shared").all_updates)
        for client, last_confirmed in confirmed.items():
            missing = [i for i in range(last_confirmed + 1) if f"c{client}-{i}" not in content]
            assert missing == [], f"round of client {client} lost confirmed updates {missing[:5]}"
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(DocSnapshot)).scalar_one() == 1
    engine.dispose()
