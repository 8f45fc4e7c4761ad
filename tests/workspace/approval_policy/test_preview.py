"""The approval policy API and the room's live approval preview (story 4's first half)."""

from __future__ import annotations

from typing import Any

from pycrdt import Array, Doc, Map

from approvals.samples import DEMO_POLICY_YAML
from tests.conftest import PricedWorld
from tests.support.yclient import YClient

YAML = {"Content-Type": "application/yaml"}


def _with_policy(priced: PricedWorld) -> None:
    response = priced.admin.http.put("/api/approvals/policy", content=DEMO_POLICY_YAML, headers=YAML)
    assert response.status_code == 200, response.text


def _computed(client: YClient, key: str) -> Any:
    return client.doc.get("computed", type=Map).get(key)


def _line(discount: int) -> Any:
    def change(doc: Doc) -> None:
        doc.get("lines", type=Array).append(
            Map({"id": "a", "sku": "PLAT-ENT", "qty": 100, "discountPct": discount, "locked": False, "note": ""})
        )

    return change


def _buyer_discount(client: YClient) -> str:
    lines = (_computed(client, "quote") or {}).get("lines") or [{}]
    return str(lines[0].get("discount_pct", ""))


def _rules(client: YClient) -> list[str]:
    return [step["rule_id"] for step in (_computed(client, "approvals") or {}).get("steps", [])]


async def test_a_32_percent_discount_needs_the_manager_and_the_vp_and_only_the_vendor_sees_it(
    priced: PricedWorld,
) -> None:
    _with_policy(priced)
    async with (
        YClient(priced.ws(), priced.rep.bearer) as rep,
        YClient(priced.ws(), priced.customer.bearer) as buyer,
        YClient(priced.ws(doc="internal"), priced.rep.bearer) as internal,
    ):
        await rep.edit(_line(32))
        await internal.wait_for(lambda: "discount-over-30" in _rules(internal), what="the VP step")
        steps = _computed(internal, "approvals")["steps"]
        assert [step["rule_id"] for step in steps] == ["discount-over-20", "discount-over-30"]
        assert [step["order"] for step in steps] == [1, 2]
        assert "32%" in steps[0]["reason"] and "20%" in steps[0]["reason"]
        await internal.wait_for(lambda: (_computed(internal, "approval") or {}).get("needed") is True)
        assert _computed(internal, "approval") == {
            "needed": True, "status": "needs_approval", "label": "Needs approval", "covered": False,
        }  # fmt: skip

        await rep.edit(lambda doc: doc.get("lines", type=Array)[0].__setitem__("discountPct", 25))
        await internal.wait_for(lambda: _rules(internal) == ["discount-over-20"], what="the VP step to go")
        await rep.edit(lambda doc: doc.get("lines", type=Array)[0].__setitem__("discountPct", 10))
        await internal.wait_for(lambda: (_computed(internal, "approval") or {}).get("needed") is False)
        assert _computed(internal, "approval")["status"] == "no_approval_needed"
        await buyer.wait_for(lambda: _buyer_discount(buyer).startswith("10"), what="the customer's re-priced quote")
    # The customer was shown the priced deal all along, and nothing of approvals: no state, no steps.
    assert "approval" not in buyer.doc.get("computed", type=Map)
    assert not any(b"approv" in frame.lower() or b"discount-over" in frame for frame in buyer.received)
    preview = priced.rep.http.get(f"/api/rooms/{priced.room_id}/approvals/preview").json()
    assert preview["steps"] == [] and preview["policy_version"] == 1
    assert priced.customer.http.get(f"/api/rooms/{priced.room_id}/approvals/preview").status_code == 403


async def test_payment_terms_over_45_days_route_to_finance(priced: PricedWorld) -> None:
    _with_policy(priced)
    async with (
        YClient(priced.ws(), priced.rep.bearer) as rep,
        YClient(priced.ws(doc="internal"), priced.rep.bearer) as internal,
    ):
        await rep.edit(_line(5))
        await rep.edit(lambda doc: doc.get("deal", type=Map).__setitem__("paymentTermsDays", 60))
        await internal.wait_for(lambda: (_computed(internal, "approval") or {}).get("needed") is True, what="finance")
    preview = priced.rep.http.get(f"/api/rooms/{priced.room_id}/approvals/preview").json()
    assert [step["rule_id"] for step in preview["steps"]] == ["finance-terms"]
    assert preview["steps"][0]["approvers"] and "45" in preview["steps"][0]["reason"]


def test_the_policy_is_validated_with_every_problem_and_only_admins_change_it(priced: PricedWorld) -> None:
    bad = DEMO_POLICY_YAML.replace("max_line_discount_pct > 30", "max_line_discount_pct => 30")
    bad = bad.replace("order: 2", "order: 0")
    response = priced.admin.http.put("/api/approvals/policy", content=bad, headers=YAML)
    assert response.status_code == 422 and len(response.json()["errors"]) >= 2
    assert priced.rep.http.get("/api/approvals/policy").status_code == 404  # nothing was saved
    assert priced.rep.http.put("/api/approvals/policy", content=DEMO_POLICY_YAML, headers=YAML).status_code == 403
    _with_policy(priced)
    saved = priced.rep.http.get("/api/approvals/policy").json()
    assert saved["version"] == 1 and [rule["id"] for rule in saved["policy"]["rules"]][:2] == [
        "discount-over-20",
        "discount-over-30",
    ]
    assert priced.customer.http.get("/api/approvals/policy").status_code == 403
    as_yaml = priced.rep.http.get("/api/approvals/policy?format=yaml")
    assert as_yaml.headers["content-type"].startswith("application/yaml") and "discount-over-20" in as_yaml.text
    as_json = priced.admin.http.put("/api/approvals/policy", json=saved["policy"])
    assert as_json.json() == {"version": 2}
