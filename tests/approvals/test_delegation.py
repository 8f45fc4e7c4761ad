"""Delegation while an approver is away, and reassignment when one leaves: requests never get stuck."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from approvals import (
    AlreadyDecided,
    Decision,
    Delegation,
    NoApprovers,
    NotAnApprover,
    RequestState,
    decide,
    effective_approvers,
    reassign,
)
from approvals.request import Request

from .helpers import MANAGER, T0, at, deal, one_rule_policy, submitted

AWAY = Delegation(MANAGER, "deputy@demo.test", start=at(60), end=at(120))


def request_for(group: str = "", mode: str = "any") -> Request:
    policy = one_rule_policy({"group": group} if group else {"role": "sales_manager"}, mode)
    return submitted("req", "v1", deal(25), policy)


@pytest.mark.parametrize(
    ("minutes", "deputy_may"),
    [(59, False), (60, True), (90, True), (119, True), (120, False), (500, False)],
)
def test_a_delegate_may_decide_only_within_the_window(minutes: int, deputy_may: bool) -> None:
    request = request_for()
    who = effective_approvers(request.steps[0], [AWAY], at(minutes))
    assert ("deputy@demo.test" in who) is deputy_may
    assert who[MANAGER] == (MANAGER,)  # the approver keeps the right to decide

    def deputy_approves() -> Request:
        return decide(
            request,
            "r",
            actor="deputy@demo.test",
            decision=Decision.APPROVE,
            fingerprint="v1",
            at=at(minutes),
            delegations=[AWAY],
        )

    if deputy_may:
        decided = deputy_approves()
        (record,) = decided.steps[0].decisions
        assert (record.actor, record.for_approvers) == ("deputy@demo.test", (MANAGER,))
        assert decided.state is RequestState.APPROVED
    else:
        with pytest.raises(NotAnApprover):
            deputy_approves()


def test_delegations_of_others_and_chains_give_nothing() -> None:
    step = request_for().steps[0]
    chain = Delegation("deputy@demo.test", "intern@demo.test", start=T0, end=at(1000))
    stranger = Delegation("vp@demo.test", "intern@demo.test", start=T0, end=at(1000))
    assert set(effective_approvers(step, [AWAY, chain, stranger], at(90))) == {MANAGER, "deputy@demo.test"}


def test_a_delegate_on_a_unanimous_step_counts_for_the_one_they_stand_in_for() -> None:
    request = request_for("ann+bob", "unanimous")
    away = Delegation("bob", "ann", start=T0, end=T0 + timedelta(days=7))
    decided = decide(
        request, "r", actor="ann", decision=Decision.APPROVE, fingerprint="v1", at=at(5), delegations=[away]
    )
    assert decided.steps[0].decisions[0].for_approvers == ("ann", "bob")
    assert decided.state is RequestState.APPROVED
    # Bob decided through ann: his own rejection afterwards is refused, not recorded.
    with pytest.raises(AlreadyDecided):
        decide(decided, "r", actor="bob", decision=Decision.REJECT, fingerprint="v1", at=at(6))


def test_a_deactivated_approver_is_replaced_by_a_fallback() -> None:
    request = reassign(request_for("ann+bob", "unanimous"), "bob", "carol")
    assert request.steps[0].approvers == ("ann", "carol")
    with pytest.raises(NotAnApprover):
        decide(request, "r", actor="bob", decision=Decision.APPROVE, fingerprint="v1", at=at(1))
    request = decide(request, "r", actor="ann", decision=Decision.APPROVE, fingerprint="v1", at=at(1))
    request = decide(request, "r", actor="carol", decision=Decision.APPROVE, fingerprint="v1", at=at(2))
    assert request.state is RequestState.APPROVED


def test_reassignment_keeps_past_decisions_and_removes_without_a_fallback() -> None:
    request = decide(
        request_for("ann+bob+cy", "unanimous"), "r", actor="bob", decision=Decision.APPROVE, fingerprint="v1", at=at(1)
    )
    assert reassign(request, "bob", "dan").steps[0].approvers == ("ann", "bob", "cy")  # bob already decided
    assert reassign(request, "cy", None).steps[0].approvers == ("ann", "bob")
    assert reassign(request, "cy", "ann").steps[0].approvers == ("ann", "bob")  # no duplicates
    assert reassign(request, "zed", "dan") == request


def test_removing_the_last_approver_without_a_fallback_is_refused() -> None:
    with pytest.raises(NoApprovers, match="name a fallback"):
        reassign(request_for(), MANAGER, None)


def test_the_refusal_names_the_step_as_people_know_it_not_its_rule_id() -> None:
    request = request_for()
    request = replace(request, steps=(replace(request.steps[0], id="discount-over-20", name="Sales manager"),))
    with pytest.raises(NoApprovers) as refused:
        reassign(request, MANAGER, None)
    assert '"Sales manager"' in str(refused.value) and "discount-over-20" not in str(refused.value)
