"""Whom a pending approval request waits on, and for how long (the approvals core says since when)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from approvals import Request, RequestState
from approvals.lifecycle import waiting_since


def waiting_steps(request: Request, now: datetime, people: dict[str, dict[str, str]]) -> list[dict[str, Any]]:
    """The request's steps open to decision now: each with the approvers yet to decide, since when, and the
    hours waited so far (empty unless the request is pending)."""
    if request.state is not RequestState.PENDING:
        return []
    found: list[dict[str, Any]] = []
    for step in request.steps:
        since = waiting_since(request, step)
        if since is None:
            continue
        decided = step.decided_for()
        on = [
            {"id": who, "name": people.get(str(who), {}).get("name", "?")}
            for who in step.approvers
            if who not in decided
        ]
        found.append({
            "request_id": request.id, "step_id": step.id, "name": step.name, "waiting_on": on,
            "since": since.isoformat(), "hours_waited": round((now - since).total_seconds() / 3600, 1),
        })  # fmt: skip
    return found
