"""The insights report from the rooms' histories and the system's timings: per room, per rep, per approver,
and the system's time beside people's. Pure: no I/O (`workspace.insights.read` gathers the inputs).

Seconds for people's time (stages, waits, replies), milliseconds for the system's."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from approvals.request import UserId
from workspace.insights.history import RoomHistory
from workspace.insights.stages import TIMED_STAGES, intervals, time_in_stages
from workspace.insights.stats import summary, weighted_summary
from workspace.insights.timings import KINDS
from workspace.insights.waits import StepWait, customer_replies, room_waits, rounds


@dataclass(frozen=True)
class Timing:
    """One measured run of the system (`SystemTiming` as plain data)."""

    kind: str
    room_id: str | None
    ms: float
    runs: int = 1


def _person(names: Mapping[int, str], user: UserId | None) -> dict[str, Any] | None:
    if user is None:
        return None
    return {"id": user, "name": names.get(user, "?") if isinstance(user, int) else str(user)}


def _wait_view(wait: StepWait, names: Mapping[int, str], now: datetime) -> dict[str, Any]:
    return {
        "request_id": wait.request_id, "step_id": wait.step_id, "name": wait.name,
        "start": wait.start.isoformat(), "end": wait.end.isoformat() if wait.end else None,
        "seconds": round(wait.seconds(now), 1), "outcome": wait.outcome,
        "waited_on": [_person(names, user) for user in wait.waited_on], "decided_by": _person(names, wait.decided_by),
    }  # fmt: skip


@dataclass(frozen=True)
class _Room:
    history: RoomHistory
    view: dict[str, Any]
    waits: list[StepWait]
    replies: list[float]


def _room(history: RoomHistory, names: Mapping[int, str], timings: Sequence[Timing], now: datetime) -> _Room:
    spans = intervals(history)
    waits = room_waits(history)
    replies = customer_replies(history)
    first_export = history.exports[0] if history.exports else None
    system = {kind: 0.0 for kind in KINDS}
    for timing in timings:
        system[timing.kind] = system.get(timing.kind, 0.0) + timing.ms * timing.runs
    people = sum(wait.seconds(now) for wait in waits) + sum(replies)
    view = {
        "room_id": history.room_id, "title": history.title, "rep": _person(names, history.rep_id),
        "opened_at": history.opened_at.isoformat(), "stage": spans[-1].stage.value,
        "stage_seconds": {k: round(v, 1) for k, v in time_in_stages(spans, now).items()},
        "intervals": [{"stage": s.stage.value, "start": s.start.isoformat(),
                       "end": s.end.isoformat() if s.end else None} for s in spans],
        "rounds": rounds(history),
        "to_first_export_seconds": round((first_export - history.opened_at).total_seconds(), 1)
        if first_export else None,
        "approval_waits": [_wait_view(wait, names, now) for wait in waits],
        "customer_replies": summary(replies),
        "system_ms": {kind: round(ms, 1) for kind, ms in system.items()},
        "people_seconds": round(people, 1),
    }  # fmt: skip
    return _Room(history, view, waits, replies)


def _approvers(rooms: Iterable[_Room], names: Mapping[int, str], now: datetime) -> list[dict[str, Any]]:
    waited: dict[UserId, list[float]] = defaultdict(list)
    waiting_now: dict[UserId, int] = defaultdict(int)
    for room in rooms:
        for wait in room.waits:
            for user in wait.waited_on:
                waited[user].append(wait.seconds(now))
                waiting_now[user] += wait.outcome == "pending"
    found = [{**(_person(names, user) or {}), **summary(values), "waiting_now": waiting_now[user]}
             for user, values in waited.items()]  # fmt: skip
    return sorted(found, key=lambda a: (-(a["median"] or 0), str(a["name"])))


def _reps(rooms: Sequence[_Room], names: Mapping[int, str], now: datetime) -> list[dict[str, Any]]:
    by_rep: dict[int | None, list[_Room]] = defaultdict(list)
    for room in rooms:
        by_rep[room.history.rep_id].append(room)
    found = []
    for rep_id, mine in by_rep.items():
        exported = [r.view["to_first_export_seconds"] for r in mine if r.view["to_first_export_seconds"] is not None]
        found.append({
            "id": rep_id, "name": names.get(rep_id, "?") if rep_id is not None else "—", "rooms": len(mine),
            "to_first_export": summary(exported), "rounds": summary([r.view["rounds"] for r in mine]),
            "approval_waits": summary([w.seconds(now) for r in mine for w in r.waits]),
            "customer_replies": summary([reply for r in mine for reply in r.replies]),
        })  # fmt: skip
    return sorted(found, key=lambda r: str(r["name"]))


def build(histories: Sequence[RoomHistory], timings: Sequence[Timing], names: Mapping[int, str],
          now: datetime) -> dict[str, Any]:  # fmt: skip
    """The whole report; `timings` are those of these rooms (and the room-less ones of the period)."""
    by_room: dict[str | None, list[Timing]] = defaultdict(list)
    for timing in timings:
        by_room[timing.room_id].append(timing)
    rooms = [_room(history, names, by_room.get(history.room_id, []), now) for history in histories]
    stages = [
        {"stage": stage.value, **summary([r.view["stage_seconds"][stage.value] for r in rooms
                                          if r.view["stage_seconds"][stage.value] > 0])}
        for stage in TIMED_STAGES
    ]  # fmt: skip
    system = []
    for kind in KINDS:
        mine = [t for t in timings if t.kind == kind]
        system.append({"kind": kind, **weighted_summary([t.ms for t in mine], [t.runs for t in mine], digits=2)})
    people = [
        {"kind": "approval_wait", **summary([w.seconds(now) for r in rooms for w in r.waits])},
        {"kind": "customer_reply", **summary([reply for r in rooms for reply in r.replies])},
    ]
    exported = [r.view["to_first_export_seconds"] for r in rooms if r.view["to_first_export_seconds"] is not None]
    return {
        "now": now.isoformat(),
        "rooms": [room.view for room in sorted(rooms, key=lambda r: r.history.opened_at, reverse=True)],
        "stages": stages,
        "approvers": _approvers(rooms, names, now),
        "reps": _reps(rooms, names, now),
        "to_first_export": summary(exported),
        "rounds": summary([r.view["rounds"] for r in rooms]),
        "system": system,
        "people": people,
    }


CSV_HEADER = (
    "room_id", "title", "rep", "opened_at", "stage", *(f"{stage.value}_seconds" for stage in TIMED_STAGES),
    "rounds", "approval_steps", "approval_wait_seconds", "longest_wait_on", "longest_wait_seconds",
    "customer_reply_median_seconds", "to_first_export_seconds", "system_pricing_ms", "system_routing_ms",
    "system_export_ms", "people_seconds",
)  # fmt: skip


def csv_rows(report: Mapping[str, Any]) -> list[list[Any]]:
    """One row per room of `build`'s report, in `CSV_HEADER`'s columns (values as they are, blanks for none)."""
    rows = []
    for room in report["rooms"]:
        waits = room["approval_waits"]
        longest = max(waits, key=lambda w: w["seconds"], default=None)
        on = ", ".join(p["name"] for p in longest["waited_on"]) if longest else ""
        rows.append([
            room["room_id"], room["title"], (room["rep"] or {}).get("name", ""), room["opened_at"], room["stage"],
            *(room["stage_seconds"][stage.value] for stage in TIMED_STAGES), room["rounds"], len(waits),
            round(sum(w["seconds"] for w in waits), 1), on, longest["seconds"] if longest else "",
            room["customer_replies"]["median"] if room["customer_replies"]["count"] else "",
            "" if room["to_first_export_seconds"] is None else room["to_first_export_seconds"],
            *(room["system_ms"].get(kind, 0.0) for kind in KINDS), room["people_seconds"],
        ])  # fmt: skip
    return rows
