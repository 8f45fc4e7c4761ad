"""Which approvals a version carried (internal only): the requests bound to its fingerprint, each step with its
state and decisions; and every decision of a room, for the export's negotiation summary."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy.orm import Session

import approvals
from approvals import Decision
from workspace.approval_policy import views
from workspace.approval_policy.requests import room_requests


def _name(people: dict[str, dict[str, str]], user_id: Any) -> str:
    return people.get(str(user_id), {}).get("name", str(user_id))


def _request_view(request: approvals.Request, people: dict[str, dict[str, str]]) -> dict[str, Any]:
    return {
        "request_id": request.id,
        "state": str(request.state),
        "submitted_by": _name(people, request.submitted_by),
        "submitted_at": request.submitted_at.isoformat(),
        "steps": [
            {"name": step.name, "state": str(step.state), "decisions": [
                {"approver": _name(people, record.actor), "decision": str(record.decision),
                 "at": record.at.isoformat(), "comment": record.comment}
                for record in step.decisions
            ]}
            for step in request.steps
        ],
    }  # fmt: skip


def carried(db: Session, room_id: str, fingerprints: Iterable[str]) -> dict[str, list[dict[str, Any]]]:
    """For each fingerprint, the room's requests bound to it (newest first) with their steps and decisions."""
    wanted = set(fingerprints)
    requests = [request for _, request in room_requests(db, room_id) if request.fingerprint in wanted]
    named: set[Any] = set()
    for request in requests:
        named |= views.ids(request)
    people = views.people(db, named)
    found: dict[str, list[dict[str, Any]]] = {fingerprint: [] for fingerprint in wanted}
    for request in requests:
        found[request.fingerprint].append(_request_view(request, people))
    return found


def decisions(db: Session, room_id: str) -> list[dict[str, str]]:
    """Every decision taken on the room's requests, oldest first: step, approver, decision, when."""
    requests = [request for _, request in room_requests(db, room_id)]
    named: set[Any] = set()
    for request in requests:
        named |= views.ids(request)
    people = views.people(db, named)
    shown = [
        (record.at, {"step": step.name, "approver": _name(people, record.actor),
                     "decision": "approved" if record.decision is Decision.APPROVE else "rejected",
                     "at": record.at.strftime("%Y-%m-%d %H:%M UTC")})
        for request in requests for step in request.steps for record in step.decisions
    ]  # fmt: skip
    return [row for _, row in sorted(shown, key=lambda item: item[0])]
