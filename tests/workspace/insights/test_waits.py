"""Where approvals waited and on whom, how long the customer took to answer, and the rounds of changes."""

from __future__ import annotations

from approvals import Decision
from approvals.policy import Mode
from tests.workspace.insights.histories import decided, h, request, step
from workspace.insights.history import RoomHistory
from workspace.insights.waits import customer_replies, rounds, step_waits

MANAGER, OTHER_MANAGER, VP, LEGAL = 10, 12, 11, 13


def _waits(req):  # type: ignore[no-untyped-def]
    return [(w.step_id, w.seconds(h(100)) / 3600, w.waited_on, w.outcome) for w in step_waits(req)]


def test_a_later_step_waits_from_the_approval_of_the_one_before_and_on_who_decided_it() -> None:
    req = request(
        "a", 0,
        step("manager", 1, (MANAGER, OTHER_MANAGER), decided(OTHER_MANAGER, 5)),
        step("legal", 1, (LEGAL,), decided(LEGAL, 2)),
        step("vp", 2, (VP,), decided(VP, 29)),
    )  # fmt: skip
    assert _waits(req) == [
        ("manager", 5, (OTHER_MANAGER,), "approved"), ("legal", 2, (LEGAL,), "approved"),
        ("vp", 24, (VP,), "approved"),
    ]  # fmt: skip


def test_an_open_step_waits_on_every_approver_until_now_and_a_later_one_has_not_started() -> None:
    req = request("a", 90, step("manager", 1, (MANAGER, OTHER_MANAGER)), step("vp", 2, (VP,)))
    assert _waits(req) == [("manager", 10, (MANAGER, OTHER_MANAGER), "pending")]


def test_a_superseded_request_ends_its_waits_and_carried_approvals_waited_for_nobody() -> None:
    old = request("a", 0, step("manager", 1, (MANAGER,)), superseded=3)
    carried = request("b", 3, step("manager", 1, (MANAGER,), decided(MANAGER, 1, origin="x")),
                      step("vp", 1, (VP,), decided(VP, 4, Decision.REJECT)))  # fmt: skip
    assert _waits(old) == [("manager", 3, (MANAGER,), "superseded")]
    assert _waits(carried) == [("vp", 1, (VP,), "rejected")]


def test_a_rejection_ends_the_wait_of_the_steps_beside_it() -> None:
    req = request("a", 0, step("manager", 1, (MANAGER,)), step("finance", 1, (VP,), decided(VP, 6, Decision.REJECT)))
    assert _waits(req) == [("manager", 6, (MANAGER,), "closed"), ("finance", 6, (VP,), "rejected")]


def test_a_unanimous_step_waits_for_its_last_approval() -> None:
    req = request("a", 0, step("board", 1, (MANAGER, VP), decided(MANAGER, 1), decided(VP, 7), mode=Mode.UNANIMOUS))
    assert _waits(req) == [("board", 7, (VP,), "approved")]


def test_customer_replies_run_from_the_vendors_first_word_to_the_customers_answer() -> None:
    history = RoomHistory("r", "Deal", 1, h(0), vendor_says=(h(1), h(2), h(10)), customer_acts=(h(4), h(5), h(16)))
    assert customer_replies(history) == [3 * 3600, 6 * 3600]


def test_rounds_count_resubmissions_and_counter_proposals() -> None:
    reqs = (request("a", 1, step("m", 1, (MANAGER,))), request("b", 2, step("m", 1, (MANAGER,))),
            request("c", 3, step("m", 1, (MANAGER,))))  # fmt: skip
    assert rounds(RoomHistory("r", "Deal", 1, h(0))) == 0
    assert rounds(RoomHistory("r", "Deal", 1, h(0), requests=reqs[:1])) == 0
    assert rounds(RoomHistory("r", "Deal", 1, h(0), requests=reqs, counters=(h(2),))) == 3
