"""A room's stage from its facts: exported wins, then a pending request, then the latest approved one."""

from __future__ import annotations

from approvals import RequestState
from workspace.pipeline.stage import Stage, stage_of

PENDING, APPROVED, REJECTED, SUPERSEDED = (
    RequestState.PENDING, RequestState.APPROVED, RequestState.REJECTED, RequestState.SUPERSEDED,
)  # fmt: skip


def test_the_stages_follow_the_shared_vocabulary() -> None:
    assert stage_of(False, [], False) is Stage.DRAFT
    assert stage_of(False, [], True) is Stage.NEGOTIATING
    assert stage_of(False, [PENDING], False) is Stage.IN_APPROVAL
    assert stage_of(False, [APPROVED], True) is Stage.APPROVED
    # The latest request decides: approved before, rejected now is negotiating again.
    assert stage_of(False, [REJECTED, APPROVED], True) is Stage.NEGOTIATING
    assert stage_of(False, [SUPERSEDED, PENDING], True) is Stage.IN_APPROVAL
    assert stage_of(True, [PENDING], True) is Stage.EXPORTED
    assert [stage.closed for stage in Stage] == [False, False, False, True, True]
