"""The clause library over HTTP: legal writes it (draft → published → retired), everyone internal reads and
searches it, import/export round-trips it, and bad input is refused with every problem and changes nothing."""

from __future__ import annotations

from typing import Any

from tests.conftest import World
from tests.support.accounts import Api

NEW = {
    "key": "audit_rights",
    "title": "Audit rights",
    "category": "audit",
    "text": "{{customer.name}} may audit {{vendor.name}} once a year on 30 days' notice.",
    "fallbacks": [
        {
            "rank": 1,
            "text": "{{customer.name}} may audit once every two years on 60 days' notice.",
            "when_to_use": "Regulated customers who accept a longer cycle.",
        }
    ],
    "deviation_approval": "legal",
}


def _clauses(api: Api, **params: str) -> list[dict[str, Any]]:
    response = api.http.get("/api/clauses", params=params)
    assert response.status_code == 200, response.text
    return list(response.json()["clauses"])


def test_legal_drafts_publishes_versions_and_retires(world: World) -> None:
    created = world.legal.http.post("/api/clauses", json=NEW)
    assert created.status_code == 201, created.text
    clause = created.json()
    assert (clause["latest_published"], clause["draft"]) == (None, 1)
    clause_id = clause["id"]

    published = world.legal.http.post(f"/api/clauses/{clause_id}/versions/1/publish")
    assert published.status_code == 200 and published.json()["latest_published"] == 1
    again = world.legal.http.post(f"/api/clauses/{clause_id}/versions/1/publish")
    assert again.status_code == 409 and again.json()["error"] == "clause_lifecycle_conflict"

    body = {**NEW, "text": "{{customer.name}} may audit {{vendor.name}} twice a year."}
    drafted = world.legal.http.post(f"/api/clauses/{clause_id}/versions",
                                    json={k: body[k] for k in ("text", "fallbacks", "deviation_approval")})  # fmt: skip
    assert drafted.status_code == 201 and drafted.json()["draft"] == 2
    assert world.legal.http.post(f"/api/clauses/{clause_id}/versions/2/publish").json()["latest_published"] == 2
    retired = world.legal.http.post(f"/api/clauses/{clause_id}/versions/1/retire").json()
    assert [v["status"] for v in retired["versions"]] == ["retired", "published"]

    # Search by words of the text or title, and by category; the rep reads, the customer does not.
    assert [c["key"] for c in _clauses(world.rep, q="twice audit")] == ["audit_rights"]
    assert _clauses(world.rep, q="indemnify") == []
    assert [c["key"] for c in _clauses(world.rep, category="audit")] == ["audit_rights"]
    assert world.customer.http.get("/api/clauses").status_code == 403
    assert world.rep.http.get(f"/api/clauses/{clause_id}").json()["title"] == "Audit rights"
    assert world.rep.http.get("/api/clauses/nope").status_code == 404


def test_bad_clauses_are_refused_with_every_problem_and_nothing_is_stored(world: World) -> None:
    bad = {**NEW, "key": "Bad Key", "text": "Pay {{customer.nmae}} within {{days", "fallbacks": [
        {"rank": 2, "text": "x", "when_to_use": "y"}]}  # fmt: skip
    refused = world.legal.http.post("/api/clauses", json=bad)
    assert refused.status_code == 422
    problems = " | ".join(refused.json()["errors"])
    for expected in ("key:", "unknown variable {{customer.nmae}}", "malformed placeholder", "ranks must be 1..1"):
        assert expected in problems, problems
    assert world.rep.http.post("/api/clauses", json=NEW).status_code == 403, "only legal writes the library"
    assert world.legal.http.post("/api/clauses", content=b"{", headers={"Content-Type": "application/json"}
                                 ).status_code == 400  # fmt: skip
    assert _clauses(world.legal) == []

    assert world.legal.http.post("/api/clauses", json=NEW).status_code == 201
    duplicate = world.legal.http.post("/api/clauses", json=NEW)
    assert duplicate.status_code == 409 and "audit_rights" in duplicate.json()["detail"]
    [stored] = _clauses(world.legal)
    assert world.legal.http.post(f"/api/clauses/{stored['id']}/versions", json={"text": "Another"}).status_code == 409
    assert world.legal.http.post(f"/api/clauses/{stored['id']}/versions/7/publish").status_code == 409
    assert _clauses(world.legal) == [stored], "refusals changed nothing"


def test_the_library_exports_and_imports_as_json(world: World) -> None:
    world.legal.http.post("/api/clauses", json=NEW).raise_for_status()
    exported = world.rep.http.get("/api/clauses/export").json()
    assert [c["key"] for c in exported["clauses"]] == ["audit_rights"]
    exported["clauses"][0]["title"] = "Audit rights (imported)"
    extra = {**exported["clauses"][0], "id": "audit-2", "key": "audit_two"}
    imported = world.legal.http.post("/api/clauses/import", json={"clauses": [*exported["clauses"], extra]})
    assert imported.status_code == 200 and imported.json() == {"imported": 2}
    assert sorted(c["title"] for c in _clauses(world.rep)) == ["Audit rights (imported)", "Audit rights (imported)"]

    broken = world.legal.http.post("/api/clauses/import", json={"clauses": [{**extra, "versions": []}]})
    assert broken.status_code == 422 and "versions: expected a non-empty list" in broken.json()["errors"][0]
    clash = world.legal.http.post("/api/clauses/import", json={"clauses": [{**extra, "id": "other"}]})
    assert clash.status_code == 409
    assert len(_clauses(world.rep)) == 2
    names = [v["name"] for v in world.rep.http.get("/api/clauses/variables").json()["variables"]]
    assert "customer.name" in names and "deal.payment_terms_days" in names


def test_an_import_adds_versions_but_never_rewrites_one(world: World) -> None:
    created = world.legal.http.post("/api/clauses", json=NEW).json()
    world.legal.http.post(f"/api/clauses/{created['id']}/versions/1/publish").raise_for_status()
    exported = world.rep.http.get("/api/clauses/export").json()
    [clause] = exported["clauses"]
    rewritten = {**clause, "versions": [{**clause["versions"][0], "text": "Audits are unlimited."}]}
    dropped = {**clause, "versions": [{**clause["versions"][0], "number": 2}]}
    recategorised = {**clause, "category": "other"}
    reserved = {**clause, "id": "variables", "key": "reserved_one"}
    for attempt, words in ((rewritten, "changes version 1"), (dropped, "drops version 1"),
                           (recategorised, "changes the category"), (reserved, "is reserved")):  # fmt: skip
        refused = world.legal.http.post("/api/clauses/import", json={"clauses": [attempt]})
        assert refused.status_code == 409 and words in refused.json()["detail"], refused.text
    added = {**clause, "versions": [*clause["versions"], {**clause["versions"][0], "number": 2, "status": "draft",
                                                          "text": "Audits once a year."}]}  # fmt: skip
    assert world.legal.http.post("/api/clauses/import", json={"clauses": [added]}).status_code == 200
    assert [v["number"] for v in _clauses(world.rep)[0]["versions"]] == [1, 2]
    assert _clauses(world.rep)[0]["versions"][0]["text"] == NEW["text"], "the published text is as it was"


def test_unknown_fields_and_strangers_are_refused_before_anything_else(world: World) -> None:
    typo = world.legal.http.post("/api/clauses", json={**NEW, "fallback": []})
    assert typo.status_code == 400 and "unknown field(s): fallback" in typo.json()["detail"]
    stranger = world.customer.http.post("/api/clauses", content=b"{", headers={"Content-Type": "application/json"})
    assert stranger.status_code == 403, "the caller is checked before the body"
    assert _clauses(world.legal) == []
