"""Who may decide, and when: two approvers at once, a room that moved on, the submitter, a leaver's link."""

from __future__ import annotations

import threading
from typing import Any

from sqlalchemy import select

from tests.conftest import PricedWorld
from tests.support.accounts import add_member, add_user, sign_in
from tests.workspace.approval_policy.test_delegation_and_leavers import _delegate, _inbox
from tests.workspace.approval_policy.test_preview import _with_policy
from tests.workspace.approval_policy.test_requests import _approvers, _decide, _set_discount, _submit
from workspace.approval_policy.models import ApprovalRequestRow
from workspace.auth.models import User
from workspace.notify.links import StepLink


def _at_once(*calls: Any) -> list[Any]:
    """Run the calls in threads released together; return their responses in call order."""
    barrier = threading.Barrier(len(calls))
    results: list[Any] = [None] * len(calls)

    def run(index: int, call: Any) -> None:
        barrier.wait()
        results[index] = call()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return results


async def test_two_approvers_deciding_at_once_give_one_outcome(priced: PricedWorld) -> None:
    _with_policy(priced)
    manager, _vp = _approvers(priced)
    add_user(priced.server.services.sessions, "dana@example.test", "sales_manager", "Dana Deputy")
    dana = sign_in(priced.server.url, "dana@example.test")
    await _set_discount(priced, 25, first=True)
    request = _submit(priced).json()

    approve, reject = _at_once(
        lambda: _decide(manager, request, "discount-over-20", "approve"),
        lambda: _decide(dana, request, "discount-over-20", "reject"),
    )
    codes = sorted([approve.status_code, reject.status_code])
    assert codes == [200, 409], (approve.text, reject.text)
    loser = approve if approve.status_code == 409 else reject
    assert loser.json()["error"] == "already_decided"
    winner = (approve if approve.status_code == 200 else reject).json()
    with priced.server.services.sessions() as db:
        stored = db.get(ApprovalRequestRow, request["request_id"])
        assert stored is not None
        [step] = stored.data["steps"]
    assert len(step["decisions"]) == 1, "exactly one decision is on record"
    assert stored.state == winner["state"] and winner["state"] in ("approved", "rejected")


async def test_a_decision_on_a_version_the_room_has_left_is_stale(priced: PricedWorld) -> None:
    _with_policy(priced)
    manager, _vp = _approvers(priced)
    await _set_discount(priced, 25, first=True)
    request = _submit(priced).json()
    await _set_discount(priced, 29)  # the rep moves on without resubmitting
    stale = _decide(manager, request, "discount-over-20")
    assert stale.status_code == 409 and stale.json()["error"] == "stale_fingerprint"
    # Someone who may not decide the step is refused as such: "stale" would tell them about the request.
    for outsider in (priced.customer, priced.legal):
        refused = _decide(outsider, request, "discount-over-20")
        assert refused.status_code == 403 and refused.json()["error"] == "not_an_approver", refused.text
    assert "changed since this was submitted" in stale.json()["detail"]
    [item] = _inbox(manager)
    assert item["request_id"] == request["request_id"], "nothing was decided"
    fresh = _submit(priced).json()
    assert _decide(manager, fresh, "discount-over-20").status_code == 200


async def test_the_submitter_never_approves_their_own_request(priced: PricedWorld) -> None:
    _with_policy(priced)
    manager, _vp = _approvers(priced)
    assert _delegate(manager, "rep@example.test").status_code == 422, "reps are no delegates"
    # A sales manager who is also the rep of a room submits it: someone else must approve.
    with priced.server.services.sessions() as db:
        manager_id = db.execute(select(User.id).where(User.email == "manager@example.test")).scalar_one()
    add_member(priced.server.services.sessions, priced.room_id, manager_id, "rep")
    add_user(priced.server.services.sessions, "dana@example.test", "sales_manager", "Dana Deputy")
    await _set_discount(priced, 25, first=True)
    request = manager.http.post(f"/api/rooms/{priced.room_id}/approvals").json()
    refused = _decide(manager, request, "discount-over-20")
    assert refused.status_code == 403 and "someone else approves it" in refused.json()["detail"]
    assert _inbox(manager) == [], "not in the submitter's own inbox either"
    assert [i["step_id"] for i in _inbox(sign_in(priced.server.url, "dana@example.test"))] == ["discount-over-20"]


async def test_a_leavers_mailed_link_stops_working(priced: PricedWorld) -> None:
    _with_policy(priced)
    _manager, _vp = _approvers(priced)
    await _set_discount(priced, 25, first=True)
    request = _submit(priced).json()
    users = priced.admin.http.get("/api/users").json()["users"]
    manager_id = next(u["id"] for u in users if u["email"] == "manager@example.test")
    token = priced.server.services.links.make(StepLink(request["request_id"], "discount-over-20", manager_id))
    assert priced.admin.http.patch(f"/api/users/{manager_id}", json={"active": False}).status_code == 200
    body = {"decision": "approve", "fingerprint": request["fingerprint"]}
    refused = priced.rep.http.post(f"/api/approvals/link/{token}/decision", json=body)
    assert refused.status_code == 403 and refused.json()["detail"] == "this account is deactivated"
