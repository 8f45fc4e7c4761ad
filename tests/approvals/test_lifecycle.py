"""The request lifecycle, told as the acceptance story: a rep asks, approvers decide, the deal changes."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pytest

from approvals import (
    AlreadyDecided,
    Approvers,
    DealFacts,
    Decision,
    NoApprovers,
    NotAnApprover,
    OutOfOrder,
    Request,
    RequestClosed,
    RequestState,
    StaleFingerprint,
    StepState,
    UnknownStep,
    decide,
    load_policy,
    missing_approvals,
    recall,
    required_steps,
    submit,
    waiting_since,
)
from approvals.policy import Policy
from approvals.request import UserId
from approvals.samples import demo_policy

from .helpers import FINANCE, MANAGER, REP, T0, VP, at, deal, one_rule_policy, submitted, superseded

POLICY = demo_policy()
APPROVE, REJECT = Decision.APPROVE, Decision.REJECT


def ask(facts: DealFacts, version: str, policy: Policy = POLICY, history: Sequence[Request] = ()) -> Request:
    return submitted(f"req-{version}", version, facts, policy, history=history)


def change(
    request: Request, facts: DealFacts, version: str, minutes: int = 60, history: Sequence[Request] = ()
) -> tuple[Request, Request]:
    return superseded(request, f"req-{version}", version, facts, POLICY, minutes, history)


def states(request: Request) -> dict[str, str]:
    return {step.id: str(step.state) for step in request.steps}


def approve(request: Request, step_id: str, actor: UserId, minutes: int = 1, **kw: Any) -> Request:
    return decide(
        request, step_id, actor=actor, decision=APPROVE, fingerprint=request.fingerprint, at=at(minutes), **kw
    )


class TestAcceptanceStory:
    def test_32_percent_needs_manager_then_vp(self) -> None:
        request = ask(deal(32), "v1")
        assert [(s.id, s.order, s.approvers) for s in request.steps] == [
            ("discount-over-20", 1, (MANAGER,)),
            ("discount-over-30", 2, (VP,)),
        ]
        assert request.state is RequestState.PENDING
        assert waiting_since(request, request.steps[0]) == T0
        assert waiting_since(request, request.steps[1]) is None  # the VP's turn comes after the manager's

    def test_approve_both_then_lower_to_25_keeps_the_managers_approval(self) -> None:
        request = ask(deal(32), "v1")
        request = approve(request, "discount-over-20", MANAGER, 5, comment="ok for a 3-year deal")
        assert waiting_since(request, request.steps[1]) == at(5)
        request = approve(request, "discount-over-30", VP, 9)
        assert request.state is RequestState.APPROVED

        old, lowered = change(request, deal(25), "v2")
        assert old.state is RequestState.SUPERSEDED and old.superseded_by == "req-v2"
        # The VP step is gone; the manager's approval of 32% covers 25%: nobody is asked again.
        assert states(lowered) == {"discount-over-20": "approved"}
        assert lowered.state is RequestState.APPROVED
        (carried,) = lowered.steps[0].decisions
        assert (carried.actor, carried.origin, carried.comment, carried.at) == (
            MANAGER,
            "req-v1",
            "ok for a 3-year deal",
            at(5),
        )
        assert carried.facts == {"max_line_discount_pct": 32}
        assert missing_approvals(required_steps(POLICY, deal(25)), lowered, "v2") == []

    def test_raising_to_35_after_approval_asks_manager_and_vp_again(self) -> None:
        request = ask(deal(32), "v1")
        request = approve(approve(request, "discount-over-20", MANAGER), "discount-over-30", VP, 2)
        _, raised = change(request, deal(35), "v2")
        assert states(raised) == {"discount-over-20": "pending", "discount-over-30": "pending"}
        assert raised.state is RequestState.PENDING
        assert [m.rule_id for m in missing_approvals(required_steps(POLICY, deal(35)), raised, "v2")] == [
            "discount-over-20",
            "discount-over-30",
        ]

    def test_an_approval_carries_through_a_chain_of_versions(self) -> None:
        request = ask(deal(32), "v1")
        request = approve(approve(request, "discount-over-20", MANAGER), "discount-over-30", VP, 2)
        v1, v2 = change(request, deal(25), "v2")
        # 30% again needs the VP: their approval of 32% (two versions back) still covers it.
        _, v3 = change(v2, deal(30.5), "v3", 90, history=(v1,))
        assert v3.state is RequestState.APPROVED
        assert [step.decisions[0].facts for step in v3.steps] == [{"max_line_discount_pct": 32}] * 2

    def test_a_rejection_is_not_carried_over(self) -> None:
        request = ask(deal(32), "v1")
        request = decide(request, "discount-over-20", actor=MANAGER, decision=REJECT, fingerprint="v1", at=at(1))
        assert request.state is RequestState.REJECTED
        _, again = change(request, deal(31), "v2")
        assert states(again) == {"discount-over-20": "pending", "discount-over-30": "pending"}

    def test_a_changed_rule_asks_again(self) -> None:
        request = ask(deal(32), "v1")
        request = approve(request, "discount-over-20", MANAGER)
        stricter = load_policy(
            {
                "version": 2,
                "rules": [
                    {
                        "id": "discount-over-20",
                        "when": "max_line_discount_pct > 15",
                        "step": {"approvers": {"role": "sales_manager"}},
                    }
                ],
            }
        )
        assert states(ask(deal(25), "v2", stricter, history=(request,))) == {"discount-over-20": "pending"}
        assert states(ask(deal(25), "v2", POLICY, history=(request,))) == {"discount-over-20": "approved"}


class TestDecisions:
    def test_serial_order_is_enforced(self) -> None:
        request = ask(deal(32), "v1")
        with pytest.raises(OutOfOrder, match="waits for the earlier steps to be approved"):
            approve(request, "discount-over-30", VP)

    def test_a_stale_fingerprint_is_refused(self) -> None:
        request = ask(deal(32), "v1")
        with pytest.raises(StaleFingerprint):
            decide(request, "discount-over-20", actor=MANAGER, decision=APPROVE, fingerprint="v0", at=at(1))
        old, _ = change(request, deal(35), "v2")
        with pytest.raises(StaleFingerprint):  # the version it was bound to is no longer current
            approve(old, "discount-over-20", MANAGER)

    def test_only_an_approver_may_decide(self) -> None:
        request = ask(deal(32), "v1")
        with pytest.raises(NotAnApprover):
            approve(request, "discount-over-20", REP)
        with pytest.raises(NotAnApprover):
            approve(request, "discount-over-20", VP)  # an approver, but of another step
        with pytest.raises(UnknownStep):
            approve(request, "no-such-step", MANAGER)

    def test_who_may_decide_is_checked_before_the_version(self) -> None:
        request = ask(deal(32), "v1")
        with pytest.raises(NotAnApprover):  # not "stale": that would tell a non-approver about the request
            decide(request, "discount-over-20", actor=REP, decision=APPROVE, fingerprint="v0", at=at(1))
        old, _ = change(request, deal(35), "v2")
        with pytest.raises(NotAnApprover):
            approve(old, "discount-over-20", VP)
        with pytest.raises(StaleFingerprint):  # an approver still learns the version moved on
            approve(old, "discount-over-20", MANAGER)

    def test_the_same_decision_again_is_idempotent(self) -> None:
        request = approve(ask(deal(25), "v1"), "discount-over-20", MANAGER, 1)
        assert approve(request, "discount-over-20", MANAGER, 2) is request
        with pytest.raises(AlreadyDecided, match="already approved"):
            decide(request, "discount-over-20", actor=MANAGER, decision=REJECT, fingerprint="v1", at=at(3))

    def test_concurrent_deciders_on_an_any_one_step(self) -> None:
        policy = one_rule_policy({"group": "ann+bob"})
        request = ask(deal(25), "v1", policy)
        approved = approve(request, "r", "ann")
        # Bob approving too changes nothing; Bob rejecting after Ann approved is refused, not recorded.
        assert approve(approved, "r", "bob") is approved
        with pytest.raises(AlreadyDecided):
            decide(approved, "r", actor="bob", decision=REJECT, fingerprint="v1", at=at(2))
        assert approved.state is RequestState.APPROVED and len(approved.steps[0].decisions) == 1

    def test_unanimous_needs_every_approver_and_any_rejection_rejects(self) -> None:
        request = ask(deal(25), "v1", one_rule_policy({"group": "ann+bob+cy"}, "unanimous"))
        request = approve(approve(request, "r", "ann"), "r", "bob", 2)
        assert request.steps[0].state is StepState.PENDING
        with pytest.raises(AlreadyDecided, match="you already decided"):
            decide(request, "r", actor="ann", decision=REJECT, fingerprint="v1", at=at(3))
        assert approve(request, "r", "cy", 4).state is RequestState.APPROVED
        rejected = decide(request, "r", actor="cy", decision=REJECT, fingerprint="v1", at=at(4))
        assert rejected.state is RequestState.REJECTED

    def test_a_rejected_request_takes_no_more_decisions_on_other_steps(self) -> None:
        facts = deal(25, payment_terms_days=60)
        request = decide(ask(facts, "v1"), "finance-terms", actor=FINANCE, decision=REJECT, fingerprint="v1", at=at(1))
        assert request.state is RequestState.REJECTED
        with pytest.raises(RequestClosed, match="is rejected"):
            approve(request, "discount-over-20", MANAGER)
        # Repeating the rejection is still a harmless retry.
        assert decide(request, "finance-terms", actor=FINANCE, decision=REJECT, fingerprint="v1", at=at(2)) is request

    def test_parallel_steps_of_one_order_are_decided_in_any_order(self) -> None:
        facts = deal(32, payment_terms_days=60)
        request = approve(ask(facts, "v1"), "finance-terms", FINANCE)
        request = approve(request, "discount-over-20", MANAGER, 2)
        assert request.open_order == 2
        assert approve(request, "discount-over-30", VP, 3).state is RequestState.APPROVED

    def test_no_steps_means_approved(self) -> None:
        request = ask(deal(10), "v1")
        assert request.steps == () and request.state is RequestState.APPROVED
        assert missing_approvals(required_steps(POLICY, deal(10)), None, "v1") == []

    def test_a_role_nobody_holds_is_refused_at_submit(self) -> None:
        with pytest.raises(NoApprovers, match=r"the Sales manager step \(role Sales manager\)"):
            submit(
                "r",
                fingerprint="v1",
                policy_fingerprint="p",
                required=required_steps(POLICY, deal(25)),
                resolve=lambda _: (),
                by=REP,
                at=T0,
            )

    def test_resolved_approvers_are_deduplicated(self) -> None:
        def twice(approvers: Approvers) -> Sequence[UserId]:
            return [MANAGER, MANAGER, 7]

        request = submit(
            "r",
            fingerprint="v1",
            policy_fingerprint="p",
            required=required_steps(POLICY, deal(25)),
            resolve=twice,
            by=REP,
            at=T0,
        )
        assert request.steps[0].approvers == (MANAGER, 7)


class TestRecall:
    def test_recall_a_pending_request(self) -> None:
        request = recall(ask(deal(32), "v1"), by=REP, at=at(3))
        assert request.state is RequestState.RECALLED and (request.recalled_by, request.recalled_at) == (REP, at(3))
        assert recall(request, by=REP, at=at(4)) is request
        with pytest.raises(RequestClosed, match="recalled"):
            approve(request, "discount-over-20", MANAGER)
        assert [m.why for m in missing_approvals(required_steps(POLICY, deal(32)), request, "v1")] == ["recalled"] * 2

    def test_an_approved_request_cannot_be_recalled(self) -> None:
        request = approve(ask(deal(25), "v1"), "discount-over-20", MANAGER)
        with pytest.raises(RequestClosed, match="only a pending request"):
            recall(request, by=REP, at=at(2))

    def test_resubmitting_after_a_recall_keeps_covering_approvals(self) -> None:
        request = approve(ask(deal(32), "v1"), "discount-over-20", MANAGER)
        recalled = recall(request, by=REP, at=at(2))
        again = ask(deal(28), "v2", history=(recalled,))
        assert states(again) == {"discount-over-20": "approved"}

    def test_a_superseded_request_cannot_be_superseded_again(self) -> None:
        old, _ = change(ask(deal(32), "v1"), deal(25), "v2")
        with pytest.raises(RequestClosed, match="already superseded by req-v2"):
            change(old, deal(20), "v3")


class TestExport:
    def test_what_export_still_misses(self) -> None:
        facts = deal(32, payment_terms_days=60)
        required = required_steps(POLICY, facts)
        request = approve(ask(facts, "v1"), "discount-over-20", MANAGER)
        request = decide(request, "finance-terms", actor=FINANCE, decision=REJECT, fingerprint="v1", at=at(2))
        missing = missing_approvals(required, request, "v1")
        assert [(m.rule_id, m.why) for m in missing] == [("finance-terms", "rejected"), ("discount-over-30", "pending")]
        assert missing[0].reason.startswith("Price below floor or payment terms over 45 days")
        assert {m.why for m in missing_approvals(required, request, "v2")} == {"requested for an earlier version"}
        assert {m.why for m in missing_approvals(required, None, "v1")} == {"not requested"}
        other_rule = ask(facts, "v1", one_rule_policy({"group": MANAGER}))
        assert {m.why for m in missing_approvals(required, other_rule, "v1")} == {"not requested"}
