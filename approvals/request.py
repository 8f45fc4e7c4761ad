"""An approval request as plain immutable data: its steps, the decisions on them, and the states derived
from those. The transitions that make new ones are in `approvals.lifecycle`.

States are derived, never stored, so they cannot disagree with the decisions: a step of mode `any` is
settled by its first decision; a `unanimous` step is rejected by any rejection and approved once every
approver is covered by an approval. A request is superseded or recalled when marked so, else rejected
when a step is, approved when every step is, and pending otherwise."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from approvals.facts import Covers, DealFacts
from approvals.policy import Approvers, Mode

UserId = str | int


class Decision(StrEnum):
    """What an approver decides."""

    APPROVE = "approve"
    REJECT = "reject"


class StepState(StrEnum):
    """Where one step stands."""

    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"


class RequestState(StrEnum):
    """Where a request stands."""

    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"
    RECALLED = "recalled"
    SUPERSEDED = "superseded"


# The state a decision settles an `any` step in.
OUTCOME = {Decision.APPROVE: StepState.APPROVED, Decision.REJECT: StepState.REJECTED}


@dataclass(frozen=True, slots=True)
class DecisionRecord:
    """One decision. `actor` made it; it counts for `for_approvers` (the actor and/or the approvers they
    stood in for as a delegate); `facts` are the tested facts it was made on, what an approval covers.
    `origin` is the id of the request it was first made in when it was carried over, else None."""

    actor: UserId
    for_approvers: tuple[UserId, ...]
    decision: Decision
    comment: str
    at: datetime
    facts: DealFacts
    origin: str | None = None

    def outcome(self) -> StepState:
        """The step state this decision alone would settle an `any` step in."""
        return OUTCOME[self.decision]


@dataclass(frozen=True, slots=True)
class RequestStep:
    """One step of a request: the rule's step with its approvers resolved to user ids. `id` is the rule id."""

    id: str
    rule_fingerprint: str
    name: str
    reason: str
    approver_spec: Approvers
    order: int
    mode: Mode
    approvers: tuple[UserId, ...]
    tested: DealFacts
    directions: Mapping[str, Covers]
    decisions: tuple[DecisionRecord, ...] = ()

    @property
    def state(self) -> StepState:
        """Derived from the decisions (see the module docstring)."""
        if not self.decisions:
            return StepState.PENDING
        if self.mode is Mode.ANY:
            return self.decisions[0].outcome()
        if any(record.decision is Decision.REJECT for record in self.decisions):
            return StepState.REJECTED
        approved = self.decided_for()
        if all(approved.get(approver) is Decision.APPROVE for approver in self.approvers):
            return StepState.APPROVED
        return StepState.PENDING

    def decided_for(self) -> dict[UserId, Decision]:
        """Each approver some decision counts for, with that decision (the first, should several)."""
        decided: dict[UserId, Decision] = {}
        for record in self.decisions:
            for approver in record.for_approvers:
                decided.setdefault(approver, record.decision)
        return decided


@dataclass(frozen=True, slots=True)
class Request:
    """A request for the approvals one version of a deal needs. `fingerprint` is that version's; a decision
    made on any other version is refused."""

    id: str
    fingerprint: str
    policy_fingerprint: str
    submitted_by: UserId
    submitted_at: datetime
    steps: tuple[RequestStep, ...]
    recalled_by: UserId | None = None
    recalled_at: datetime | None = None
    superseded_by: str | None = None
    superseded_at: datetime | None = None

    @property
    def state(self) -> RequestState:
        """Derived from the marks and the steps (see the module docstring)."""
        if self.superseded_by is not None:
            return RequestState.SUPERSEDED
        if self.recalled_at is not None:
            return RequestState.RECALLED
        states = [step.state for step in self.steps]
        if StepState.REJECTED in states:
            return RequestState.REJECTED
        if all(state is StepState.APPROVED for state in states):
            return RequestState.APPROVED
        return RequestState.PENDING

    @property
    def open_order(self) -> int | None:
        """The lowest order with a step not yet approved: the steps deciders may act on now. None when all are."""
        return min((step.order for step in self.steps if step.state is not StepState.APPROVED), default=None)

    def step(self, step_id: str) -> RequestStep | None:
        """The step with `step_id`, or None."""
        return next((step for step in self.steps if step.id == step_id), None)
