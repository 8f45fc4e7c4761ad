"""Editing the policy without surprises: a draft is validated without saving, previewed against a room (who
would be asked and why), and a save on a stale version is refused."""

from __future__ import annotations

from typing import Any

import yaml

from approvals.samples import DEMO_POLICY_YAML
from tests.conftest import PricedWorld
from tests.support.accounts import add_user
from tests.workspace.approval_policy.test_preview import YAML, _with_policy

DISCOUNTED = {"name": "Discounted", "deal_type": "Test", "clauses": [],
              "lines": [{"sku": "PLAT-ENT", "qty": 100, "discountPct": 25}]}  # fmt: skip


def _draft(over: int) -> dict[str, Any]:
    """The demo policy with the manager's threshold moved to `over` percent."""
    data = yaml.safe_load(DEMO_POLICY_YAML)
    data["rules"][0]["when"] = f"max_line_discount_pct > {over}"
    return data  # type: ignore[no-any-return]


def _room_at_25_percent(priced: PricedWorld) -> str:
    template = priced.admin.http.post("/api/templates", json=DISCOUNTED)
    assert template.status_code == 201, template.text
    body = {"title": "Deal 25", "customer_name": "C", "template": template.json()["id"]}
    return priced.rep.http.post("/api/rooms", json=body).json()["id"]  # type: ignore[no-any-return]


def test_validate_reports_problems_without_saving(priced: PricedWorld) -> None:
    _with_policy(priced)
    good = priced.admin.http.post("/api/approvals/policy/validate", content=DEMO_POLICY_YAML, headers=YAML).json()
    assert (good["valid"], good["errors"]) == (True, [])
    assert good["rules"] == ["discount-over-20", "discount-over-30", "finance-terms", "legal-clauses"]
    assert good["policy"]["rules"][0]["when"] == "max_line_discount_pct > 20"  # as read, for the form editor
    broken = DEMO_POLICY_YAML.replace("max_line_discount_pct > 20", "max_line_discount_pct => 20")
    bad = priced.admin.http.post("/api/approvals/policy/validate", content=broken, headers=YAML).json()
    assert bad["valid"] is False and any(error.startswith("rules[0].when") for error in bad["errors"])
    no_rules = priced.admin.http.post("/api/approvals/policy/validate", json={"version": 1}).json()
    assert no_rules["valid"] is False and "rules" in no_rules["errors"][0]
    syntax = priced.admin.http.post("/api/approvals/policy/validate", content="rules: [", headers=YAML).json()
    assert syntax["valid"] is False and syntax["errors"]
    assert priced.admin.http.get("/api/approvals/policy").json()["version"] == 1


def test_a_draft_is_previewed_against_a_room_with_the_people_it_would_ask(priced: PricedWorld) -> None:
    _with_policy(priced)
    add_user(priced.server.services.sessions, "mo@example.test", "sales_manager", "Mo Manager")
    room_id = _room_at_25_percent(priced)
    now = priced.admin.http.post(f"/api/rooms/{room_id}/approvals/preview", json=_draft(20))
    assert now.status_code == 200, now.text
    steps = now.json()["steps"]
    assert [s["rule_id"] for s in steps] == ["discount-over-20"]
    assert [p["name"] for p in steps[0]["people"]] == ["Mo Manager"] and steps[0]["reason"]
    relaxed = priced.admin.http.post(f"/api/rooms/{room_id}/approvals/preview", json=_draft(30)).json()
    assert relaxed["steps"] == [] and relaxed["current_policy_version"] == 1
    # Nothing was saved: the room's own preview still follows the saved policy.
    saved = priced.admin.http.get(f"/api/rooms/{room_id}/approvals/preview").json()
    assert [s["rule_id"] for s in saved["steps"]] == ["discount-over-20"]
    invalid = priced.admin.http.post(f"/api/rooms/{room_id}/approvals/preview", json={"rules": "x"})
    assert invalid.status_code == 422 and invalid.json()["errors"]


def test_only_admins_validate_and_preview_drafts(priced: PricedWorld) -> None:
    _with_policy(priced)
    room_id = _room_at_25_percent(priced)
    for api in (priced.rep, priced.legal, priced.customer):
        assert api.http.post("/api/approvals/policy/validate", json=_draft(20)).status_code == 403
        assert api.http.post(f"/api/rooms/{room_id}/approvals/preview", json=_draft(20)).status_code == 403
    assert priced.admin.http.post("/api/rooms/nope/approvals/preview", json=_draft(20)).status_code == 404


def test_a_stale_policy_save_is_refused_and_saves_are_audited(priced: PricedWorld) -> None:
    _with_policy(priced)
    first = priced.admin.http.put("/api/approvals/policy?base_version=1", json=_draft(25))
    assert first.status_code == 200 and first.json()["version"] == 2
    stale = priced.admin.http.put("/api/approvals/policy?base_version=1", json=_draft(15))
    assert stale.status_code == 409 and stale.json()["version"] == 2
    saved = priced.admin.http.get("/api/approvals/policy").json()["policy"]
    assert saved["rules"][0]["when"] == "max_line_discount_pct > 25"
    events = priced.admin.http.get("/api/audit?kind=policy.saved").json()["events"]
    assert [e["data"]["version"] for e in events] == [2, 1]
