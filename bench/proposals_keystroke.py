"""What attributing a change costs per keystroke in a 50-clause room (workspace/proposals/tracker.py).

Run: .venv/bin/python bench/proposals_keystroke.py [--edits 200]
Every commit of a room's shared document is attributed to its writer on the event loop: the tracker reads
the subjects the change touched (one clause block for a keystroke, not the whole contract) and opens or
updates a proposal. Printed: median and p90 per keystroke in milliseconds, for the customer (a proposal
updated each time) and for the rep (accepted at once), and the cost of a full read of the terms for scale.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path
from types import SimpleNamespace
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pycrdt import XmlElement, XmlFragment, XmlText

from tests.support.big_room import room_of_50_clauses
from workspace.proposals.subjects import TermsReader
from workspace.proposals.tracker import Tracker
from workspace.rooms.models import RoomRole
from workspace.sync.documents import DocName, new_doc
from workspace.sync.guard import WriteContext


def _text_of_clause(doc: Any, index: int) -> XmlText:
    blocks = [c for c in doc.get("terms", type=XmlFragment).children if isinstance(c, XmlElement) and c.tag == "clause"]
    return blocks[index].children[1].children[0]  # type: ignore[no-any-return]


class _Room:
    """What the tracker reads of a loaded room (weakly referenced, as a RoomDoc is)."""

    def __init__(self, doc: Any) -> None:
        self.name, self.doc, self.room_id = DocName.SHARED, doc, "bench"


def run(edits: int, role: RoomRole) -> list[float]:
    doc = new_doc(DocName.SHARED)
    doc.apply_update(room_of_50_clauses())
    room = _Room(doc)
    tracker = Tracker(SimpleNamespace())  # type: ignore[arg-type]
    tracker._writes.schedule = lambda room_id: None  # type: ignore[method-assign]  # no loop: nothing written
    tracker.loaded(room)  # type: ignore[arg-type]
    sender = SimpleNamespace(identity=SimpleNamespace(user_id=1, name="Bench", context=WriteContext(role=role)))
    text = _text_of_clause(doc, 25)
    times = []
    for n in range(edits):
        text.insert(0, "x" if n % 2 == 0 else "y")
        started = time.perf_counter()
        tracker.committed(room, sender)  # type: ignore[arg-type]
        times.append((time.perf_counter() - started) * 1000)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--edits", type=int, default=200)
    edits = parser.parse_args().edits
    for role in (RoomRole.CUSTOMER, RoomRole.REP):
        times = sorted(run(edits, role))
        p90 = times[int(len(times) * 0.9)]
        print(f"{role.value:9} keystroke: median {statistics.median(times):.3f} ms, p90 {p90:.3f} ms")
    doc = new_doc(DocName.SHARED)
    doc.apply_update(room_of_50_clauses())
    started = time.perf_counter()
    for _ in range(20):
        TermsReader().read_all(doc)
    print(f"full read of the terms (for scale): {(time.perf_counter() - started) / 20 * 1000:.2f} ms")


if __name__ == "__main__":
    main()
