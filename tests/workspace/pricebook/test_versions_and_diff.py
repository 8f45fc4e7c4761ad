"""The price book editor's API: the list of versions, the diff of a draft before saving and of a version after,
stale saves refused, and each save on the audit trail."""

from __future__ import annotations

import copy

from tests.conftest import PricedWorld
from workspace.pricebook.diff import book_diff
from workspace.pricing.samples import SAMPLE_PRICE_BOOK


def _edited() -> dict:  # type: ignore[type-arg]
    book = copy.deepcopy(SAMPLE_PRICE_BOOK)
    book["products"][0]["prices"]["USD"] = "22.00"
    book["products"] = [p for p in book["products"] if p["sku"] != "LEGACY-ANALYTICS"]
    book["products"].append({"sku": "NEW-ONE", "name": "New one", "unit": "user", "billing_period": "monthly",
                             "prices": {c: "1.00" for c in book["currencies"]}})  # fmt: skip
    return book


def test_the_diff_names_added_removed_and_changed_products_with_prices() -> None:
    diff = book_diff(SAMPLE_PRICE_BOOK, _edited())
    assert diff["added"] == [{"sku": "NEW-ONE", "name": "New one"}]
    assert [r["sku"] for r in diff["removed"]] == ["LEGACY-ANALYTICS"]
    assert diff["changed"] == [
        {"sku": "PLAT-TEAM", "name": "Platform Team",
         "changes": [{"field": "prices.USD", "before": "20.00", "after": "22.00"}]},
    ]  # fmt: skip
    assert book_diff(SAMPLE_PRICE_BOOK, copy.deepcopy(SAMPLE_PRICE_BOOK))["empty"] is True
    same_price = copy.deepcopy(SAMPLE_PRICE_BOOK)
    same_price["products"][0]["prices"]["USD"] = "20"
    assert book_diff(SAMPLE_PRICE_BOOK, same_price)["empty"] is True


def test_a_draft_is_checked_and_compared_without_saving(priced: PricedWorld) -> None:
    checked = priced.admin.http.post("/api/pricebook/check", json=_edited())
    assert checked.status_code == 200, checked.text
    body = checked.json()
    assert body["base_version"] == 1 and body["errors"] == []
    assert [c["sku"] for c in body["diff"]["changed"]] == ["PLAT-TEAM"]
    broken = _edited()
    broken["products"][0]["prices"]["USD"] = "-1"
    problems = priced.admin.http.post("/api/pricebook/check", json=broken).json()["errors"]
    assert any(p.startswith("products[0].prices.USD") for p in problems)
    sheet = priced.admin.http.get("/api/pricebook?format=csv").text
    csv_text = sheet.replace("PLAT-TEAM,Platform Team,", "PLAT-TEAM,Team,", 1)
    from_csv = priced.admin.http.post("/api/pricebook/check", content=csv_text, headers={"Content-Type": "text/csv"})
    renamed = {"field": "name", "before": "Platform Team", "after": "Team"}
    assert from_csv.json()["diff"]["changed"][0]["changes"][0] == renamed
    assert priced.admin.http.get("/api/pricebook").json()["version"] == 1


def test_saving_gives_a_new_version_its_diff_and_an_audit_event(priced: PricedWorld) -> None:
    saved = priced.admin.http.put("/api/pricebook?base_version=1", json=_edited())
    assert saved.status_code == 200, saved.text
    assert saved.json()["version"] == 2 and saved.json()["diff"]["added"][0]["sku"] == "NEW-ONE"
    versions = priced.admin.http.get("/api/pricebook/versions").json()["versions"]
    assert [(v["version"], v["created_by"]) for v in versions] == [(2, "Ada Admin"), (1, "Ada Admin")]
    diff = priced.admin.http.get("/api/pricebook/diff").json()
    assert (diff["from"], diff["to"]) == (1, 2) and diff["diff"]["changed"][0]["sku"] == "PLAT-TEAM"
    assert priced.admin.http.get("/api/pricebook/diff?from=2&to=1").json()["diff"]["removed"][0]["sku"] == "NEW-ONE"
    events = priced.admin.http.get("/api/audit?kind=pricebook.").json()["events"]
    assert [(e["kind"], e["data"]["version"], e["actor"]["name"]) for e in events] == [
        ("pricebook.saved", 2, "Ada Admin"), ("pricebook.saved", 1, "Ada Admin")]  # fmt: skip


def test_each_save_of_the_incentive_plan_is_in_its_audit_trail(priced: PricedWorld) -> None:
    from workspace.pricing.samples import SAMPLE_INCENTIVE_PLAN

    refused = priced.admin.http.put("/api/incentives/plan", json={**SAMPLE_INCENTIVE_PLAN, "tiers": "lots"})
    assert refused.status_code == 422
    assert priced.admin.http.put("/api/incentives/plan", json=SAMPLE_INCENTIVE_PLAN).status_code == 200
    events = priced.admin.http.get("/api/audit?kind=plan.").json()["events"]
    quotas, tiers = len(SAMPLE_INCENTIVE_PLAN["quotas"]), len(SAMPLE_INCENTIVE_PLAN["tiers"])  # type: ignore[arg-type]
    assert [(e["kind"], e["data"], e["actor"]["name"]) for e in events] == [
        ("plan.saved", {"version": 2, "quotas": quotas, "tiers": tiers}, "Ada Admin"),
        ("plan.saved", {"version": 1, "quotas": quotas, "tiers": tiers}, "Ada Admin"),
    ]  # the refused save left no trace


def test_a_stale_save_is_refused_and_changes_nothing(priced: PricedWorld) -> None:
    assert priced.admin.http.put("/api/pricebook?base_version=1", json=_edited()).status_code == 200
    stale = priced.admin.http.put("/api/pricebook?base_version=1", json=SAMPLE_PRICE_BOOK)
    assert stale.status_code == 409 and stale.json()["version"] == 2
    assert priced.admin.http.put("/api/pricebook?base_version=x", json=SAMPLE_PRICE_BOOK).status_code == 400
    assert priced.admin.http.get("/api/pricebook").json()["version"] == 2


def test_only_admins_see_versions_diffs_and_checks(priced: PricedWorld) -> None:
    for api in (priced.rep, priced.customer, priced.legal):
        assert api.http.get("/api/pricebook/versions").status_code == 403
        assert api.http.get("/api/pricebook/diff").status_code == 403
        assert api.http.post("/api/pricebook/check", json=_edited()).status_code == 403
    assert priced.admin.http.get("/api/pricebook/diff?to=9").status_code == 404
    assert priced.admin.http.get("/api/pricebook/diff?to=a").status_code == 400
