"""Who may decide a step: its approvers, their delegates while a delegation is in force, and reassigning
an approver who left.

A delegation lets `to_user` decide in `from_user`'s place from `start` (inclusive) to `end` (exclusive);
the approver keeps the right to decide too. Delegations are followed one hop only: a delegate's own
delegate gets nothing, which keeps it clear who stood in for whom and makes cycles harmless. Pass
timezone-aware datetimes throughout (naive and aware ones do not compare)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from approvals.errors import NoApprovers
from approvals.request import Request, RequestStep, StepState, UserId


@dataclass(frozen=True, slots=True)
class Delegation:
    """`to_user` may decide for `from_user` from `start` until (not including) `end`."""

    from_user: UserId
    to_user: UserId
    start: datetime
    end: datetime

    def in_force(self, at: datetime) -> bool:
        """Whether the delegation applies at `at`."""
        return self.start <= at < self.end


def effective_approvers(
    step: RequestStep, delegations: Iterable[Delegation], at: datetime
) -> dict[UserId, tuple[UserId, ...]]:
    """Everyone who may decide `step` at `at`, each with the approvers their decision counts for: an
    approver for themself, a delegate for whoever delegated to them (and themself, if also an approver)."""
    stands_for: dict[UserId, dict[UserId, None]] = {approver: {approver: None} for approver in step.approvers}
    approvers = set(step.approvers)
    for delegation in delegations:
        if delegation.from_user in approvers and delegation.to_user != delegation.from_user and delegation.in_force(at):
            stands_for.setdefault(delegation.to_user, {})[delegation.from_user] = None
    return {user: tuple(represented) for user, represented in stands_for.items()}


def reassign(request: Request, deactivated: UserId, fallback: UserId | None) -> Request:
    """`request` with `deactivated` replaced by `fallback` (or just removed, with None) on every pending step
    they have not decided; their past decisions stay on record. Raise `NoApprovers` if a step would be
    left with nobody to decide it."""
    steps: list[RequestStep] = []
    stranded: list[str] = []
    for step in request.steps:
        if (
            step.state is not StepState.PENDING
            or deactivated not in step.approvers
            or deactivated in step.decided_for()
        ):
            steps.append(step)
            continue
        approvers = _replaced(step.approvers, deactivated, fallback)
        if not approvers:
            stranded.append(f'"{step.name}"')  # the step as people know it, not its rule id
        steps.append(replace(step, approvers=approvers))
    if stranded:
        raise NoApprovers(f"no approver would be left on step(s) {', '.join(stranded)}; name a fallback")
    return replace(request, steps=tuple(steps))


def _replaced(approvers: Sequence[UserId], old: UserId, new: UserId | None) -> tuple[UserId, ...]:
    swapped = [new if approver == old else approver for approver in approvers]
    return tuple(dict.fromkeys(approver for approver in swapped if approver is not None))
