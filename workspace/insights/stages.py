"""A room's stage at every moment of its history, and the intervals it spent in each (see the shared
vocabulary of issue 14). Pure: no I/O.

The stage at a moment follows from the records alone, first match wins:
- `exported`: a contract was exported (its last stage: it stays there);
- `in_approval`: an approval request was submitted and is not settled yet;
- `approved`: the latest request is approved and the deal has not changed since it was;
- `negotiating`: a customer has acted in the room;
- `draft`: otherwise.
A request settles when it is superseded or recalled, when a step is rejected (the first rejection), or when
its last step is approved (the last decision). A deal change after an approval takes the room back to
`negotiating` (the approval no longer covers the current version, as far as the record can tell)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from approvals import Decision, Request, RequestState
from workspace.insights.history import RoomHistory


class Stage(StrEnum):
    DRAFT = "draft"
    NEGOTIATING = "negotiating"
    IN_APPROVAL = "in_approval"
    APPROVED = "approved"
    EXPORTED = "exported"


# The stages a room moves through before its last one; `exported` has no end to measure.
TIMED_STAGES = (Stage.DRAFT, Stage.NEGOTIATING, Stage.IN_APPROVAL, Stage.APPROVED)


@dataclass(frozen=True)
class Interval:
    stage: Stage
    start: datetime
    end: datetime | None  # None: the room is in this stage now

    def seconds(self, now: datetime) -> float:
        return max(0.0, ((self.end or now) - self.start).total_seconds())


def settled_at(request: Request) -> datetime | None:
    """When the request stopped waiting on anyone (None while it is pending)."""
    if request.superseded_at is not None:
        return request.superseded_at
    if request.recalled_at is not None:
        return request.recalled_at
    state = request.state
    if state is RequestState.PENDING:
        return None
    own = [record for step in request.steps for record in step.decisions if record.origin is None]
    if state is RequestState.REJECTED:
        rejections = [record.at for record in own if record.decision is Decision.REJECT]
        return min(rejections, default=request.submitted_at)
    return max([record.at for record in own], default=request.submitted_at)  # every step carried over: at once


def stage_at(history: RoomHistory, moment: datetime) -> Stage:
    """The room's stage at `moment` (see the module docstring)."""
    if any(at <= moment for at in history.exports):
        return Stage.EXPORTED
    submitted = [r for r in history.requests if r.submitted_at <= moment]
    for request in submitted:
        end = settled_at(request)
        if end is None or end > moment:
            return Stage.IN_APPROVAL
    if submitted:
        latest = max(submitted, key=lambda r: r.submitted_at)
        end = settled_at(latest)
        changed = end is None or any(end < at <= moment for at in history.deal_changes)
        if latest.state is RequestState.APPROVED and not changed:
            return Stage.APPROVED
    if any(at <= moment for at in history.customer_acts):
        return Stage.NEGOTIATING
    return Stage.DRAFT


def _moments(history: RoomHistory) -> list[datetime]:
    found = {history.opened_at, *history.deal_changes, *history.exports[:1]}
    found.update(history.customer_acts[:1])
    for request in history.requests:
        found.add(request.submitted_at)
        end = settled_at(request)
        if end is not None:
            found.add(end)
    return sorted(at for at in found if at >= history.opened_at)


def intervals(history: RoomHistory) -> list[Interval]:
    """The room's stages from its opening on, consecutive equal stages merged; the last one is open."""
    found: list[Interval] = []
    for moment in _moments(history):
        stage = stage_at(history, moment)
        if found and found[-1].stage is stage:
            continue
        if found:
            found[-1] = Interval(found[-1].stage, found[-1].start, moment)
        found.append(Interval(stage, moment, None))
        if stage is Stage.EXPORTED:
            break
    return found


def time_in_stages(spans: list[Interval], now: datetime) -> dict[str, float]:
    """Seconds spent in each stage before the last one (the current stage counts up to `now`)."""
    totals = {stage.value: 0.0 for stage in TIMED_STAGES}
    for span in spans:
        if span.stage in TIMED_STAGES:
            totals[span.stage.value] += span.seconds(now)
    return totals
