"""Mail to approvers when a step opens for them: on submission, and when the steps before are approved."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from approvals import Request, RequestState, StepState
from approvals.request import UserId
from workspace.auth.models import User
from workspace.notify.links import StepLink, StepLinks
from workspace.notify.mail import Mail


def newly_open(before: Request | None, after: Request) -> list[tuple[str, int]]:
    """(step id, approver) pairs whose turn came with this change (a step opened, or they were put on an
    open step, as when an approver left), and who have not decided yet."""
    if after.state is not RequestState.PENDING:
        return []
    asked: dict[str, set[UserId]] = {}
    if before is not None and before.state is RequestState.PENDING:
        asked = {step.id: set(step.approvers) for step in before.steps if step.order == before.open_order}
    pairs: list[tuple[str, int]] = []
    for step in after.steps:
        if step.order != after.open_order or step.state is not StepState.PENDING:
            continue
        decided = {record.actor for record in step.decisions}
        already = asked.get(step.id, set())
        pairs.extend((step.id, int(user)) for user in step.approvers if user not in decided and user not in already)
    return pairs


def approval_mails(db: Session, links: StepLinks, public_url: str, room_title: str, before: Request | None,
                   after: Request) -> list[Mail]:  # fmt: skip
    """The mails to send for `after`, each with a signed link to decide that one step."""
    pairs = newly_open(before, after)
    if not pairs:
        return []
    emails = dict(db.execute(select(User.id, User.email).where(User.id.in_({user for _, user in pairs}))).all())
    steps = {step.id: step for step in after.steps}
    mails = []
    for step_id, user_id in pairs:
        step = steps[step_id]
        link = f"{public_url.rstrip('/')}/approve/{links.make(StepLink(after.id, step_id, user_id))}"
        body = (
            f"{room_title} needs your approval.\n\n{step.reason}\n\n"
            f"Open it to approve or reject (the link is yours alone and expires in 3 days):\n{link}\n"
        )
        mails.append(Mail(emails[user_id], f"Approval needed: {room_title} — {step.name}", body))
    return mails
