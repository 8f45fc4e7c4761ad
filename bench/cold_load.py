"""Cold load of a room whose log holds 10,000 updates, before and after compaction.

Run: .venv/bin/python bench/cold_load.py [--updates 10000] [--database-url URL]
Prints one JSON line. "Cold load" is what the room manager does on first use: read the snapshot
and the log tail from the database and build the Y document.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import tempfile
import time
from pathlib import Path

from pycrdt import Doc, Map, Text

from workspace.settings import Settings
from workspace.storage.engine import make_engine
from workspace.storage.migrate import upgrade
from workspace.sync.documents import DocName, doc_from_updates
from workspace.sync.store import UpdateStore


def _typing_session(count: int) -> list[bytes]:
    """Updates like a person typing terms and changing deal fields: one update per keystroke."""
    doc: Doc = Doc()
    comments = doc.get("comments", type=Map)
    deal = doc.get("deal", type=Map)
    comments["c1"] = Text()
    text = comments["c1"]
    updates: list[bytes] = []
    words = "the customer may terminate this agreement for convenience with ninety days notice "
    for i in range(count):
        state = doc.get_state()
        if i % 20 == 19:
            deal["termMonths"] = i % 48
        elif i % 7 == 6 and len(text) > 10:
            del text[len(text) - 3 : len(text) - 1]
        else:
            text.insert(len(text), words[i % len(words)])
        updates.append(doc.get_update(state))
    return updates


async def _load_ms(store: UpdateStore, repeats: int) -> tuple[float, int]:
    timings = []
    size = 0
    for _ in range(repeats):
        started = time.perf_counter()
        stored = await store.load("bench", "shared")
        doc = doc_from_updates(DocName.SHARED, stored.all_updates)
        timings.append((time.perf_counter() - started) * 1000)
        size = len(doc.get_update())
    return statistics.median(timings), size


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--updates", type=int, default=10_000)
    parser.add_argument("--database-url")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = args.database_url or f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"
        engine = make_engine(Settings(database_url=url))
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
        updates = _typing_session(args.updates)
        started = time.perf_counter()
        await asyncio.gather(*(store.append("bench", "shared", u) for u in updates))
        append_s = time.perf_counter() - started
        before_ms, size = await _load_ms(store, 5)
        # What the room manager does: snapshot = the loaded document, deleting the rows it holds.
        stored = await store.load("bench", "shared")
        doc = doc_from_updates(DocName.SHARED, stored.all_updates)
        started = time.perf_counter()
        merged = await store.compact("bench", "shared", doc.get_update(), stored.update_ids)
        compact_ms = (time.perf_counter() - started) * 1000
        after_ms, size_after = await _load_ms(store, 20)
        await store.stop()
        engine.dispose()
    print(
        json.dumps(
            {
                "updates": args.updates,
                "append_all_s": round(append_s, 3),
                "commits": store.stats.batches,
                "cold_load_uncompacted_ms": round(before_ms, 2),
                "compaction_ms": round(compact_ms, 1),
                "rows_merged": merged,
                "cold_load_compacted_ms": round(after_ms, 2),
                "doc_bytes": size_after,
                "target_ms": 100,
                "same_size": size == size_after,
            }
        )
    )


if __name__ == "__main__":
    asyncio.run(main())
