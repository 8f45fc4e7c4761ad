"""Room templates: admins keep them, reps open rooms from them, and the room starts with their clauses and lines
priced from the room's price book."""

from __future__ import annotations

import re
from typing import Any

from clauses.library import library_to_dict
from clauses.samples_library import sample_library
from tests.conftest import PricedWorld

NEW_LOGO: dict[str, Any] = {
    "name": "New logo",
    "deal_type": "New business",
    "description": "First subscription",
    "clauses": ["subscription", "payment", "liability"],
    "lines": [{"sku": "PLAT-PRO", "qty": 50, "discountPct": 5}, {"sku": "PS-ONBOARD", "qty": 1}],
}


def _library(priced: PricedWorld) -> None:
    imported = priced.legal.http.post("/api/clauses/import", json=library_to_dict(sample_library()))
    assert imported.status_code == 200, imported.text


def _template(priced: PricedWorld, body: dict[str, Any] = NEW_LOGO) -> dict[str, Any]:
    response = priced.admin.http.post("/api/templates", json=body)
    assert response.status_code == 201, response.text
    return response.json()  # type: ignore[no-any-return]


def _clause_ids(terms: str) -> list[str]:
    """The clause ids of the terms (the snapshot gives the XML fragment as a string), in order."""
    return re.findall(r'<clause[^>]*clauseId="([^"]+)"', terms)


def test_a_room_from_a_template_holds_its_clauses_and_lines_priced(priced: PricedWorld) -> None:
    _library(priced)
    template = _template(priced)
    created = priced.rep.http.post(
        "/api/rooms", json={"title": "Globex", "customer_name": "Globex", "template": template["id"]}
    )
    assert created.status_code == 201, created.text
    room_id = created.json()["id"]
    assert created.json()["template"]["name"] == "New logo"
    shared = priced.rep.http.get(f"/api/rooms/{room_id}/snapshot").json()["shared"]
    assert shared["deal"]["title"] == "Globex"
    assert [(line["sku"], line["qty"], line["discountPct"]) for line in shared["lines"]] == [
        ("PLAT-PRO", 50, 5),
        ("PS-ONBOARD", 1, 0),
    ]
    assert _clause_ids(shared["terms"]) == ["subscription", "payment", "liability"]
    quote = priced.rep.http.get(f"/api/rooms/{room_id}/quote").json()["quote"]
    by_sku = {line["sku"]: line for line in quote["lines"]}
    # 50 Pro seats at the first tier's $45.00 less the template's 5%; onboarding at its list price.
    assert (by_sku["PLAT-PRO"]["list_unit"], by_sku["PLAT-PRO"]["net_unit"]) == ("45.00", "42.75")
    assert by_sku["PLAT-PRO"]["net_total"] == "25650.00"
    assert (by_sku["PS-ONBOARD"]["net_unit"], by_sku["PS-ONBOARD"]["net_total"]) == ("7500.00", "7500.00")
    assert not quote["pricing_problems"]


def test_a_room_without_a_template_starts_empty_and_an_unknown_template_is_refused(priced: PricedWorld) -> None:
    plain = priced.rep.http.post("/api/rooms", json={"title": "Plain", "customer_name": "P"}).json()
    assert priced.rep.http.get(f"/api/rooms/{plain['id']}/snapshot").json()["shared"].get("lines", []) == []
    before = len(priced.rep.http.get("/api/rooms").json()["rooms"])
    missing = priced.rep.http.post("/api/rooms", json={"title": "X", "customer_name": "X", "template": 999})
    assert missing.status_code == 422 and missing.json()["fields"] == {"template": "no such template"}
    wrong = priced.rep.http.post("/api/rooms", json={"title": "X", "customer_name": "X", "template": "new"})
    assert wrong.status_code == 400
    assert len(priced.rep.http.get("/api/rooms").json()["rooms"]) == before


def test_only_admins_write_templates_internal_people_read_them_customers_do_not(priced: PricedWorld) -> None:
    _library(priced)
    template = _template(priced)
    assert priced.rep.http.post("/api/templates", json={**NEW_LOGO, "name": "Other"}).status_code == 403
    assert priced.rep.http.put(f"/api/templates/{template['id']}", json=NEW_LOGO).status_code == 403
    assert priced.rep.http.delete(f"/api/templates/{template['id']}").status_code == 403
    assert priced.customer.http.get("/api/templates").status_code == 403
    assert [t["name"] for t in priced.rep.http.get("/api/templates").json()["templates"]] == ["New logo"]
    assert priced.rep.http.get(f"/api/templates/{template['id']}").json()["lines"] == [
        {"sku": "PLAT-PRO", "qty": 50, "discountPct": 5},
        {"sku": "PS-ONBOARD", "qty": 1, "discountPct": 0},
    ]


def test_bad_templates_are_refused_field_by_field_and_nothing_is_saved(priced: PricedWorld) -> None:
    _library(priced)
    bad = {
        "name": "",
        "deal_type": "Renewal",
        "clauses": ["subscription", "no-such-clause"],
        "lines": [{"sku": "NOPE", "qty": 1}, {"sku": "PLAT-PRO", "qty": 0, "discountPct": 120}],
    }
    response = priced.admin.http.post("/api/templates", json=bad)
    assert response.status_code == 422
    fields = response.json()["fields"]
    assert set(fields) == {"name", "clauses.1", "lines.0.sku", "lines.1.qty", "lines.1.discountPct"}
    assert priced.admin.http.post("/api/templates", json={**NEW_LOGO, "extra": 1}).status_code == 400
    assert priced.admin.http.post("/api/templates", json={**NEW_LOGO, "lines": [{}] * 41}).status_code == 422
    assert priced.admin.http.get("/api/templates").json()["templates"] == []


def test_a_stale_change_is_refused_and_names_are_unique(priced: PricedWorld) -> None:
    _library(priced)
    template = _template(priced)
    url = f"/api/templates/{template['id']}"
    changed = priced.admin.http.put(url, json={**NEW_LOGO, "description": "v2", "revision": template["revision"]})
    assert changed.status_code == 200, changed.text
    assert changed.json()["revision"] == template["revision"] + 1
    stale = priced.admin.http.put(url, json={**NEW_LOGO, "description": "v3", "revision": template["revision"]})
    assert stale.status_code == 409
    assert priced.admin.http.put(url, json={**NEW_LOGO, "description": "v3"}).status_code == 400  # no revision
    assert priced.admin.http.get(url).json()["description"] == "v2"
    assert priced.admin.http.post("/api/templates", json={**NEW_LOGO, "name": "new LOGO"}).status_code == 409
    assert priced.admin.http.delete(url).status_code == 204
    assert priced.admin.http.get(url).status_code == 404
    kinds = [e["kind"] for e in priced.admin.http.get("/api/audit?kind=template.").json()["events"]]
    assert kinds == ["template.deleted", "template.changed", "template.created"]
