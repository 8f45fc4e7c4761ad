"""The rep's pipeline, a manager's team view, and a room's what-if, through the API."""

from __future__ import annotations

import copy
from typing import Any

from pycrdt import Array, Doc, Map

from tests.conftest import PricedWorld
from tests.support.accounts import Api, sign_in
from tests.support.yclient import YClient, wait_until
from tests.workspace.approval_policy.test_preview import _with_policy
from tests.workspace.approval_policy.test_requests import _approvers, _decide, _set_discount, _submit
from workspace.pricing.samples import SAMPLE_INCENTIVE_PLAN


def _plan_with_quota(priced: PricedWorld) -> None:
    plan = copy.deepcopy(SAMPLE_INCENTIVE_PLAN)
    plan["timing"] = []  # the estimate must not depend on the day the test runs
    plan["quotas"] = {"REP@example.test": {"currency": "USD", "quarterly": "100000.00"}}
    plan["tiers"] = [{"from_pct": "0", "multiplier": "1"}, {"from_pct": "100", "multiplier": "1.5"}]
    answer = priced.admin.http.put("/api/incentives/plan", json=plan)
    assert answer.status_code == 200, answer.text


async def _other_room_line(priced: PricedWorld, qty: int) -> None:
    def change(doc: Doc) -> None:
        doc.get("lines", type=Array).append(
            Map({"id": "o1", "sku": "PLAT-ENT", "qty": qty, "discountPct": 0, "locked": False, "note": ""})
        )

    async with YClient(priced.ws(priced.other_room_id), priced.rep.bearer) as rep:
        await rep.edit(change)

        def stored() -> bool:
            shared = priced.rep.http.get(f"/api/rooms/{priced.other_room_id}/snapshot").json()["shared"]
            return bool(shared["lines"])

        await wait_until(stored, 10, "the line to be committed")


def _deal_of(priced: PricedWorld) -> Any:
    """What people typed in the room (the server's `computed` follows on its own)."""
    shared = priced.rep.http.get(f"/api/rooms/{priced.room_id}/snapshot").json()["shared"]
    return shared["deal"], shared["lines"], shared["terms"], shared["comments"]


def _pipeline(api: Api, **params: str) -> Any:
    answer = api.http.get("/api/pipeline", params=params)
    assert answer.status_code == 200, answer.text
    return answer.json()


def _deal(pipeline: dict[str, Any], room_id: str) -> dict[str, Any]:
    return next(deal for deal in pipeline["deals"] if deal["room_id"] == room_id)


async def test_the_pipeline_shows_stages_commission_attainment_and_the_team_view(priced: PricedWorld) -> None:
    _with_policy(priced)
    _plan_with_quota(priced)
    manager, _vp = _approvers(priced)
    await _set_discount(priced, 25, first=True)  # 100 Enterprise seats at 25 % off: 67,500.00 first year
    await _other_room_line(priced, 50)  # 50 seats, list: 45,000.00

    first = _pipeline(priced.rep)
    stages = {d["room_id"]: d["stage"] for d in first["deals"]}
    assert stages == {priced.room_id: "draft", priced.other_room_id: "draft"}
    assert first["quarter"]["quota"] == "100000.00" and first["quarter"]["attainment_pct"] == "0.0"

    # The customer of the other room asks a question: that room is negotiating, with an open question.
    asked = priced.outsider.http.post(f"/api/rooms/{priced.other_room_id}/threads", json={
        "kind": "question", "visibility": "external", "anchor": {"type": "room"}, "text": "Pilot first?"})  # fmt: skip
    assert asked.status_code == 201, asked.text
    await wait_until(lambda: _deal(_pipeline(priced.rep), priced.other_room_id)["stage"] == "negotiating", 10,
                     "the question to be recorded")  # fmt: skip

    # Submitted: in approval, waiting on the manager; the manager's team view shows it and whom it waits on.
    request = _submit(priced).json()
    rep_id = priced.rep.user_id
    admin_set = priced.admin.http.patch(f"/api/users/{rep_id}", json={"manager": "manager@example.test"})
    assert admin_set.status_code == 200, admin_set.text
    team = _pipeline(manager, scope="team")
    [person] = team["people"]
    assert person["user"]["email"] == "rep@example.test" and len(person["deals"]) == 2
    [waiting] = team["approvals_waiting"]
    assert waiting["room_id"] == priced.room_id and waiting["waiting_on"][0]["name"] == "Mo Manager"
    assert waiting["hours_waited"] >= 0
    assert {row["stage"]: row["count"] for row in team["by_stage"]}["in_approval"] == 1

    assert _decide(manager, request, "discount-over-20").status_code == 200
    pipeline = _pipeline(priced.rep)
    closed, open_ = _deal(pipeline, priced.room_id), _deal(pipeline, priced.other_room_id)
    assert closed["stage"] == "approved" and closed["approval"]["state"] == "approved"
    assert closed["first_year"] == "67500.00" and closed["total"] == "67500.00"
    assert open_["open_questions"] == 1 and open_["open_disputes"] == 0
    assert open_["days_since_customer_activity"] == 0
    assert pipeline["quarter"]["closed"] == "67500.00" and pipeline["quarter"]["attainment_pct"] == "67.5"
    # 45,000.00 at Enterprise's 10 %: 4,500.00, of which 32.5 points of quota at 1x and 12.5 at 1.5x.
    assert open_["attainment"]["sentence"] == "This deal moves you from 67.5 % to 112.5 %, into the 1.5x tier."
    assert open_["commission"]["total"] == "5125.00"
    assert [layer["name"] for layer in open_["commission"]["layers"]][-1] == "Accelerator"
    assert {row["stage"]: row["count"] for row in pipeline["by_stage"]} == {
        "draft": 0, "negotiating": 1, "in_approval": 0, "approved": 1, "exported": 0}  # fmt: skip

    # Refusals: customers, a rep asking for a team, an unknown scope.
    assert priced.customer.http.get("/api/pipeline").status_code == 403
    assert priced.rep.http.get("/api/pipeline", params={"scope": "team"}).status_code == 403
    assert priced.rep.http.get("/api/pipeline", params={"scope": "all"}).status_code == 400
    assert "commission" not in priced.customer.http.get("/api/pipeline").text
    manager.http.close()


async def test_the_what_if_prices_another_discount_side_by_side_and_changes_nothing(priced: PricedWorld) -> None:
    _plan_with_quota(priced)
    await _set_discount(priced, 10, first=True)  # 100 seats at 10 % off: 81,000.00, 81 % of quota
    before = _deal_of(priced)
    url = f"/api/rooms/{priced.room_id}/whatif"

    answer = priced.rep.http.get(url, params={"discount_pct": "0", "term_months": "24"})
    assert answer.status_code == 200, answer.text
    now, what_if = answer.json()["now"], answer.json()["what_if"]
    assert (now["first_year"], what_if["first_year"]) == ("81000.00", "90000.00")
    assert (now["tier"], what_if["tier"]) == ("1x", "1x")
    assert what_if["term_months"] == 24 and what_if["total"] == "180000.00"
    assert now["commission"] == "8100.00" and what_if["commission"] == "9000.00"
    assert float(what_if["margin"]) > float(now["margin"])

    # Tighter quota: now 81 % stays at 1x, the what-if at list crosses into 1.5x.
    plan = copy.deepcopy(SAMPLE_INCENTIVE_PLAN)
    plan["timing"] = []
    plan["quotas"] = {"rep@example.test": {"currency": "USD", "quarterly": "85000.00"}}
    plan["tiers"] = [{"from_pct": "0", "multiplier": "1"}, {"from_pct": "100", "multiplier": "1.5"}]
    assert priced.admin.http.put("/api/incentives/plan", json=plan).status_code == 200
    crossing = priced.rep.http.get(url, params={"discount_pct": "0"}).json()
    assert crossing["now"]["tier"] == "1x" and crossing["what_if"]["tier"] == "1.5x"
    assert crossing["what_if"]["attainment"]["tier_changes"] is True

    for params in ({"discount_pct": "101"}, {"discount_pct": "-1"}, {"discount_pct": "ten"}, {"term_months": "0"},
                   {"term_months": "121"}, {"term_months": "1.5"}, {}, {"discount_pct": "1.23456"},
                   {"discount_pct": "5", "margin": "1"}):  # fmt: skip
        refused = priced.rep.http.get(url, params=params)
        assert refused.status_code == 400, (params, refused.text)
    refused = priced.customer.http.get(url, params={"discount_pct": "5"})
    assert refused.status_code == 403 and "commission" not in refused.text
    assert priced.outsider.http.get(url, params={"discount_pct": "5"}).status_code == 404
    assert priced.legal.http.get(url, params={"discount_pct": "5"}).status_code == 200
    assert _deal_of(priced) == before, "the room is unchanged"


def test_a_manager_without_reports_sees_an_empty_team(priced: PricedWorld) -> None:
    _approvers(priced)
    manager = sign_in(priced.server.url, "manager@example.test")
    team = _pipeline(manager, scope="team")
    assert team["people"] == [] and team["approvals_waiting"] == []
    manager.http.close()
