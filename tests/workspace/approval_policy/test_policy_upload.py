"""Saving an approval policy: a document without rules is refused, not saved as a policy that asks nothing."""

from __future__ import annotations

from tests.conftest import PricedWorld

YAML = {"Content-Type": "application/yaml"}


def test_a_policy_without_rules_is_refused_and_nothing_is_saved(priced: PricedWorld) -> None:
    admin = priced.admin.http
    for response in (
        admin.put("/api/approvals/policy", json={}),
        admin.put("/api/approvals/policy", json={"name": "Deal desk", "description": "forgot the rules"}),
        admin.put("/api/approvals/policy", content="version: 1\nname: Deal desk\n", headers=YAML),
    ):
        assert response.status_code == 400, response.text
        body = response.json()
        assert body["error"] == "invalid_input" and body["missing"] == ["rules"]
        assert "no 'rules'" in body["detail"] and "nothing was saved" in body["detail"]
    assert admin.get("/api/approvals/policy").status_code == 404


def test_an_empty_list_of_rules_is_a_policy_that_asks_for_no_approval(priced: PricedWorld) -> None:
    saved = priced.admin.http.put("/api/approvals/policy", json={"name": "No approvals", "rules": []})
    assert saved.status_code == 200 and saved.json() == {"version": 1}
    assert priced.admin.http.get("/api/approvals/policy").json()["policy"]["rules"] == []
