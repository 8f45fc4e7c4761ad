"""Approval requests of rooms: submit, decide, recall and the inbox, stored between calls.

The `approvals` core decides what is allowed; this module loads and saves requests, resolves
approvers to people, and takes the row's revision so that two decisions cannot overwrite each other.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

import approvals
from approvals import Decision, Policy, Request, RequestState, RequiredStep
from approvals.policy import ApproverKind
from workspace.approval_policy import views
from workspace.approval_policy.delegations import delegations_in_force
from workspace.approval_policy.models import ApprovalRequestRow
from workspace.audit import chain as audit
from workspace.auth.models import User
from workspace.errors import Conflict, NotFound
from workspace.rooms.models import Room

OPEN = RequestState.PENDING.value


def resolver(db: Session) -> approvals.lifecycle.Resolve:
    """Turn a step's approvers (a role, a group, a user) into the ids of active people."""

    def resolve(spec: approvals.Approvers) -> Sequence[int]:
        if spec.kind is ApproverKind.ROLE:
            rows = db.execute(select(User.id).where(User.role == spec.value, User.is_active.is_(True)))
            return sorted(rows.scalars())
        if spec.kind is ApproverKind.USER:
            column = User.id if isinstance(spec.value, int) else User.email
            found = db.execute(select(User.id).where(column == spec.value, User.is_active.is_(True)))
            return list(found.scalars())
        return []  # groups have no members until there is a group directory

    return resolve


def _save(db: Session, row: ApprovalRequestRow | None, request: Request, room_id: str, now: datetime) -> None:
    plain = approvals.request_to_plain(request)
    if row is None:
        db.add(
            ApprovalRequestRow(
                id=request.id, room_id=room_id, state=plain["state"], fingerprint=request.fingerprint,
                data=plain, created_at=now, updated_at=now,
            )
        )  # fmt: skip
        return
    row.state, row.data, row.updated_at = plain["state"], plain, now
    try:
        db.flush()
    except StaleDataError as exc:  # another process changed it since we read it (the revision moved)
        raise Conflict("the request changed meanwhile; reload it and decide again") from exc


def room_of(db: Session, request_id: str) -> str:
    """The room a request belongs to (404 for an unknown request)."""
    room_id = db.execute(select(ApprovalRequestRow.room_id).where(ApprovalRequestRow.id == request_id)).scalar()
    if room_id is None:
        raise NotFound("no such approval request")
    return str(room_id)


def load(db: Session, request_id: str) -> tuple[ApprovalRequestRow, Request]:
    # Locked until the transaction ends: a second decision on the same request waits, then sees the first.
    row = db.get(ApprovalRequestRow, request_id, with_for_update=True)
    if row is None:
        raise NotFound("no such approval request")
    return row, approvals.request_from_plain(row.data)


def room_requests(db: Session, room_id: str) -> list[tuple[ApprovalRequestRow, Request]]:
    """The room's requests, most recent first."""
    rows = db.execute(
        select(ApprovalRequestRow)
        .where(ApprovalRequestRow.room_id == room_id)
        .order_by(ApprovalRequestRow.created_at.desc())
    ).scalars()
    return [(row, approvals.request_from_plain(row.data)) for row in rows]


def submit(
    db: Session, room_id: str, user_id: int, policy: Policy, required: Sequence[RequiredStep], fingerprint: str,
    now: datetime,
) -> Request:  # fmt: skip
    """Submit the room's current version; an open request on an older version is superseded, and the
    approvals that still cover carry over (smart re-approval). A version earlier approvals cover in full is
    approved as it stands: there is nothing to ask anyone (409)."""
    earlier = room_requests(db, room_id)
    history = [request for _, request in earlier]
    open_rows = [(row, request) for row, request in earlier if request.state is RequestState.PENDING]
    # A request still open to decisions (pending, or rejected and to be resubmitted) for this very version; an
    # approved one is no reason to ask again: it counts with the rest of the history below.
    live = any(r.fingerprint == fingerprint and r.state in (RequestState.PENDING, RequestState.REJECTED)
               for r in history)  # fmt: skip
    if not live and len(approvals.covered_steps(required, history)) == len(required):
        raise Conflict("this version is already approved: earlier approvals cover every step it needs")
    new_id = f"apr_{secrets.token_urlsafe(9)}"
    common: dict[str, Any] = {"fingerprint": fingerprint, "policy_fingerprint": policy.fingerprint,
                              "required": required, "resolve": resolver(db), "by": user_id, "at": now}  # fmt: skip
    superseded = None
    if open_rows:
        row, current = open_rows[0]
        if current.fingerprint == fingerprint:
            raise Conflict("this version is already submitted for approval", request_id=current.id)
        old, new = approvals.supersede(current, new_id, history=history[1:], **common)
        _save(db, row, old, room_id, now)
        superseded = old.id
    else:
        new = approvals.submit(new_id, history=history, **common)
    _save(db, None, new, room_id, now)
    audit.append(db, "approval.submitted", actor_id=user_id, room_id=room_id, at=now, data={
        "request_id": new.id, "fingerprint": fingerprint, "superseded": superseded, "state": str(new.state),
        "steps": {step.id: str(step.state) for step in new.steps},
    })  # fmt: skip
    return new


def decide(db: Session, row: ApprovalRequestRow, request: Request, step_id: str, user_id: int, decision: Decision,
           comment: str, fingerprint: str, now: datetime) -> tuple[str, Request]:  # fmt: skip
    """Decide a step of the request `load` returned (locked for this transaction)."""
    decided = approvals.decide(request, step_id, actor=user_id, decision=decision, fingerprint=fingerprint,
                               at=now, comment=comment, delegations=delegations_in_force(db, now))  # fmt: skip
    if decided != request:  # a repeated decision changes nothing and records nothing
        _save(db, row, decided, row.room_id, now)
        audit.append(db, "approval.decided", actor_id=user_id, room_id=row.room_id, at=now, data={
            "request_id": row.id, "step_id": step_id, "decision": str(decision), "comment": comment,
            "fingerprint": fingerprint, "state": str(decided.state),
        })  # fmt: skip
    return row.room_id, decided


def recall(db: Session, row: ApprovalRequestRow, request: Request, user_id: int, now: datetime) -> tuple[str, Request]:
    """Recall the request `load` returned (locked for this transaction)."""
    recalled = approvals.recall(request, by=user_id, at=now)
    if recalled != request:
        _save(db, row, recalled, row.room_id, now)
        audit.append(db, "approval.recalled", actor_id=user_id, room_id=row.room_id, at=now,
                     data={"request_id": row.id})  # fmt: skip
    return row.room_id, recalled


def reassign_from(db: Session, leaver: int, fallback: int | None, now: datetime,
                  ) -> list[tuple[str, Request, Request]]:  # fmt: skip
    """Hand `leaver`'s undecided pending steps to `fallback` in every open request; return (room id, before,
    after) of each request that changed. Past decisions stay on record."""
    changed: list[tuple[str, Request, Request]] = []
    rows = db.execute(select(ApprovalRequestRow).where(ApprovalRequestRow.state == OPEN).with_for_update()).scalars()
    for row in rows.all():
        before = approvals.request_from_plain(row.data)
        after = approvals.reassign(before, leaver, fallback)
        if after == before:
            continue
        _save(db, row, after, row.room_id, now)
        audit.append(db, "approval.reassigned", actor_id=None, room_id=row.room_id, at=now,
                     data={"request_id": row.id, "from": leaver, "to": fallback})  # fmt: skip
        changed.append((row.room_id, before, after))
    return changed


def inbox(db: Session, user_id: int, now: datetime) -> list[dict[str, Any]]:
    """The caller's pending steps (their own and those they stand in for), oldest wait first, each with the
    room, who submitted it, and the tested facts next to what was approved for the same rule before."""
    rows = db.execute(select(ApprovalRequestRow).where(ApprovalRequestRow.state == OPEN)).scalars().all()
    by_id = {row.id: (row, approvals.request_from_plain(row.data)) for row in rows}
    items = approvals.inbox([request for _, request in by_id.values()], user_id, delegations_in_force(db, now), now)
    titles = dict(db.execute(select(Room.id, Room.title).where(Room.id.in_({by_id[i.request_id][0].room_id
                                                                              for i in items}))).all())  # fmt: skip
    histories: dict[str, list[Request]] = {}
    found: list[dict[str, Any]] = []
    for item in items:
        row, request = by_id[item.request_id]
        if request.submitted_by == user_id:
            continue  # they may not decide what they submitted (see request_routes)
        if row.room_id not in histories:
            histories[row.room_id] = [earlier for _, earlier in room_requests(db, row.room_id)]
        history = [earlier for earlier in histories[row.room_id] if earlier.id != request.id]
        step = request.step(item.step_id)
        assert step is not None  # the core listed it from this request
        names = views.people(db, [request.submitted_by, *item.on_behalf_of])
        found.append({
            "request_id": item.request_id, "room_id": row.room_id, "room_title": titles.get(row.room_id, ""),
            "step_id": item.step_id, "name": item.name, "reason": item.reason, "fingerprint": item.fingerprint,
            "since": item.since.isoformat(),
            "submitted_by": {"id": request.submitted_by, **names.get(str(request.submitted_by), {"name": "?"})},
            "on_behalf_of": [{"id": other, **names.get(str(other), {"name": "?"})} for other in item.on_behalf_of],
            "facts": views.tested_facts(step, views.last_approved(step.id, history)),
        })  # fmt: skip
    return found
