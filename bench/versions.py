"""Comparing two versions of a 50-clause, 200-line deal (issue 12 target: under 200 ms server time).

Run: .venv/bin/python bench/versions.py [--rounds 50]
(1) The compare function alone (`workspace.record.compare.compare`) on two kept plain views that differ in five
clauses and twenty lines. (2) `GET /api/rooms/{id}/versions/compare` on a real server (SQLite): two kept
versions (`from=1&to=2`) and a kept version against the room as it is now (`to=current`, which also reads and
prices the room; "cold": with the remembered snapshot of the room dropped before each request, as after an
edit), each as the server's own time (its `Server-Timing` header) and end to end. Median and p95.
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

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from _live import live_server  # noqa: E402
from clauses_room import _room  # noqa: E402
from pycrdt import Array, Doc, XmlFragment, XmlText  # noqa: E402

from clauses.library import library_to_dict  # noqa: E402
from clauses.samples_library import sample_library  # noqa: E402
from tests.support.accounts import add_user, sign_in  # noqa: E402
from tests.support.yclient import YClient, wait_until  # noqa: E402
from workspace.pricing.samples import SAMPLE_PRICE_BOOK  # noqa: E402
from workspace.record import snapshots  # noqa: E402
from workspace.record.compare import compare  # noqa: E402

TARGET_MS = 200.0


def stats(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    return {"median_ms": round(statistics.median(ordered), 2),
            "p95_ms": round(ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))], 2)}  # fmt: skip


def _edit(doc: Doc) -> None:
    """Five clauses get a new sentence and twenty lines a discount: a round of negotiation."""
    clauses = list(doc.get("terms", type=XmlFragment).children)
    for index in (3, 11, 19, 27, 42):
        paragraph = list(clauses[index].children)[1]
        text = next(part for part in paragraph.children if isinstance(part, XmlText))
        text.insert(len(str(text)), " Amended in this round, subject to the terms agreed in writing.")
    lines = doc.get("lines", type=Array)
    for index in range(0, 200, 10):
        lines[index]["discountPct"] = 12


async def run(rounds: int) -> None:
    with live_server() as server:
        sessions = server.services.sessions
        for email, role in (("admin@b.test", "admin"), ("rep@b.test", "rep"), ("legal@b.test", "legal")):
            add_user(sessions, email, role)
        admin, rep, legal = (sign_in(server.url, e) for e in ("admin@b.test", "rep@b.test", "legal@b.test"))
        admin.http.put("/api/pricebook", json=SAMPLE_PRICE_BOOK).raise_for_status()
        legal.http.post("/api/clauses/import", json=library_to_dict(sample_library())).raise_for_status()
        room = rep.http.post("/api/rooms", json={"title": "Bench", "customer_name": "B"}).json()["id"]
        async with YClient(server.ws_url(room), rep.bearer) as client:
            await client.edit(lambda doc: _room(doc, 200))
            await wait_until(lambda: len(rep.http.get(f"/api/rooms/{room}/snapshot").json()["shared"]["lines"]) == 200,
                             30, "the room to be stored")  # fmt: skip
            rep.http.post(f"/api/rooms/{room}/versions", json={"label": "Opening"}).raise_for_status()
            await client.edit(_edit)

            def stored() -> bool:
                lines = rep.http.get(f"/api/rooms/{room}/snapshot").json()["shared"]["lines"]
                return bool(lines[190]["discountPct"] == 12)

            await wait_until(stored, 30, "the edit to be stored")
            rep.http.post(f"/api/rooms/{room}/versions", json={"label": "Counter"}).raise_for_status()

        with sessions() as db:
            from workspace.record.models import RoomVersion

            first, second = (db.query(RoomVersion).filter_by(room_id=room, number=n).one().plain for n in (1, 2))
        result = compare(first, second)
        counts = result["counts"]
        assert counts["terms"] == 5 and counts["lines"] == 20, counts

        def timed(action: Callable[[], object]) -> float:
            started = time.perf_counter()
            action()
            return (time.perf_counter() - started) * 1000

        function = [timed(lambda: compare(first, second)) for _ in range(rounds)]
        http: dict[str, dict[str, list[float]]] = {}
        for to in ("2", "current", "current-cold"):
            server_ms, total_ms = [], []
            for _ in range(rounds):
                if to == "current-cold":  # the room "now" read and priced afresh, as after an edit
                    snapshots._recent.clear()
                started = time.perf_counter()
                params = {"from": "1", "to": to.removesuffix("-cold")}
                answer = rep.http.get(f"/api/rooms/{room}/versions/compare", params=params)
                total_ms.append((time.perf_counter() - started) * 1000)
                answer.raise_for_status()
                server_ms.append(float(answer.headers["server-timing"].split("dur=")[1]))
            http[to] = {"server": server_ms, "end_to_end": total_ms}
        print(json.dumps({
            "rounds": rounds, "clauses": 50, "lines": 200, "changed": counts, "target_ms": TARGET_MS,
            "compare_function": stats(function),
            "http_compare_two_versions": {kind: stats(s) for kind, s in http["2"].items()},
            "http_compare_with_current": {kind: stats(s) for kind, s in http["current"].items()},
            "http_compare_with_current_cold": {kind: stats(s) for kind, s in http["current-cold"].items()},
            "response_bytes": len(answer.content),
        }))  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=50)
    asyncio.run(run(parser.parse_args().rounds))


if __name__ == "__main__":
    main()
