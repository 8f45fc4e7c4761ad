"""An approver's inbox holds what they can decide now, including what they hold for someone away."""

from __future__ import annotations

from approvals import Decision, Delegation, decide, inbox, recall
from approvals.samples import demo_policy

from .helpers import FINANCE, MANAGER, REP, VP, at, deal, submitted

POLICY = demo_policy()


def test_each_approver_sees_the_steps_open_to_them() -> None:
    facts = deal(32, payment_terms_days=60)
    first = submitted("a", "v1", facts, POLICY)
    second = submitted("b", "w1", deal(25), POLICY, minutes=10)
    requests = [second, first]
    assert [(i.request_id, i.step_id, i.since) for i in inbox(requests, MANAGER, [], at(20))] == [
        ("a", "discount-over-20", at(0)),
        ("b", "discount-over-20", at(10)),
    ]
    assert inbox(requests, VP, [], at(20)) == []  # the VP's step waits for order 1
    (item,) = inbox(requests, FINANCE, [], at(20))
    assert (item.reason, item.fingerprint) == (
        "Price below floor or payment terms over 45 days: payment terms 60 days is over 45 days",
        "v1",
    )

    first = decide(first, "discount-over-20", actor=MANAGER, decision=Decision.APPROVE, fingerprint="v1", at=at(30))
    first = decide(first, "finance-terms", actor=FINANCE, decision=Decision.APPROVE, fingerprint="v1", at=at(40))
    assert [i.step_id for i in inbox([first], MANAGER, [], at(50))] == []
    (vp_item,) = inbox([first], VP, [], at(50))
    assert (vp_item.step_id, vp_item.since) == ("discount-over-30", at(40))

    away = Delegation(VP, "deputy@demo.test", start=at(45), end=at(60))
    (held,) = inbox([first], "deputy@demo.test", [away], at(50))
    assert held.on_behalf_of == (VP,)
    assert inbox([first], "deputy@demo.test", [away], at(60)) == []
    assert inbox([recall(first, by=REP, at=at(55))], VP, [], at(56)) == []
