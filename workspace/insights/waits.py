"""Where a room waited on people: each approval step (how long, on whom), the customer's replies, and the
rounds of changes. Pure: no I/O.

- A step starts waiting when its request is submitted, or, for a later step (a higher `order`), when the last
  step before it was approved; a step whose earlier steps were never all approved never waited. It waits until
  it is settled (its first decision for `any`, the rejection or the last approval for `unanimous`), or until
  its request was superseded, recalled or rejected at another step; a step still waiting counts up to now.
  A decision carried over from an earlier request (smart re-approval) made the step wait for nobody: left out.
  It waited on who decided it, else on every approver it was routed to.
- A customer reply: the time from the vendor's first word after the customer's previous act to the customer's
  next act.
- A round of changes: every approval submission after the room's first (the deal changed and went back for
  approval, or was resubmitted after a rejection or recall), and every customer proposal the rep countered.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from approvals import Decision, Request, RequestState, RequestStep, StepState
from approvals.request import UserId
from workspace.insights.history import RoomHistory
from workspace.insights.stages import settled_at


@dataclass(frozen=True)
class StepWait:
    request_id: str
    step_id: str
    name: str
    start: datetime
    end: datetime | None  # None: still waiting
    waited_on: tuple[UserId, ...]
    decided_by: UserId | None
    outcome: str  # "approved" | "rejected" | "superseded" | "recalled" | "closed" (by another's rejection) | "pending"

    def seconds(self, now: datetime) -> float:
        return max(0.0, ((self.end or now) - self.start).total_seconds())


def _settled(step: RequestStep) -> tuple[datetime, UserId] | None:
    """When and by whom the step was settled (None while pending)."""
    state = step.state
    if state is StepState.PENDING:
        return None
    if state is StepState.REJECTED:
        record = next(r for r in step.decisions if r.decision is Decision.REJECT)
        return record.at, record.actor
    record = step.decisions[0] if len(step.decisions) == 1 else max(step.decisions, key=lambda r: r.at)
    return record.at, record.actor


def _carried(step: RequestStep) -> bool:
    return bool(step.decisions) and all(record.origin is not None for record in step.decisions)


def step_waits(request: Request) -> list[StepWait]:
    """The waits of one request's steps (see the module docstring)."""
    closed = request.superseded_at or request.recalled_at
    closed_as = "superseded" if request.superseded_at else "recalled"
    if closed is None and request.state is RequestState.REJECTED:
        closed, closed_as = settled_at(request), "closed"  # another step's rejection ended the wait
    found: list[StepWait] = []
    for step in request.steps:
        if _carried(step):
            continue
        earlier = [s for s in request.steps if s.order < step.order]
        start = request.submitted_at
        if earlier:
            ends = [_settled(s) for s in earlier]
            if any(s.state is not StepState.APPROVED for s in earlier) or None in ends:
                continue  # never reached this step
            start = max([start, *(end[0] for end in ends if end is not None)])
        settled = _settled(step)
        if settled is not None and (closed is None or settled[0] <= closed):
            at, actor = settled
            found.append(StepWait(request.id, step.id, step.name, start, at, (actor,), actor, str(step.state)))
        else:
            outcome = "pending" if closed is None else closed_as
            found.append(StepWait(request.id, step.id, step.name, start, closed, tuple(step.approvers), None, outcome))
    return found


def room_waits(history: RoomHistory) -> list[StepWait]:
    return [wait for request in history.requests for wait in step_waits(request)]


def customer_replies(history: RoomHistory) -> list[float]:
    """Seconds the customer took to answer the vendor, one per answer (see the module docstring)."""
    replies: list[float] = []
    marks = sorted([(at, "vendor") for at in history.vendor_says] + [(at, "customer") for at in history.customer_acts])
    asked: datetime | None = None
    for at, who in marks:
        if who == "vendor":
            asked = asked or at
        elif asked is not None:
            replies.append((at - asked).total_seconds())
            asked = None
    return replies


def rounds(history: RoomHistory) -> int:
    """Rounds of changes (see the module docstring)."""
    return max(0, len(history.requests) - 1) + len(history.counters)
