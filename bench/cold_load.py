"""Cold load of a room whose log holds 10,000 updates, before and after compaction.

Run: .venv/bin/python bench/cold_load.py [--updates 10000] [--database-url URL]
Prints one JSON line. "Cold load" is what the room manager does on first use (`RoomManager._load`): read
the snapshot and the log tail from the database, build the Y document, and build the guard's layout of
every item (`Guard.prepare`, in a worker thread, awaited before the room is handed out). Each stage is
timed on its own (median of the runs, process CPU time beside wall time: other work on a shared machine
lengthens the wall time only), and the whole load through `RoomManager._load`.

The log is what clients send: one update per keystroke or field change, each carrying only its own
transaction (as y-websocket's `doc.on("update")` gives it), the first one creating the text they type in.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from prometheus_client import CollectorRegistry
from pycrdt import Doc, Map, Text, TransactionEvent

from workspace.settings import Settings
from workspace.storage.engine import make_engine
from workspace.storage.migrate import upgrade
from workspace.sync.documents import DocName, doc_from_updates
from workspace.sync.guard import Guard
from workspace.sync.manager import RoomManager
from workspace.sync.metrics import SyncMetrics
from workspace.sync.store import UpdateStore


def _typing_session(count: int) -> list[bytes]:
    """Updates like a person typing terms and changing deal fields: one update per keystroke."""
    doc: Doc = Doc()
    comments = doc.get("comments", type=Map)
    deal = doc.get("deal", type=Map)
    updates: list[bytes] = []

    def sent(event: TransactionEvent) -> None:
        updates.append(event.update)

    subscription = doc.observe(sent)
    comments["c1"] = Text()
    text = comments["c1"]
    words = "the customer may terminate this agreement for convenience with ninety days notice "
    for i in range(count - 1):
        if i % 20 == 19:
            deal["termMonths"] = i % 48
        elif i % 7 == 6 and len(text) > 10:
            del text[len(text) - 3 : len(text) - 1]
        else:
            text.insert(len(text), words[i % len(words)])
    doc.unobserve(subscription)
    assert len(updates) == count
    return updates


async def _timed(work: Callable[[], Awaitable[Any]], repeats: int) -> dict[str, float]:
    """Median wall and CPU milliseconds of `work` (CPU: this process, every thread, so a worker thread's too)."""
    walls, cpus = [], []
    for _ in range(repeats):
        wall, cpu = time.perf_counter(), time.process_time()
        await work()
        cpus.append((time.process_time() - cpu) * 1000)
        walls.append((time.perf_counter() - wall) * 1000)
    return {"ms": round(statistics.median(walls), 2), "cpu_ms": round(statistics.median(cpus), 2)}


async def _stages(store: UpdateStore, manager: RoomManager, repeats: int) -> dict[str, Any]:
    stored = await store.load("bench", "shared")
    doc = doc_from_updates(DocName.SHARED, stored.all_updates)

    async def read() -> None:
        await store.load("bench", "shared")

    async def build() -> None:
        doc_from_updates(DocName.SHARED, stored.all_updates)

    async def layout() -> None:
        await Guard(DocName.SHARED, lambda: [doc.get_update()]).prepare(stored.all_updates)

    async def whole() -> None:
        await manager._load(("bench", DocName.SHARED))

    return {
        "rows": len(stored.updates) + (1 if stored.snapshot else 0),
        "read_rows": await _timed(read, repeats),
        "build_doc": await _timed(build, repeats),
        "guard_layout": await _timed(layout, repeats),
        "manager_load": await _timed(whole, repeats),
        "doc_bytes": len(doc.get_update()),
    }


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--updates", type=int, default=10_000)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--database-url")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = args.database_url or f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"
        # Compaction only when the bench asks for it: a load must not compact the log it is measured on.
        settings = Settings(database_url=url, compact_after_updates=10**9)
        engine = make_engine(settings)
        upgrade(engine)
        with engine.begin() as conn:
            conn.exec_driver_sql(
                "INSERT INTO users (id, email, name, role, is_active, created_at) "
                "VALUES (1, 'b@x', 'B', 'rep', true, CURRENT_TIMESTAMP)"
            )
            conn.exec_driver_sql(
                "INSERT INTO rooms (id, title, customer_name, customer_may_edit_pricing, customer_deal_fields, "
                "created_by, created_at) VALUES ('bench', 'B', 'C', false, '[]', 1, CURRENT_TIMESTAMP)"
            )
        store = UpdateStore(engine)
        await store.start()
        manager = RoomManager(store, settings, SyncMetrics(CollectorRegistry()))
        updates = _typing_session(args.updates)
        started = time.perf_counter()
        await asyncio.gather(*(store.append("bench", "shared", u) for u in updates))
        append_s = time.perf_counter() - started
        before = await _stages(store, manager, args.repeats)
        # What the room manager does: snapshot = the loaded document, deleting the rows it holds.
        stored = await store.load("bench", "shared")
        doc = doc_from_updates(DocName.SHARED, stored.all_updates)
        started = time.perf_counter()
        merged = await store.compact("bench", "shared", doc.get_update(), stored.update_ids)
        compact_ms = (time.perf_counter() - started) * 1000
        after = await _stages(store, manager, args.repeats * 4)
        await store.stop()
        engine.dispose()
    print(
        json.dumps(
            {
                "updates": args.updates,
                "log_bytes": sum(map(len, updates)),
                "append_all_s": round(append_s, 3),
                "commits": store.stats.batches,
                "uncompacted": before,
                "cold_load_uncompacted_ms": before["manager_load"]["ms"],
                "compaction_ms": round(compact_ms, 1),
                "rows_merged": merged,
                "compacted": after,
                "cold_load_compacted_ms": after["manager_load"]["ms"],
                "target_ms": 100,
                "same_doc": before["doc_bytes"] == after["doc_bytes"],
            }
        )
    )


if __name__ == "__main__":
    asyncio.run(main())
