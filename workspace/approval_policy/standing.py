"""Where a room's current version stands on approvals, as the internal doc and the preview show it.

The steps the version needs; the request for exactly this version, if there is a live one; else which steps
approvals given on earlier versions still cover (`approvals.standing`), each with the approval that covers
it: request, step, approver, when, and the value approved. A version whose every step is covered is
approved as it stands, with no resubmit; one that is not needs only its uncovered steps.

All of it is internal: the customer sees no approval state at all (whether the deal is ready to sign is the
rep's to say). The badge's summary goes to the internal `computed.approval`, the details to
`computed.approvals`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from approvals import CATALOGUE, DecisionRecord, Request, RequestState, RequiredStep, StepState, covered_steps
from approvals import required_step_to_plain as step_plain
from approvals.facts import format_value
from workspace.approval_policy import views
from workspace.approval_policy.requests import room_requests
from workspace.audit import chain as audit
from workspace.audit.models import AuditEvent

_CLOSED = (RequestState.RECALLED, RequestState.SUPERSEDED)
_LABELS = {
    "no_approval_needed": "No approval needed",
    "needs_approval": "Needs approval",
    "pending": "Approval pending",
    "approved": "Approved",
    "rejected": "Approval rejected",
    "unpriceable": "Cannot be priced",
}
COVERED_LABEL = "Approved (covered)"
COVERED_EVENT = "approval.covered"


@dataclass(frozen=True)
class RoomHistory:
    """A room's approval requests, newest first, and the names of everyone they name."""

    requests: list[Request] = field(default_factory=list)
    people: dict[str, dict[str, str]] = field(default_factory=dict)


def read_history(db: Session, room_id: str) -> RoomHistory:
    requests = [request for _, request in room_requests(db, room_id)]
    named: set[Any] = set()
    for request in requests:
        named |= views.ids(request)
    return RoomHistory(requests, views.people(db, named))


def live_request(requests: Sequence[Request], fingerprint: str) -> Request | None:
    """The newest request for exactly this version that is neither recalled nor superseded."""
    return next((r for r in requests if r.fingerprint == fingerprint and r.state not in _CLOSED), None)


def _approved(record: DecisionRecord, need: RequiredStep) -> list[dict[str, Any]]:
    shown: list[dict[str, Any]] = []
    for name in need.directions:
        spec = CATALOGUE.get(name)
        if spec is None or name.endswith("_texts"):  # digests of clause texts mean nothing to a reader
            continue
        shown.append({
            "fact": name, "label": spec.label, "approved_value": format_value(spec, record.facts.get(name)),
            "value": format_value(spec, need.tested.get(name)),
        })  # fmt: skip
    return shown


def _cover(record: DecisionRecord, need: RequiredStep, people: dict[str, dict[str, str]]) -> dict[str, Any]:
    """One approval that covers a step: which request and step it was given in, by whom, when, on what."""
    name = people.get(str(record.actor), {}).get("name", "?")
    return {
        "request_id": record.origin, "step_id": need.rule_id, "approver": {"id": record.actor, "name": name},
        "for_approvers": list(record.for_approvers), "decided_at": record.at.isoformat(),
        "comment": record.comment, "approved": _approved(record, need),
    }  # fmt: skip


def standing_view(
    required: Sequence[RequiredStep], policy_version: int | None, history: RoomHistory, fingerprint: str,
    pricing_problems: Sequence[dict[str, Any]] = (),
) -> dict[str, Any]:  # fmt: skip
    """The internal view of where version `fingerprint` stands (pure): each required step (with `covered_by`,
    the approvals that cover it, or None), the live request for this version, `status`, `covered` (approved
    by earlier approvals, no request of its own) and `needs` (the steps still waiting for a decision).
    A version whose quote cannot be priced (`pricing_problems`, from the quote) is "unpriceable": nothing
    approves it, not even earlier approvals, until its lines have prices."""
    request = live_request(history.requests, fingerprint)
    covered = {} if request is not None else covered_steps(required, history.requests)
    steps = []
    for need in required:
        shown = step_plain(need)
        covers = covered.get(need.rule_id)
        shown["covered_by"] = [_cover(record, need, history.people) for record in covers] if covers else None
        steps.append(shown)
    if request is not None:
        status = str(request.state)
        needs = [step.id for step in request.steps if step.state is not StepState.APPROVED]
    else:
        needs = [need.rule_id for need in required if need.rule_id not in covered]
        status = "no_approval_needed" if not required else "needs_approval" if needs else "approved"
    covered_in_full = request is None and bool(required) and not needs
    if pricing_problems:
        status, covered_in_full = "unpriceable", False
    return {
        "policy_version": policy_version, "fingerprint": fingerprint, "steps": steps,
        "request": views.request_plain(request) if request is not None else None,
        "people": history.people, "status": status, "covered": covered_in_full, "needs": needs,
        "pricing_problems": list(pricing_problems),
    }  # fmt: skip


def badge(view: dict[str, Any]) -> dict[str, Any]:
    """The room header's summary of `standing_view` (internal roles only): no reasons, no names."""
    status = str(view["status"])
    label = COVERED_LABEL if view.get("covered") else _LABELS.get(status, status.replace("_", " "))
    return {"needed": bool(view["steps"]), "status": status, "label": label, "covered": bool(view.get("covered"))}


def coverage_record(view: dict[str, Any]) -> dict[str, Any] | None:
    """What the audit log keeps of a version approved by coverage: the version and, per step, the approvals
    that cover it. None when the version is not approved that way."""
    if not view.get("covered"):
        return None
    return {
        "fingerprint": view["fingerprint"],
        "covered_by": {
            step["rule_id"]: [
                {"request_id": c["request_id"], "actor": c["approver"]["id"], "at": c["decided_at"]}
                for c in step["covered_by"]
            ]
            for step in view["steps"]
        },
    }


def record_coverage(db: Session, room_id: str, record: dict[str, Any], now: datetime) -> bool:
    """Audit that earlier approvals now cover the room's version, once per covering set: later versions the
    same approvals cover (a new start date, a lower discount again) add nothing the log does not already say,
    and a burst of edits must not write an event per keystroke. Recorded again after any other approval event
    of the room. Returns whether an event was added."""
    last = db.execute(
        select(AuditEvent.kind, AuditEvent.data)
        .where(AuditEvent.room_id == room_id, AuditEvent.kind.like("approval.%"))
        .order_by(AuditEvent.id.desc())
        .limit(1)
    ).first()
    if last is not None and last.kind == COVERED_EVENT and last.data.get("covered_by") == record["covered_by"]:
        return False
    audit.append(db, COVERED_EVENT, actor_id=None, room_id=room_id, at=now, data=record)
    return True
