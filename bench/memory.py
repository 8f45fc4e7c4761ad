"""Memory per idle loaded room: load N rooms of ~10 KB each into the room manager, measure RSS.

Run: .venv/bin/python bench/memory.py [--rooms 200] [--doc-kb 10]
Prints one JSON line. Each loaded room holds its two structures: the document and the guard's twin.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import random
import resource
import tempfile
from pathlib import Path

from prometheus_client import CollectorRegistry
from pycrdt import Doc, Map, Text

from workspace.settings import Settings
from workspace.storage.engine import make_engine
from workspace.storage.migrate import upgrade
from workspace.sync.documents import DocName
from workspace.sync.manager import RoomManager
from workspace.sync.metrics import SyncMetrics
from workspace.sync.store import UpdateStore


def _rss_kb() -> int:
    with open("/proc/self/statm") as statm:
        pages = int(statm.read().split()[1])
    return pages * resource.getpagesize() // 1024


def _room_content(kb: int) -> bytes:
    """About `kb` KB of encoded state from a negotiation: two people typing into the same terms at
    different places, a few characters at a time, with deletions (many small items, as in real use)."""
    rng = random.Random(7)
    rep: Doc = Doc(client_id=1)
    buyer: Doc = Doc(client_id=2)
    rep.get("comments", type=Map)["terms"] = Text()
    buyer.apply_update(rep.get_update())
    phrase = "The supplier shall indemnify the customer against third-party claims. "
    while len(rep.get_update()) < kb * 1024:
        for doc in (rep, buyer):
            text = doc.get("comments", type=Map)["terms"]
            at = rng.randint(0, len(text))
            text.insert(at, phrase[rng.randint(0, 60) :][:6])
            if len(text) > 20 and rng.random() < 0.3:
                start = rng.randint(0, len(text) - 4)
                del text[start : start + 3]
        rep.apply_update(buyer.get_update(rep.get_state()))
        buyer.apply_update(rep.get_update(buyer.get_state()))
    return rep.get_update()


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rooms", type=int, default=200)
    parser.add_argument("--doc-kb", type=int, default=10)
    parser.add_argument(
        "--writing", action="store_true", help="rooms being written to: the write guard's twin is built too"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(database_url=f"sqlite:///{Path(tmp) / 'm.sqlite3'}", room_idle_unload_seconds=3600)
        engine = make_engine(settings)
        upgrade(engine)
        content = _room_content(args.doc_kb)
        with engine.begin() as conn:
            conn.exec_driver_sql(
                "INSERT INTO users (id, email, name, role, is_active, created_at) "
                "VALUES (1, 'b@x', 'B', 'rep', 1, CURRENT_TIMESTAMP)"
            )
            for i in range(args.rooms):
                conn.exec_driver_sql(
                    "INSERT INTO rooms (id, title, customer_name, customer_may_edit_pricing, customer_deal_fields, "
                    "created_by, created_at) VALUES (?, 'B', 'C', 0, '[]', 1, CURRENT_TIMESTAMP)",
                    (f"r{i}",),
                )
                conn.exec_driver_sql(
                    "INSERT INTO doc_snapshots (room_id, doc, payload, last_update_id, compacted_at) "
                    "VALUES (?, 'shared', ?, 0, CURRENT_TIMESTAMP)",
                    (f"r{i}", content),
                )
        store = UpdateStore(engine)
        await store.start()
        manager = RoomManager(store, settings, SyncMetrics(CollectorRegistry()))
        # Warm up allocators and imports with one room, then measure the rest.
        first = await manager.acquire("r0", DocName.SHARED)
        if args.writing:
            assert first.guard.twin is not None
        gc.collect()
        before = _rss_kb()
        for i in range(1, args.rooms):
            room = await manager.acquire(f"r{i}", DocName.SHARED)
            if args.writing:
                assert room.guard.twin is not None
        gc.collect()
        after = _rss_kb()
        await store.stop()
        engine.dispose()
    per_room = (after - before) / (args.rooms - 1)
    print(
        json.dumps(
            {
                "rooms": args.rooms,
                "state": "being written (document + guard twin)" if args.writing else "idle (document only)",
                "doc_bytes": len(content),
                "rss_per_room_kb": round(per_room, 1),
                "ratio_to_doc_size": round(per_room * 1024 / len(content), 1),
            }
        )
    )


if __name__ == "__main__":
    asyncio.run(main())
