"""Which required steps of a deal version approvals given on earlier versions still cover (smart re-approval
without a resubmit).

After an approval the deal keeps changing: a lower discount, a new start date. Each change is a new version
(fingerprint) with no request of its own, yet nothing an approver approved got worse. A required step is
*covered* when the approvals of its rule in the deal's earlier requests settle it on its current facts, by
the same rule a submit carries approvals over with (`carried_approvals`): same rule (and rule
fingerprint), each approval no worse now than when given (`coverage.covers`), and for a unanimous step every
approver of an earlier request of that rule covered. So the room, the export gate and the next submit agree
on what is approved; a version whose every step is covered is approved as it stands, and one that is not
asks only its uncovered steps."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from approvals.coverage import covers
from approvals.evaluate import RequiredStep
from approvals.policy import Mode
from approvals.request import Decision, DecisionRecord, Request, RequestStep, StepState, UserId


def step_asking(need: RequiredStep, approvers: tuple[UserId, ...]) -> RequestStep:
    """The request step that asks `need` of `approvers` (nothing decided yet)."""
    return RequestStep(
        id=need.rule_id,
        rule_fingerprint=need.rule_fingerprint,
        name=need.name,
        reason=need.reason,
        approver_spec=need.approvers,
        order=need.order,
        mode=need.mode,
        approvers=approvers,
        tested=need.tested,
        directions=need.directions,
    )


def covering(need: RequiredStep, history: Sequence[Request]) -> tuple[DecisionRecord, ...]:
    """The approvals in `history` (the deal's requests, newest first) that settle `need` on its current facts,
    each with `origin` naming the request it was given in; empty when they do not."""
    tried: set[tuple[object, ...]] = set()
    for request in history:
        for earlier in request.steps:
            if earlier.id != need.rule_id or earlier.rule_fingerprint != need.rule_fingerprint:
                continue
            if earlier.approvers in tried:  # the same approvers settle it the same way
                continue
            tried.add(earlier.approvers)
            # The step as it would be asked now, of the approvers it had then: a unanimous step needs each of them.
            step = step_asking(need, earlier.approvers)
            approved = replace(step, decisions=carried_approvals(step, history))
            if approved.state is StepState.APPROVED:
                return approved.decisions
    return ()


def covered_steps(
    required: Sequence[RequiredStep], history: Sequence[Request]
) -> dict[str, tuple[DecisionRecord, ...]]:
    """Each step of `required` (by rule id) that approvals in `history` (newest first) cover, with them."""
    found: dict[str, tuple[DecisionRecord, ...]] = {}
    for need in required:
        decisions = covering(need, history)
        if decisions:
            found[need.rule_id] = decisions
    return found


def carried_approvals(step: RequestStep, history: Sequence[Request]) -> tuple[DecisionRecord, ...]:
    """The approvals in `history` (newest first) of `step`'s rule that cover its facts, each with `origin` set
    to the request it was given in; for a step of mode `any`, the first such approval only."""
    carried: list[DecisionRecord] = []
    counted: set[UserId] = set()
    for earlier in history:
        for old in earlier.steps:
            if old.id != step.id or old.rule_fingerprint != step.rule_fingerprint:
                continue
            for record in old.decisions:
                if record.decision is not Decision.APPROVE or set(record.for_approvers) <= counted:
                    continue
                if covers(record.facts, step.tested, step):
                    carried.append(replace(record, origin=record.origin or earlier.id))
                    counted.update(record.for_approvers)
                    if step.mode is Mode.ANY:
                        return tuple(carried)  # one approval settles an any-one step
    return tuple(carried)
