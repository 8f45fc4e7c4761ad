"""The timeline of a room with 10,000 changes: the server's work for `GET /api/rooms/{id}/timeline`.

Run: .venv/bin/python bench/timeline.py [--changes 10000] [--database-url URL] [--repeats 50]
Prints one JSON line. The room's change events are inserted directly (three people taking turns, sessions
of 5 to 300 changes, pauses of 20 minutes to a day between them; every tenth change is an internal note),
with 40,000 events of four other rooms beside them. Timed, median and p95 over repeated runs:
- `page`: the handler's query + grouping (`workspace.activity.timeline.page`), first page of 20 sessions,
  for the rep (every change) and the customer (no internal notes), and a page from the middle (`before`);
- `http`: the route through Starlette's test client (sign-in by API token, access check, JSON), rep.
Also the worst case: one person's single session of 10,000 changes (a page reads at most 2,000).
The target is 200 ms.

And what the edit path pays for the record: `capture.touched` (on the event loop, after the guard took an
update) for a keystroke inside clause 40 of a 50-clause room, and for a quantity change of line 150 of 200,
next to the guard's own check of the same update (median over 200 edits, microseconds).
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from pycrdt import Array, Doc, Map, XmlElement, XmlFragment, XmlText
from sqlalchemy import Engine, insert, text
from starlette.testclient import TestClient

from workspace.activity import timeline
from workspace.activity.capture import touched
from workspace.activity.models import RoomEvent
from workspace.app import create_app
from workspace.auth.models import ApiToken
from workspace.auth.secrets import digest, new_token
from workspace.rooms.models import RoomRole
from workspace.settings import Settings
from workspace.storage.engine import make_engine, make_sessionmaker
from workspace.storage.migrate import upgrade
from workspace.sync.documents import DocName
from workspace.sync.guard import Guard, WriteContext

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from tests.support.big_room import room_of_50_clauses

START = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
PEOPLE = [(1, "Rita Rep", "rep"), (2, "Bo Buyer", "customer"), (3, "Lou Legal", "legal")]
SUBJECTS: list[tuple[str, dict[str, Any]]] = [
    ("change.lines", {"line_id": "seats", "sku": "PLAT-PRO", "product": "Platform Professional", "fields": ["qty"]}),
    ("change.terms", {"part": "clause", "clause_id": "liability", "title": "Limitation of liability"}),
    ("change.deal", {"field": "paymentTermsDays"}),
    ("change.terms", {"part": "free_text"}),
]


def _setup(engine: Engine) -> str:
    with engine.begin() as conn:
        for user_id, name, role in PEOPLE:
            conn.execute(
                text("INSERT INTO users (id, email, name, role, is_active, created_at) "
                     "VALUES (:id, :email, :name, :role, true, CURRENT_TIMESTAMP)"),
                {"id": user_id, "email": f"u{user_id}@bench.test", "name": name,
                 "role": "customer" if role == "customer" else role},
            )  # fmt: skip
        for room in ["bench", "single", "o1", "o2", "o3", "o4"]:
            conn.execute(
                text("INSERT INTO rooms (id, title, customer_name, customer_may_edit_pricing, customer_deal_fields, "
                     "created_by, created_at) VALUES (:id, 'B', 'C', false, '[]', 1, CURRENT_TIMESTAMP)"),
                {"id": room},
            )  # fmt: skip
            conn.execute(text("INSERT INTO memberships (room_id, user_id, role, created_at) "
                              "VALUES (:room, 1, 'rep', CURRENT_TIMESTAMP)"), {"room": room})  # fmt: skip
        token = new_token("drt")
        conn.execute(insert(ApiToken).values(user_id=1, name="bench", token_hash=digest(token)))
    return token


def _rows(room_id: str, count: int, rng: random.Random, single: bool = False) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    at = START
    person = 0
    while len(rows) < count:
        length = count if single else rng.randint(5, 300)
        for _ in range(min(length, count - len(rows))):
            at += timedelta(seconds=rng.randint(5, 240))
            user_id, name, role = PEOPLE[person]
            kind, subject = SUBJECTS[rng.randrange(len(SUBJECTS))]
            internal = role != "customer" and len(rows) % 10 == 9
            if internal:
                kind, subject = "change.notes", {"section": "notes"}
            rows.append({"room_id": room_id, "at": at, "last_at": at + timedelta(seconds=rng.randint(0, 50)),
                         "actor_id": user_id, "actor_name": name, "actor_role": role, "kind": kind,
                         "audience": "internal" if internal else "everyone", "subject": subject,
                         "summary": f"{name} changed something", "edits": rng.randint(1, 40)})  # fmt: skip
        person = (person + 1) % len(PEOPLE)
        at += timedelta(minutes=rng.randint(20, 1440))
    return rows


def _timed(work: Callable[[], object], repeats: int) -> dict[str, float]:
    work()  # warm caches and the statement cache
    samples = []
    for _ in range(repeats):
        started = time.perf_counter()
        work()
        samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    return {"median_ms": round(statistics.median(samples), 2),
            "p95_ms": round(samples[min(len(samples) - 1, int(len(samples) * 0.95))], 2)}  # fmt: skip


def _capture_cost(edits: int = 200) -> dict[str, Any]:
    room = Doc()
    room.apply_update(room_of_50_clauses())
    lines = room.get("lines", type=Array)
    for number in range(200):
        lines.append(Map({"id": f"l{number}", "sku": "PLAT-PRO", "qty": 10, "discountPct": 0, "locked": False}))
    room.get("computed", type=Map)["quote"] = {
        "lines": [{"id": f"l{n}", "name": f"Product {n}"} for n in range(200)]
    }  # fmt: skip
    accepted = [room.get_update()]
    guard = Guard(DocName.SHARED, lambda: list(accepted))
    client = Doc()
    client.apply_update(accepted[0])
    rep = WriteContext(role=RoomRole.REP)

    def keystroke(number: int) -> None:
        block = client.get("terms", type=XmlFragment).children[40]
        assert isinstance(block, XmlElement)
        paragraph = block.children[1]
        assert isinstance(paragraph, XmlElement)
        next(part for part in paragraph.children if isinstance(part, XmlText)).insert(0, "x")

    def quantity(number: int) -> None:
        client.get("lines", type=Array)[150]["qty"] = 11 + number

    results: dict[str, Any] = {}
    for name, edit in {"keystroke_in_clause_40_of_50": keystroke, "quantity_of_line_150_of_200": quantity}.items():
        guard_us, capture_us = [], []
        for number in range(edits):
            before = client.get_state()
            edit(number)
            update = client.get_update(before)
            started = time.perf_counter()
            guard.check(update, rep)
            checked = time.perf_counter()
            found = touched(DocName.SHARED, guard.twin, guard.observed)
            capture_us.append((time.perf_counter() - checked) * 1e6)
            guard_us.append((checked - started) * 1e6)
            assert len(found) == 1
            accepted.append(update)
        results[name] = {"guard_median_us": round(statistics.median(guard_us), 1),
                         "capture_median_us": round(statistics.median(capture_us), 1)}  # fmt: skip
    return results


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--changes", type=int, default=10_000)
    parser.add_argument("--repeats", type=int, default=50)
    parser.add_argument("--database-url")
    args = parser.parse_args()
    rng = random.Random(12)
    with tempfile.TemporaryDirectory() as tmp:
        url = args.database_url or f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"
        settings = Settings(database_url=url, secret_key="bench", public_url="http://testserver")
        engine = make_engine(settings)
        upgrade(engine)
        token = _setup(engine)
        with engine.begin() as conn:
            for room in ["o1", "o2", "o3", "o4"]:
                conn.execute(insert(RoomEvent), _rows(room, args.changes, rng))
            conn.execute(insert(RoomEvent), _rows("bench", args.changes, rng))
            conn.execute(insert(RoomEvent), _rows("single", args.changes, rng, single=True))
            if engine.dialect.name == "postgresql":
                conn.execute(text("ANALYZE room_events"))
        sessions = make_sessionmaker(engine)
        results: dict[str, Any] = {"changes": args.changes, "database": engine.dialect.name, "target_ms": 200}

        def page(room: str, internal: bool, before: int | None = None) -> Callable[[], object]:
            def run() -> object:
                with sessions() as db:
                    return timeline.page(db, room, internal=internal, before=before, limit=20)

            return run

        first = page("bench", True)()
        assert isinstance(first, dict)
        with sessions() as db:
            middle = db.scalar(text("SELECT id FROM room_events WHERE room_id = 'bench' ORDER BY id LIMIT 1 OFFSET :n"),
                               {"n": args.changes // 2})  # fmt: skip
        results["sessions_on_first_page"] = len(first["sessions"])
        results["changes_on_first_page"] = sum(len(s["changes"]) for s in first["sessions"])
        results["page_rep"] = _timed(page("bench", True), args.repeats)
        results["page_customer"] = _timed(page("bench", False), args.repeats)
        results["page_middle_rep"] = _timed(page("bench", True, middle), args.repeats)
        results["page_single_session_of_all_changes"] = _timed(page("single", True), args.repeats)
        with TestClient(create_app(settings)) as client:
            headers = {"Authorization": f"Bearer {token}"}
            answer = client.get("/api/rooms/bench/timeline", headers=headers)
            assert answer.status_code == 200, answer.text
            results["http_bytes"] = len(answer.content)
            results["http_rep"] = _timed(lambda: client.get("/api/rooms/bench/timeline", headers=headers), args.repeats)
            results["http_single_session"] = _timed(
                lambda: client.get("/api/rooms/single/timeline", headers=headers), args.repeats
            )
        if engine.dialect.name == "sqlite":
            with engine.connect() as conn:
                plan = conn.execute(text(
                    "EXPLAIN QUERY PLAN SELECT * FROM room_events WHERE room_id = 'bench' AND kind LIKE 'change.%' "
                    "ORDER BY id DESC LIMIT 500")).all()  # fmt: skip
            results["sqlite_plan"] = " / ".join(str(row[-1]) for row in plan)
        engine.dispose()
    results["edit_path"] = _capture_cost()
    print(json.dumps(results))


if __name__ == "__main__":
    main()
