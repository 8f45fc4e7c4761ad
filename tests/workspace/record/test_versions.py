"""Named versions of a room: what a version keeps, comparing two, who sees which, and refusals that change
nothing."""

from __future__ import annotations

import json
from typing import Any

from pycrdt import Array
from sqlalchemy import func, select

from tests.conftest import PricedWorld
from tests.support.yclient import YClient
from tests.workspace.approval_policy.test_preview import _with_policy
from tests.workspace.approval_policy.test_requests import _approvers
from tests.workspace.proposals.helpers import allow_customer_pricing, proposals
from tests.workspace.record.conftest import change_deal, current, open_deal, terms_json, versions_url
from tests.workspace.sync.test_permissions import settled
from workspace.deal import fingerprint
from workspace.record.models import RoomVersion
from workspace.sync.documents import DocName, doc_from_updates


def _rows(priced: PricedWorld) -> list[tuple[Any, ...]]:
    with priced.server.services.sessions() as db:
        return [
            (row.number, row.reason, row.label, row.seen_by, row.fingerprint)
            for row in db.execute(
                select(RoomVersion).where(RoomVersion.room_id == priced.room_id).order_by(RoomVersion.id)
            ).scalars()
        ]


def _save(priced: PricedWorld, label: str) -> dict[str, Any]:
    saved = priced.rep.http.post(versions_url(priced), json={"label": label})
    assert saved.status_code == 201, saved.text
    return saved.json()  # type: ignore[no-any-return]


async def test_a_saved_version_keeps_the_document_and_what_a_reader_saw(priced: PricedWorld) -> None:
    await open_deal(priced, discount=10)
    saved = _save(priced, "First offer")
    assert (saved["number"], saved["label"], saved["reason"]) == (1, "First offer", "manual")
    assert saved["created_by"] == {"id": saved["created_by"]["id"], "name": "Rita Rep", "role": "rep"}

    with priced.server.services.sessions() as db:
        row = db.execute(select(RoomVersion).where(RoomVersion.room_id == priced.room_id)).scalar_one()
        state, plain = row.state, row.plain
    now = await current(priced)
    kept = doc_from_updates(DocName.SHARED, [state])
    assert fingerprint(kept) == fingerprint(now) == plain["fingerprint"] == saved["fingerprint"]
    assert terms_json(kept) == terms_json(now), "the document itself is kept"

    [line] = plain["lines"]
    assert (line["id"], line["sku"], line["qty"], line["discount_pct"]) == ("a", "PLAT-ENT", "100", "10")
    assert line["product"] and line["product"] != "PLAT-ENT", "the product's name, from the quote"
    assert line["net_total"] and plain["totals"]["net_total"] == line["net_total"] and plain["currency"] == "USD"
    clauses = [block for block in plain["terms"] if block["kind"] == "clause"]
    assert [c["clause_id"] for c in clauses] == ["payment", "liability"]
    assert clauses[1]["title"] == "Limitation of liability" and "12 months" in clauses[1]["text"]
    assert plain["deal"]["customerName"] == "Acme Corp"
    assert "cost" not in json.dumps(plain) and "margin" not in json.dumps(plain), "a version keeps the public quote"

    listed = priced.rep.http.get(versions_url(priced)).json()["versions"]
    assert [(v["number"], v["label"]) for v in listed] == [(1, "First offer")]


async def test_two_versions_compare_by_words_lines_totals_and_fields(priced: PricedWorld) -> None:
    await open_deal(priced, discount=10)
    _save(priced, "First offer")
    await change_deal(priced, 15, "12 months", "24 months")
    _save(priced, "Second offer")

    for to in ("current", "2"):
        compared = priced.rep.http.get(versions_url(priced, "/compare"), params={"from": "1", "to": to})
        assert compared.status_code == 200, compared.text
        result = compared.json()
        [line] = result["lines"]
        assert line["status"] == "changed" and {"discount_pct", "net_unit", "net_total"} <= set(line["changed"])
        assert (line["before"]["discount_pct"], line["after"]["discount_pct"]) == ("10", "15")
        assert "net_total" in result["totals"]["changed"]
        assert result["totals"]["before"]["net_total"] != result["totals"]["after"]["net_total"]
        changed = [block for block in result["terms"] if block["status"] != "same"]
        assert [(b["clause_id"], b["status"]) for b in changed] == [("liability", "changed")]
        runs = changed[0]["diff"]
        assert {"op": "delete", "text": "12"} in runs and {"op": "insert", "text": "24"} in runs
        assert result["counts"] == {"terms": 1, "lines": 1, "deal": 0, "total": 2}
        assert result["from"]["number"] == 1 and result["to"]["current"] is (to == "current")
        assert result["approvals"] == {"from": [], "to": []}
        assert "compare;dur=" in compared.headers["server-timing"]

    same = priced.rep.http.get(versions_url(priced, "/compare"), params={"from": "2", "to": "current"}).json()
    assert same["counts"]["total"] == 0


async def test_submit_and_decision_are_kept_with_the_approvals_each_version_carried(priced: PricedWorld) -> None:
    _with_policy(priced)
    manager, vp = _approvers(priced)
    await open_deal(priced, discount=25)
    submitted = priced.rep.http.post(f"/api/rooms/{priced.room_id}/approvals")
    assert submitted.status_code == 201, submitted.text
    request = submitted.json()
    body = {"decision": "approve", "comment": "ok for this account", "fingerprint": request["fingerprint"]}
    step = request["steps"][0]
    decided = manager.http.post(f"/api/approvals/{request['request_id']}/steps/{step['id']}/decision", json=body)
    assert decided.status_code == 200, decided.text

    listed = priced.rep.http.get(versions_url(priced)).json()["versions"]
    assert [(v["number"], v["reason"]) for v in listed] == [(1, "submitted"), (2, "decided")]
    assert listed[0]["label"] == "Submitted for approval" and listed[1]["label"].startswith("Approved: ")
    assert listed[1]["created_by"]["name"] == "Mo Manager" and listed[0]["fingerprint"] == request["fingerprint"]

    await change_deal(priced, 28, "12 months", "18 months")
    result = priced.rep.http.get(versions_url(priced, "/compare"), params={"from": "1", "to": "current"}).json()
    [carried] = result["approvals"]["from"]
    assert carried["request_id"] == request["request_id"] and carried["submitted_by"] == "Rita Rep"
    decisions = [d for s in carried["steps"] for d in s["decisions"]]
    assert [(d["approver"], d["decision"]) for d in decisions] == [("Mo Manager", "approve")]
    assert result["approvals"]["to"] == [], "nothing was asked for the version as it is now"
    manager.http.close()
    vp.http.close()


async def test_a_version_submitted_while_a_proposal_is_pending_carries_its_approval_request(
    priced: PricedWorld,
) -> None:
    """Approvals bind to the room as accepted: the version kept at a submit is that room, so it carries the
    request even while the customer's proposal waits."""
    _with_policy(priced)
    manager, vp = _approvers(priced)
    await open_deal(priced, discount=25)
    allow_customer_pricing(priced)
    async with YClient(priced.ws(), priced.customer.bearer) as buyer:
        await buyer.wait_for(lambda: len(buyer.doc.get("lines", type=Array)) == 1, what="the line")
        await buyer.edit(lambda doc: doc.get("lines", type=Array)[0].__setitem__("qty", 150))
        await buyer.wait_for(lambda: len(proposals(buyer)) == 1, what="the customer's proposal")
    submitted = priced.rep.http.post(f"/api/rooms/{priced.room_id}/approvals")
    assert submitted.status_code == 201, submitted.text
    request = submitted.json()
    [kept] = priced.rep.http.get(versions_url(priced)).json()["versions"]
    assert (kept["reason"], kept["fingerprint"]) == ("submitted", request["fingerprint"])
    result = priced.rep.http.get(versions_url(priced, "/compare"), params={"from": "1", "to": "current"}).json()
    assert [carried["request_id"] for carried in result["approvals"]["from"]] == [request["request_id"]]
    manager.http.close()
    vp.http.close()


async def test_the_customer_sees_only_kept_versions_with_neutral_labels_and_no_approval_state(
    priced: PricedWorld,
) -> None:
    _with_policy(priced)
    _approvers(priced)
    await open_deal(priced, discount=25)
    assert priced.rep.http.post(f"/api/rooms/{priced.room_id}/approvals").status_code == 201
    _save(priced, "Before the VP signs off: margin 41%")
    await change_deal(priced, 22, "12 months", "24 months")

    listed = priced.customer.http.get(versions_url(priced))
    assert listed.status_code == 200
    assert [(v["number"], v["label"], v["reason"]) for v in listed.json()["versions"]] == [
        (2, "Saved version", "manual")
    ]
    assert "fingerprint" not in listed.json()["versions"][0]
    assert (
        priced.customer.http.get(versions_url(priced, "/compare"), params={"from": "1", "to": "2"}).status_code == 404
    )
    compared = priced.customer.http.get(versions_url(priced, "/compare"), params={"from": "2", "to": "current"})
    assert compared.status_code == 200 and compared.json()["counts"]["total"] == 2
    text = compared.text.lower() + listed.text.lower()
    for internal in ("approv", "margin", "submitted", "fingerprint", "vp"):
        assert internal not in text, internal
    assert priced.outsider.http.get(versions_url(priced)).status_code == 404


async def test_bad_version_requests_are_refused_and_change_nothing(priced: PricedWorld) -> None:
    await open_deal(priced)
    _save(priced, "First offer")
    await settled(priced)
    before_rows, before_doc = _rows(priced), await current(priced)
    refusals = [
        (priced.rep, "post", versions_url(priced), {"json": {}}, 400, "'label' is required"),
        (priced.rep, "post", versions_url(priced), {"json": {"label": "   "}}, 400, "must not be empty"),
        (priced.rep, "post", versions_url(priced), {"json": {"label": "x" * 121}}, 400, "at most 120"),
        (priced.rep, "post", versions_url(priced), {"json": {"label": 7}}, 400, "must be a str"),
        (priced.rep, "post", versions_url(priced), {"json": {"label": "a", "state": "x"}}, 400, "unknown field"),
        (priced.customer, "post", versions_url(priced), {"json": {"label": "mine"}}, 403, "vendor"),
        (priced.outsider, "post", versions_url(priced), {"json": {"label": "mine"}}, 404, "no such room"),
        (priced.rep, "get", versions_url(priced, "/compare"), {"params": {"to": "1"}}, 400, "'from' is required"),
        (
            priced.rep,
            "get",
            versions_url(priced, "/compare"),
            {"params": {"from": "0", "to": "1"}},
            400,
            "version number",
        ),
        (priced.rep, "get", versions_url(priced, "/compare"), {"params": {"from": "1", "to": "x"}}, 400, "'current'"),
        (
            priced.rep,
            "get",
            versions_url(priced, "/compare"),
            {"params": {"from": "1", "to": "9"}},
            404,
            "no version 9",
        ),
        (
            priced.rep,
            "post",
            versions_url(priced, "/1/restore"),
            {"json": {"part": "notes"}},
            400,
            "'terms' or 'pricing'",
        ),
        (priced.rep, "post", versions_url(priced, "/1/restore"), {"json": {}}, 400, "'part' is required"),
        (priced.rep, "post", versions_url(priced, "/9/restore"), {"json": {"part": "terms"}}, 404, "no version 9"),
        (priced.rep, "post", versions_url(priced, "/one/restore"), {"json": {"part": "terms"}}, 400, "version number"),
        (
            priced.rep,
            "post",
            versions_url(priced, "/1/restore"),
            {"json": {"part": "terms"}},
            409,
            "nothing to restore",
        ),
        (priced.customer, "post", versions_url(priced, "/1/restore"), {"json": {"part": "terms"}}, 403, "rep"),
        (priced.legal, "post", versions_url(priced, "/1/restore"), {"json": {"part": "terms"}}, 403, "rep"),
    ]
    for api, method, url, kwargs, status, reason in refusals:
        answer = getattr(api.http, method)(url, **kwargs)
        assert answer.status_code == status, (url, kwargs, answer.text)
        assert reason in answer.json()["detail"], (reason, answer.json())
    assert _rows(priced) == before_rows
    after_doc = await current(priced)
    assert after_doc.get_state() == before_doc.get_state(), "the room's document did not move"


async def test_a_version_number_is_taken_once_even_by_snapshots_at_one_moment(priced: PricedWorld) -> None:
    await open_deal(priced)
    from workspace.record.snapshots import take

    async def many() -> list[dict[str, Any]]:
        import asyncio

        svc = priced.server.services
        return list(await asyncio.gather(*(take(svc, priced.room_id, "manual", f"v{i}", None) for i in range(6))))

    taken = await priced.server.acall(many())
    assert sorted(v["number"] for v in taken) == [1, 2, 3, 4, 5, 6]
    with priced.server.services.sessions() as db:
        count = db.execute(select(func.count()).select_from(RoomVersion)).scalar()
    assert count == 6
