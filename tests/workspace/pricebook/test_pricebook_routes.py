"""The price book and incentive plan API: versions, validation, CSV, permissions, product facts."""

from __future__ import annotations

import copy

from tests.conftest import PricedWorld, World
from workspace.pricing.samples import SAMPLE_PRICE_BOOK


def test_admin_saves_versions_and_internal_users_read_them(priced: PricedWorld) -> None:
    first = priced.rep.http.get("/api/pricebook").json()
    assert first["version"] == 1 and len(first["products"]) == len(SAMPLE_PRICE_BOOK["products"])
    changed = copy.deepcopy(SAMPLE_PRICE_BOOK)
    changed["products"][0]["prices"]["USD"] = "22.00"
    assert priced.admin.http.put("/api/pricebook", json=changed).json()["version"] == 2
    assert priced.rep.http.get("/api/pricebook").json()["products"][0]["prices"]["USD"] == "22.00"
    assert priced.rep.http.get("/api/pricebook?version=1").json()["products"][0]["prices"]["USD"] == "20.00"


def test_an_invalid_price_book_is_refused_with_every_problem_and_nothing_saved(priced: PricedWorld) -> None:
    broken = copy.deepcopy(SAMPLE_PRICE_BOOK)
    broken["products"][1]["tiers"][1]["from_qty"] = 1
    broken["products"][0]["prices"]["USD"] = "-5"
    response = priced.admin.http.put("/api/pricebook", json=broken)
    assert response.status_code == 422
    body = response.json()
    assert body["error"] == "unprocessable" and len(body["errors"]) >= 2
    assert any(error.startswith("products[1].tiers[1].from_qty") for error in body["errors"])
    assert any(error.startswith("products[0].prices.USD") for error in body["errors"])
    assert priced.rep.http.get("/api/pricebook").json()["version"] == 1


def test_only_admins_change_the_price_book_and_customers_cannot_read_it(priced: PricedWorld) -> None:
    assert priced.rep.http.put("/api/pricebook", json=SAMPLE_PRICE_BOOK).status_code == 403
    assert priced.customer.http.get("/api/pricebook").status_code == 403
    assert priced.customer.http.get("/api/incentives/plan").status_code == 403
    assert priced.rep.http.put("/api/incentives/plan", json={}).status_code == 403
    assert priced.rep.http.get("/api/pricebook").json()["version"] == 1


def test_csv_round_trip_keeps_tiers_rules_and_facts(priced: PricedWorld) -> None:
    csv_text = priced.admin.http.get("/api/pricebook?format=csv").text
    assert csv_text.splitlines()[0] == "sku,name,description,unit,billing_period,currency,price,cost,floor"
    edited = csv_text.replace("PLAT-TEAM,Platform Team", "PLAT-TEAM,Platform Team (2027)", 1)
    response = priced.admin.http.put("/api/pricebook", content=edited, headers={"Content-Type": "text/csv"})
    assert response.status_code == 200, response.text
    book = priced.admin.http.get("/api/pricebook").json()
    assert book["version"] == 2
    team = next(p for p in book["products"] if p["sku"] == "PLAT-TEAM")
    assert team["name"] == "Platform Team (2027)"
    pro = next(p for p in book["products"] if p["sku"] == "PLAT-PRO")
    assert pro["tiers"] and pro["rules"]["min_qty"] == "10" and pro["facts"]["competitor_notes"]


def test_a_csv_without_the_needed_columns_is_refused(priced: PricedWorld) -> None:
    response = priced.admin.http.put("/api/pricebook", content="sku,name\nX,Y\n", headers={"Content-Type": "text/csv"})
    assert response.status_code == 422 and "lacks the column" in response.json()["detail"]


def test_product_facts_hide_internal_collateral_and_competitor_notes_from_customers(priced: PricedWorld) -> None:
    rep_view = priced.rep.http.get("/api/pricebook/products/PLAT-PRO").json()
    buyer_view = priced.customer.http.get("/api/pricebook/products/PLAT-PRO").json()
    assert rep_view["facts"]["competitor_notes"] and any(c.get("internal") for c in rep_view["facts"]["collateral"])
    assert "competitor_notes" not in buyer_view["facts"]
    assert buyer_view["facts"]["collateral"] and not any(c.get("internal") for c in buyer_view["facts"]["collateral"])
    assert "QuoteWorks" not in str(buyer_view)
    assert priced.customer.http.get("/api/pricebook/products/NOPE").status_code == 404
    listed = priced.customer.http.get("/api/pricebook/products").json()
    assert {"sku": "PLAT-PRO", "name": "Platform Professional"}.items() <= listed["products"][1].items()


def test_without_a_price_book_the_api_says_what_to_do(world: World) -> None:
    response = world.rep.http.get("/api/pricebook")
    assert response.status_code == 404 and "PUT /api/pricebook" in response.json()["detail"]


def test_broken_csv_uploads_get_clear_errors_not_server_errors(priced: PricedWorld) -> None:
    header = "sku,name,description,unit,billing_period,currency,price,cost,floor\n"
    not_utf8 = priced.admin.http.put("/api/pricebook", content=b"\xff\xfe" + header.encode() + b"\xe9",
                                     headers={"Content-Type": "text/csv"})  # fmt: skip
    assert not_utf8.status_code == 400 and "UTF-8" in not_utf8.json()["detail"]
    short_row = priced.admin.http.put("/api/pricebook", content=header + "X,Thing,,seat,monthly,USD\n",
                                      headers={"Content-Type": "text/csv"})  # fmt: skip
    assert short_row.status_code == 422 and short_row.json()["detail"] == "row 2 has no cell for price, cost, floor"
    assert priced.rep.http.get("/api/pricebook").json()["version"] == 1


def test_the_server_numbers_incentive_plan_versions(priced: PricedWorld) -> None:
    from workspace.pricing.samples import SAMPLE_INCENTIVE_PLAN

    without_version = {key: value for key, value in SAMPLE_INCENTIVE_PLAN.items() if key != "version"}
    assert priced.admin.http.put("/api/incentives/plan", json=without_version).json() == {"version": 2}
    assert priced.rep.http.get("/api/incentives/plan").json()["plan"]["version"] == 2
