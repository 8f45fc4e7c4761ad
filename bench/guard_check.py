"""The write guard's cost per customer edit in a 50-clause room: a keystroke in the terms and a comment.

Run: .venv/bin/python bench/guard_check.py [--edits 200]
A customer's update goes through `Guard.check` (apply to the twin, shapes, schema, who may write what,
clause pins, quota) on the event loop before it is stored and broadcast, so its time is every edit's
server CPU. Printed: median and p90 per edit, in milliseconds.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pycrdt import Doc, Map, XmlFragment

from tests.support.big_room import room_of_50_clauses
from workspace.rooms.models import RoomRole
from workspace.sync.documents import DocName
from workspace.sync.guard import Guard, WriteContext


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--edits", type=int, default=200)
    edits = parser.parse_args().edits
    accepted = [room_of_50_clauses()]
    guard = Guard(DocName.SHARED, lambda: list(accepted))
    asyncio.run(guard.prepare(list(accepted)))
    client = Doc()
    client.apply_update(accepted[0])
    # The rep opened the start date to the customer; threads (`comments`) are written by the server only.
    customer = WriteContext(role=RoomRole.CUSTOMER, customer_deal_fields=frozenset({"startDate"}))

    def keystroke(number: int) -> None:
        preamble = list(client.get("terms", type=XmlFragment).children)[1]
        preamble.children[0].insert(0, "x")

    def deal_field(number: int) -> None:
        client.get("deal", type=Map)["startDate"] = f"2027-01-{number % 28 + 1:02d}"

    edits_of: dict[str, Callable[[int], None]] = {"a keystroke in the terms": keystroke, "a deal field": deal_field}
    for name, edit in edits_of.items():
        samples = []
        for number in range(edits):
            before = client.get_state()
            edit(number)
            update = client.get_update(before)
            started = time.perf_counter()
            guard.check(update, customer)
            samples.append((time.perf_counter() - started) * 1000)
            accepted.append(update)
        samples.sort()
        print(json.dumps({"measure": f"guard check of {name} (customer, 50 clauses)",
                          "median_ms": round(statistics.median(samples), 3),
                          "p90_ms": round(samples[int(len(samples) * 0.9)], 3)}))  # fmt: skip


if __name__ == "__main__":
    main()
