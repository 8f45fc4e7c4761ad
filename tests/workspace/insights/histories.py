"""Hand-built room histories for the insights' tests: hours after T0, requests with steps and decisions."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from approvals import Decision, Request, facts_from_dict
from approvals.policy import ApproverKind, Approvers, Mode
from approvals.request import DecisionRecord, RequestStep, UserId

T0 = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
FACTS = facts_from_dict({"max_line_discount_pct": 25})


def h(hours: float) -> datetime:
    return T0 + timedelta(hours=hours)


def decided(actor: UserId, hours: float, decision: Decision = Decision.APPROVE,
            origin: str | None = None) -> DecisionRecord:  # fmt: skip
    return DecisionRecord(actor, (actor,), decision, "", h(hours), FACTS, origin)


def step(step_id: str, order: int, approvers: tuple[UserId, ...], *decisions: DecisionRecord,
         mode: Mode = Mode.ANY) -> RequestStep:  # fmt: skip
    return RequestStep(step_id, "fp", step_id.title(), "why", Approvers(ApproverKind.ROLE, "sales_manager"), order,
                       mode, approvers, FACTS, {}, tuple(decisions))  # fmt: skip


def request(request_id: str, submitted: float, *steps: RequestStep, superseded: float | None = None,
            recalled: float | None = None) -> Request:  # fmt: skip
    return Request(request_id, f"fp-{request_id}", "policy", 1, h(submitted), tuple(steps),
                   recalled_by=1 if recalled is not None else None,
                   recalled_at=h(recalled) if recalled is not None else None,
                   superseded_by="next" if superseded is not None else None,
                   superseded_at=h(superseded) if superseded is not None else None)  # fmt: skip
