"""Restoring an earlier version's terms or pricing: a new change through the guard, re-priced and re-checked like
any edit, kept as a "restored" version; history is never rewritten."""

from __future__ import annotations

from typing import Any

from pycrdt import Array, Map, XmlFragment

from tests.conftest import PricedWorld
from tests.support.yclient import YClient
from tests.workspace.approval_policy.test_preview import _with_policy
from tests.workspace.approval_policy.test_requests import _approvers
from tests.workspace.record.conftest import change_deal, current, open_deal, terms_json, versions_url
from tests.workspace.record.test_versions import _rows, _save
from tests.workspace.sync.test_permissions import settled
from workspace.record.models import RoomVersion
from workspace.sync.documents import DocName, doc_from_updates


def _kept_doc(priced: PricedWorld, number: int) -> Any:
    with priced.server.services.sessions() as db:
        row = db.query(RoomVersion).filter_by(room_id=priced.room_id, number=number).one()
        return doc_from_updates(DocName.SHARED, [row.state]), row.plain


def _quote(client: YClient) -> dict[str, Any]:
    return dict(client.doc.get("computed", type=Map).get("quote") or {})


def _restore(priced: PricedWorld, number: int, part: str) -> Any:
    return priced.rep.http.post(versions_url(priced, f"/{number}/restore"), json={"part": part})


async def test_restored_terms_are_the_old_versions_and_the_quote_re_prices(priced: PricedWorld) -> None:
    await open_deal(priced, discount=10)
    _save(priced, "First offer")
    old_doc, old_plain = _kept_doc(priced, 1)
    await change_deal(priced, 30, "12 months", "24 months")

    async with YClient(priced.ws(), priced.customer.bearer) as buyer:
        restored = _restore(priced, 1, "terms")
        assert restored.status_code == 200, restored.text
        assert (restored.json()["number"], restored.json()["reason"]) == (2, "restored")
        await buyer.wait_for(
            lambda: "24 months" not in str(buyer.doc.get("terms", type=XmlFragment)), what="the restored terms live"
        )
        now = await current(priced)
        assert terms_json(now) == terms_json(old_doc), "the terms are exactly the old version's"
        assert now.get("lines", type=Array)[0]["discountPct"] == 30, "the pricing stays as it is"

        repriced = _restore(priced, 1, "pricing")
        assert repriced.status_code == 200, repriced.text
        old_total = old_plain["totals"]["net_total"]
        await buyer.wait_for(
            lambda: (_quote(buyer).get("totals") or {}).get("net_total") == old_total, what="the quote re-priced"
        )
        assert _quote(buyer)["lines"][0]["discount_pct"] == "10"

    listed = priced.rep.http.get(versions_url(priced)).json()["versions"]
    assert [(v["number"], v["reason"], v["label"]) for v in listed] == [
        (1, "manual", "First offer"), (2, "restored", "Restored terms of version 1"),
        (3, "restored", "Restored pricing of version 1"),
    ]  # fmt: skip
    # History is not rewritten: version 1 is as it was, and the compare of 1 with now finds nothing.
    assert _kept_doc(priced, 1)[1] == old_plain
    compared = priced.rep.http.get(versions_url(priced, "/compare"), params={"from": "1", "to": "current"}).json()
    assert compared["counts"]["total"] == 0, compared["counts"]
    customer_view = priced.customer.http.get(versions_url(priced)).json()["versions"]
    assert [v["label"] for v in customer_view] == [
        "Saved version",
        "Earlier terms restored",
        "Earlier pricing restored",
    ]


async def test_a_restore_the_guard_refuses_changes_nothing(priced: PricedWorld) -> None:
    await open_deal(priced, discount=10)
    # An older version holds a line the room's price book no longer prices: the restore is checked like the rep's
    # own edit of that line would be, and refused with the pricing check's reason.
    async with YClient(priced.ws(), priced.rep.bearer) as rep:
        await rep.edit(lambda doc: doc.get("deal", type=Map).__setitem__("termMonths", 24))
    _save(priced, "Two years")
    with priced.server.services.sessions() as db:
        row = db.query(RoomVersion).filter_by(room_id=priced.room_id, number=1).one()
        doc = doc_from_updates(DocName.SHARED, [row.state])
        doc.get("lines", type=Array)[0]["qty"] = -5  # as if it had been possible then
        row.state = doc.get_update()
        db.commit()
    await settled(priced)  # the re-pricing of the new term has been written
    before_rows, before = _rows(priced), await current(priced)
    refused = _restore(priced, 1, "pricing")
    assert refused.status_code == 400, refused.text
    assert "quantity" in refused.json()["detail"]
    assert _rows(priced) == before_rows and (await current(priced)).get_state() == before.get_state()


async def test_restored_pricing_is_approved_again_by_the_approvals_that_covered_it(priced: PricedWorld) -> None:
    _with_policy(priced)
    manager, vp = _approvers(priced)
    await open_deal(priced, discount=25)
    request = priced.rep.http.post(f"/api/rooms/{priced.room_id}/approvals").json()
    body = {"decision": "approve", "comment": "", "fingerprint": request["fingerprint"]}
    step = request["steps"][0]["id"]
    decided = manager.http.post(f"/api/approvals/{request['request_id']}/steps/{step}/decision", json=body)
    assert decided.status_code == 200, decided.text
    async with YClient(priced.ws(doc="internal"), priced.rep.bearer) as internal:
        await internal.wait_for(lambda: _badge(internal).get("status") == "approved", what="the approval")
        async with YClient(priced.ws(), priced.rep.bearer) as rep:
            await rep.edit(lambda doc: doc.get("lines", type=Array)[0].__setitem__("discountPct", 35))
        await internal.wait_for(lambda: _badge(internal).get("status") == "needs_approval", what="35% to need approval")

        restored = _restore(priced, 1, "pricing")  # version 1: the one sent for approval, at 25%
        assert restored.status_code == 200, restored.text
        await internal.wait_for(lambda: _badge(internal).get("status") == "approved", what="the approval to hold again")
        assert restored.json()["fingerprint"] == request["fingerprint"], "the very version that was approved"
    manager.http.close()
    vp.http.close()


def _badge(client: YClient) -> dict[str, Any]:
    return dict(client.doc.get("computed", type=Map).get("approval") or {})
