"""An approver's inbox: the steps they may decide right now, across requests."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from approvals.delegation import Delegation, effective_approvers
from approvals.lifecycle import waiting_since
from approvals.request import Request, RequestState, UserId


@dataclass(frozen=True, slots=True)
class InboxItem:
    """A step waiting on `user`; `on_behalf_of` lists the approvers they would stand in for as a delegate."""

    request_id: str
    step_id: str
    name: str
    reason: str
    fingerprint: str
    on_behalf_of: tuple[UserId, ...]
    since: datetime


def inbox(
    requests: Iterable[Request], user: UserId, delegations: Iterable[Delegation], at: datetime
) -> list[InboxItem]:
    """The pending steps of open orders that `user` (or someone they stand in for) has yet to decide,
    oldest wait first."""
    delegations = tuple(delegations)
    items: list[InboxItem] = []
    for request in requests:
        if request.state is not RequestState.PENDING:
            continue
        for step in request.steps:
            since = waiting_since(request, step)
            if since is None:  # settled, or its order is not open yet
                continue
            decided = step.decided_for()
            stands_for = effective_approvers(step, delegations, at).get(user, ())
            undecided = [approver for approver in stands_for if approver not in decided]
            if undecided:
                others = tuple(approver for approver in undecided if approver != user)
                items.append(InboxItem(request.id, step.id, step.name, step.reason, request.fingerprint, others, since))
    items.sort(key=lambda item: item.since)
    return items
