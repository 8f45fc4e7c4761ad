"""The export gate: may this exact version of a room's deal leave the room as a contract?

`missing_for` answers with the list of missing approvals (empty: covered). It binds to the version's
fingerprint: a request approved for an earlier version covers nothing, however close the deal looks.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy.orm import Session

import approvals
from approvals import Request, RequestState, RequiredStep
from workspace.approval_policy.requests import room_requests

_CLOSED = (RequestState.RECALLED, RequestState.SUPERSEDED)


def request_for(db: Session, room_id: str, fingerprint: str) -> Request | None:
    """The room's live request for exactly this version, else its newest request (for the reason)."""
    found = [request for _, request in room_requests(db, room_id)]
    exact = next((r for r in found if r.fingerprint == fingerprint and r.state not in _CLOSED), None)
    return exact or (found[0] if found else None)


def missing_for(db: Session, room_id: str, required: Sequence[RequiredStep], fingerprint: str) -> list[dict[str, Any]]:
    """Each required approval that does not cover `fingerprint`, with why; empty when export may go ahead."""
    request = request_for(db, room_id, fingerprint)
    return [
        {"rule_id": m.rule_id, "name": m.name, "reason": m.reason, "why": m.why}
        for m in approvals.missing_approvals(required, request, fingerprint)
    ]
