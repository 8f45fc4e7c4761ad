"""A room's stages derived from its records: draft until the customer acts, in approval while a request is
open, approved until the deal changes, exported for good."""

from __future__ import annotations

from approvals import Decision
from tests.workspace.insights.histories import decided, h, request, step
from workspace.insights.history import RoomHistory
from workspace.insights.stages import Interval, Stage, intervals, stage_at, time_in_stages

MANAGER, VP = 10, 11


def _spans(history: RoomHistory) -> list[tuple[str, float, float | None]]:
    def hours(span: Interval) -> tuple[str, float, float | None]:
        end = None if span.end is None else (span.end - h(0)).total_seconds() / 3600
        return span.stage.value, (span.start - h(0)).total_seconds() / 3600, end

    return [hours(span) for span in intervals(history)]


def test_a_room_goes_from_draft_to_exported_through_each_stage() -> None:
    history = RoomHistory(
        "r1", "Deal", 1, h(0), customer_acts=(h(24), h(30)), deal_changes=(h(2), h(26)),
        requests=(request("a", 48, step("manager", 1, (MANAGER,), decided(MANAGER, 60))),), exports=(h(72), h(80)),
    )  # fmt: skip
    assert _spans(history) == [
        ("draft", 0, 24), ("negotiating", 24, 48), ("in_approval", 48, 60), ("approved", 60, 72),
        ("exported", 72, None),
    ]  # fmt: skip
    totals = time_in_stages(intervals(history), h(100))
    assert totals == {"draft": 24 * 3600, "negotiating": 24 * 3600, "in_approval": 12 * 3600, "approved": 12 * 3600}


def test_a_change_after_the_approval_takes_the_room_back_to_negotiating_and_a_resubmission_into_approval() -> None:
    first = request("a", 10, step("manager", 1, (MANAGER,), decided(MANAGER, 12)))
    second = request("b", 20, step("manager", 1, (MANAGER,), decided(MANAGER, 21, Decision.REJECT)))
    history = RoomHistory("r1", "Deal", 1, h(0), customer_acts=(h(1),), deal_changes=(h(15),),
                          requests=(first, second))  # fmt: skip
    assert _spans(history) == [
        ("draft", 0, 1), ("negotiating", 1, 10), ("in_approval", 10, 12),
        ("approved", 12, 15), ("negotiating", 15, 20), ("in_approval", 20, 21), ("negotiating", 21, None),
    ]  # fmt: skip
    assert stage_at(history, h(13)) is Stage.APPROVED and stage_at(history, h(16)) is Stage.NEGOTIATING


def test_a_superseded_request_hands_the_wait_to_the_next_without_leaving_approval() -> None:
    old = request("a", 5, step("manager", 1, (MANAGER,)), superseded=8)
    new = request("b", 8, step("manager", 1, (MANAGER,)))
    history = RoomHistory("r1", "Deal", 1, h(0), requests=(old, new))
    assert _spans(history) == [("draft", 0, 5), ("in_approval", 5, None)]
    assert time_in_stages(intervals(history), h(10))["in_approval"] == 5 * 3600, "the open stage counts up to now"


def test_a_rep_submitting_before_the_customer_arrives_goes_straight_from_draft_to_approval() -> None:
    recalled = request("a", 3, step("manager", 1, (MANAGER,)), recalled=4)
    history = RoomHistory("r1", "Deal", 1, h(0), requests=(recalled,))
    assert _spans(history) == [("draft", 0, 3), ("in_approval", 3, 4), ("draft", 4, None)]
