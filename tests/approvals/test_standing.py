"""Smart re-approval without a resubmit: which required steps of a later version earlier approvals cover, and
what export still misses then."""

from __future__ import annotations

from typing import Any

from approvals import (
    Decision,
    Request,
    RequiredStep,
    covered_steps,
    decide,
    load_policy,
    missing_approvals,
    recall,
    required_steps,
)
from approvals.policy import Policy
from approvals.request import UserId
from approvals.samples import demo_policy

from .helpers import MANAGER, REP, VP, at, deal, one_rule_policy, submitted

POLICY = demo_policy()


def approve(request: Request, step_id: str, actor: UserId, minutes: int = 1) -> Request:
    return decide(request, step_id, actor=actor, decision=Decision.APPROVE, fingerprint=request.fingerprint,
                  at=at(minutes))  # fmt: skip


def approved_at_32() -> Request:
    request = submitted("req-v1", "v1", deal(32), POLICY)
    return approve(approve(request, "discount-over-20", MANAGER, 5), "discount-over-30", VP, 9)


def needs(facts: Any, policy: Policy = POLICY) -> list[RequiredStep]:
    return required_steps(policy, facts)


def covered(facts: Any, history: list[Request], policy: Policy = POLICY) -> dict[str, list[tuple[Any, ...]]]:
    found = covered_steps(needs(facts, policy), history)
    return {step: [(r.actor, r.origin, r.facts.get("max_line_discount_pct")) for r in rs] for step, rs in found.items()}


def test_a_lower_discount_is_covered_by_the_approval_of_32_percent_with_no_request_of_its_own() -> None:
    history = [approved_at_32()]
    assert covered(deal(25), history) == {"discount-over-20": [(MANAGER, "req-v1", 32)]}
    assert covered(deal(31), history) == {
        "discount-over-20": [(MANAGER, "req-v1", 32)],
        "discount-over-30": [(VP, "req-v1", 32)],
    }
    # What export misses for version v2 (25%): nothing; without the history only the bound request speaks.
    assert missing_approvals(needs(deal(25)), history[0], "v2", history=history) == []
    assert [m.why for m in missing_approvals(needs(deal(25)), history[0], "v2")] == ["requested for an earlier version"]


def test_a_change_no_rule_tests_is_covered_and_a_worse_one_is_not() -> None:
    history = [approved_at_32()]
    assert set(covered(deal(32, term_months=36), history)) == {"discount-over-20", "discount-over-30"}
    assert covered(deal(35), history) == {}
    missing = missing_approvals(needs(deal(35)), history[0], "v2", history=history)
    assert [(m.rule_id, m.why) for m in missing] == [
        ("discount-over-20", "requested for an earlier version"),
        ("discount-over-30", "requested for an earlier version"),
    ]


def test_a_new_step_is_asked_alone_and_the_covered_steps_stay_approved() -> None:
    history = [approved_at_32()]
    facts = deal(25, payment_terms_days=60)
    assert [s.rule_id for s in needs(facts)] == ["discount-over-20", "finance-terms"]
    assert list(covered(facts, history)) == ["discount-over-20"]
    assert [m.rule_id for m in missing_approvals(needs(facts), history[0], "v2", history=history)] == ["finance-terms"]


def test_a_later_rejection_does_not_undo_what_an_earlier_approval_covers() -> None:
    first = approved_at_32()
    raised = submitted("req-v2", "v2", deal(35), POLICY, 20, history=[first])
    raised = decide(raised, "discount-over-20", actor=MANAGER, decision=Decision.REJECT, fingerprint="v2", at=at(21))
    assert covered(deal(25), [raised, first]) == {"discount-over-20": [(MANAGER, "req-v1", 32)]}
    assert covered(deal(35), [raised, first]) == {}


def test_approvals_carried_into_a_recalled_request_still_name_where_they_were_given() -> None:
    first = approved_at_32()
    partial = submitted("req-v2", "v2", deal(25, payment_terms_days=60), POLICY, 20, history=[first])
    partial = recall(partial, by=REP, at=at(22))
    assert covered(deal(25), [partial, first]) == {"discount-over-20": [(MANAGER, "req-v1", 32)]}


def test_a_live_request_for_this_version_decides_and_coverage_does_not_override_it() -> None:
    first = approved_at_32()
    facts = deal(25, payment_terms_days=60)
    partial = submitted("req-v2", "v2", facts, POLICY, 20, history=[first])
    missing = missing_approvals(needs(facts), partial, "v2", history=[partial, first])
    assert [(m.rule_id, m.why) for m in missing] == [("finance-terms", "pending")]


def test_a_unanimous_step_is_covered_only_when_every_approver_approved() -> None:
    policy = one_rule_policy({"group": "ann+bob"}, "unanimous")
    request = submitted("req-v1", "v1", deal(30), policy)
    half = approve(request, "r", "ann")
    assert covered(deal(25), [half], policy) == {}
    both = approve(half, "r", "bob", 2)
    assert covered(deal(25), [both], policy) == {"r": [("ann", "req-v1", 30), ("bob", "req-v1", 30)]}


def test_a_changed_rule_covers_nothing() -> None:
    history = [approved_at_32()]
    rule = {"id": "discount-over-20", "when": "max_line_discount_pct > 15", "step": {"approvers": {"role": "x"}}}
    stricter = load_policy({"version": 2, "rules": [rule]})
    assert covered(deal(25), history, stricter) == {}
