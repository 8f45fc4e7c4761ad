"""The request lifecycle as pure functions: submit, decide, recall, supersede, and what export still misses.
Each takes a `Request` (and the time, passed in) and returns a new one or raises; nothing is stored here.

Smart re-approval happens at submit: an approval from an earlier request of the same deal carries over
to a step of the same rule (same rule fingerprint) when it covers the step's current facts
(`approvals.coverage`); every other step is asked again. Rejections never carry over."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from approvals.delegation import Delegation, effective_approvers
from approvals.errors import (
    AlreadyDecided,
    NoApprovers,
    NotAnApprover,
    OutOfOrder,
    RequestClosed,
    StaleFingerprint,
    UnknownStep,
)
from approvals.evaluate import RequiredStep
from approvals.facts import approver_label
from approvals.policy import Approvers
from approvals.request import (
    OUTCOME,
    Decision,
    DecisionRecord,
    Request,
    RequestState,
    RequestStep,
    StepState,
    UserId,
)
from approvals.standing import carried_approvals, covered_steps, step_asking

_CLOSED = (RequestState.RECALLED, RequestState.SUPERSEDED)

# Resolves a step's approver spec (a role, a group, a user) to the user ids who may decide it.
Resolve = Callable[[Approvers], Sequence[UserId]]


def submit(
    request_id: str,
    *,
    fingerprint: str,
    policy_fingerprint: str,
    required: Sequence[RequiredStep],
    resolve: Resolve,
    by: UserId,
    at: datetime,
    history: Sequence[Request] = (),
) -> Request:
    """A new request for `required` on deal version `fingerprint`, carrying over the covering approvals of
    `history` (earlier requests of the same deal, most recent first). Raise `NoApprovers` when a step's
    approvers resolve to nobody."""
    steps: list[RequestStep] = []
    empty: list[str] = []
    for need in required:
        approvers = tuple(dict.fromkeys(resolve(need.approvers)))
        if not approvers:
            empty.append(f"the {need.name} step ({_approvers_in_words(need.approvers.kind, need.approvers.value)})")
        step = step_asking(need, approvers)
        steps.append(replace(step, decisions=carried_approvals(step, history)))
    if empty:
        raise NoApprovers(f"nobody active can decide {', '.join(empty)}")
    return Request(request_id, fingerprint, policy_fingerprint, by, at, tuple(steps))


def decide(
    request: Request,
    step_id: str,
    *,
    actor: UserId,
    decision: Decision,
    fingerprint: str,
    at: datetime,
    comment: str = "",
    delegations: Iterable[Delegation] = (),
) -> Request:
    """`request` with `actor`'s decision on step `step_id`, made on deal version `fingerprint`.

    Repeating a decision already in force returns the request unchanged (safe to retry); a different one on
    a settled step, or by an approver who already decided, raises `AlreadyDecided`. Also raises
    `UnknownStep`, `NotAnApprover`, `StaleFingerprint`, `RequestClosed` and `OutOfOrder` (a step decided
    before every step of the earlier orders is approved). Who may decide is checked first (`deciding_for`)."""
    step, stands_for = deciding_for(request, step_id, actor=actor, at=at, delegations=delegations)
    if request.superseded_by is not None or fingerprint != request.fingerprint:
        raise StaleFingerprint("this decision was made on another version of the deal; reload and decide again")
    if step.state is not StepState.PENDING:
        if step.state is OUTCOME[decision]:
            return request
        raise AlreadyDecided(f"the {step.name} step is already {step.state}")
    decided = step.decided_for()
    if any(decided.get(approver, decision) is not decision for approver in stands_for):
        raise AlreadyDecided(f"you already decided the {step.name} step otherwise")
    remaining = tuple(approver for approver in stands_for if approver not in decided)
    if not remaining:
        return request
    if request.state is not RequestState.PENDING:
        raise RequestClosed(f"request {request.id} is {request.state}")
    if request.open_order is not None and step.order > request.open_order:
        raise OutOfOrder(f"the {step.name} step waits for the earlier steps to be approved")
    record = DecisionRecord(actor, remaining, decision, comment, at, step.tested)
    return _with_step(request, replace(step, decisions=(*step.decisions, record)))


def deciding_for(
    request: Request, step_id: str, *, actor: UserId, at: datetime, delegations: Iterable[Delegation] = ()
) -> tuple[RequestStep, tuple[UserId, ...]]:
    """The step `actor` would decide and the approvers their decision counts for (themself, and whoever they
    stand in for at `at`); raise `UnknownStep` or `NotAnApprover`. Checked before anything else about a decision
    (`decide` does), so that someone who may not decide the step learns nothing of the request, not even that
    its version is stale."""
    step = request.step(step_id)
    if step is None:
        raise UnknownStep(f"request {request.id} has no step {step_id!r}")
    stands_for = effective_approvers(step, delegations, at).get(actor)
    if not stands_for:
        raise NotAnApprover(f"you may not decide the {step.name} step")
    return step, stands_for


def _with_step(request: Request, changed: RequestStep) -> Request:
    return replace(request, steps=tuple(changed if step.id == changed.id else step for step in request.steps))


def recall(request: Request, *, by: UserId, at: datetime) -> Request:
    """`request` withdrawn by its submitter while pending; recalling it again changes nothing."""
    state = request.state
    if state is RequestState.RECALLED:
        return request
    if state is not RequestState.PENDING:
        raise RequestClosed(f"request {request.id} is {state}; only a pending request can be recalled")
    return replace(request, recalled_by=by, recalled_at=at)


def supersede(
    request: Request,
    new_id: str,
    *,
    fingerprint: str,
    policy_fingerprint: str,
    required: Sequence[RequiredStep],
    resolve: Resolve,
    by: UserId,
    at: datetime,
    history: Sequence[Request] = (),
) -> tuple[Request, Request]:
    """The deal changed: (`request` marked superseded, the new request for version `fingerprint`). Approvals
    that still cover carry over from `request` and `history` (earlier requests, most recent first, so an
    approval whose step went away for a version counts again when it returns)."""
    if request.superseded_by is not None:
        raise RequestClosed(f"request {request.id} was already superseded by {request.superseded_by}")
    new = submit(
        new_id,
        fingerprint=fingerprint,
        policy_fingerprint=policy_fingerprint,
        required=required,
        resolve=resolve,
        by=by,
        at=at,
        history=(request, *history),
    )
    return replace(request, superseded_by=new_id, superseded_at=at), new


def waiting_since(request: Request, step: RequestStep) -> datetime | None:
    """Since when `step` has been waiting on its approvers (the submission, or the last decision of the
    orders before it); None when it is not waiting (settled, or its order is not open yet)."""
    if request.state is not RequestState.PENDING or step.state is not StepState.PENDING:
        return None
    if request.open_order != step.order:
        return None
    earlier = [
        record.at
        for other in request.steps
        if other.order < step.order
        for record in other.decisions
        if record.origin is None
    ]
    return max([request.submitted_at, *earlier])


@dataclass(frozen=True, slots=True)
class Missing:
    """A required approval export still lacks, and why: "not requested", "requested for an earlier version",
    or the step's state ("pending", "rejected") or the request's ("recalled", "superseded")."""

    rule_id: str
    name: str
    reason: str
    why: str


def missing_approvals(
    required: Sequence[RequiredStep], request: Request | None, fingerprint: str, history: Sequence[Request] = ()
) -> list[Missing]:
    """What keeps deal version `fingerprint` from export: each required step without an approval, in a
    request bound to exactly this version, of the same rule. Without a live request for this version, a step
    that approvals in `history` (the deal's requests, newest first) still cover needs none (smart re-approval
    without a resubmit: `approvals.standing`). Empty when export may go ahead."""
    live = request is not None and request.fingerprint == fingerprint and request.state not in _CLOSED
    covered = covered_steps(required, history) if not live and history else {}
    missing: list[Missing] = []
    for need in required:
        if need.rule_id in covered:
            continue
        why = _why_missing(need, request, fingerprint)
        if why is not None:
            missing.append(Missing(need.rule_id, need.name, need.reason, why))
    return missing


def _why_missing(need: RequiredStep, request: Request | None, fingerprint: str) -> str | None:
    if request is None:
        return "not requested"
    if request.fingerprint != fingerprint:
        return "requested for an earlier version"
    if request.state in _CLOSED:
        return str(request.state)
    step = request.step(need.rule_id)
    if step is None or step.rule_fingerprint != need.rule_fingerprint:
        return "not requested"
    return None if step.state is StepState.APPROVED else str(step.state)


def _approvers_in_words(kind: str, value: object) -> str:
    """The approvers a step names, in words: "role Sales manager"; a group or a person as the policy says."""
    return f"role {approver_label(str(value))}" if kind == "role" else f"{kind} {value}"
