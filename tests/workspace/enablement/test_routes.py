"""Enablement cards over HTTP: admins and legal keep them (stale writes refused), a room offers the cards its
state triggers with why, reps mark them helpful once, admins see usage, and customers get nothing of it."""

from __future__ import annotations

from typing import Any

from pycrdt import Array, Doc, Map

from approvals.samples import DEMO_POLICY_YAML
from tests.conftest import PricedWorld, World
from tests.support.accounts import Api, sign_in
from tests.support.yclient import YClient

PRICE = {
    "title": "Defending price past the threshold",
    "body": "Trade, do not give.\n\nA longer term or prepayment earns a step.",
    "kind": "price_defense",
    "tags": {"products": ["plat-ent"], "stages": [], "deal_size": {"min": None, "max": None}},
    "triggers": ["discount_threshold"],
}


def _cards(api: Api) -> list[dict[str, Any]]:
    response = api.http.get("/api/enablement/cards")
    assert response.status_code == 200, response.text
    return list(response.json()["cards"])


def test_legal_keeps_cards_and_a_stale_edit_is_refused_without_changing_anything(world: World) -> None:
    created = world.legal.http.post("/api/enablement/cards", json=PRICE)
    assert created.status_code == 201, created.text
    card = created.json()
    assert card["tags"]["products"] == ["PLAT-ENT"] and card["version"] == 1 and card["retired"] is False

    edited = world.legal.http.put(f"/api/enablement/cards/{card['id']}", json={**PRICE, "title": "New", "version": 1})
    assert edited.status_code == 200 and edited.json()["version"] == 2
    stale = world.legal.http.put(f"/api/enablement/cards/{card['id']}", json={**PRICE, "title": "Lost", "version": 1})
    assert stale.status_code == 409 and stale.json()["card"]["title"] == "New"
    assert world.rep.http.get(f"/api/enablement/cards/{card['id']}").json()["title"] == "New"

    retired = world.legal.http.put(f"/api/enablement/cards/{card['id']}",
                                   json={**PRICE, "title": "New", "version": 2, "retired": True})  # fmt: skip
    assert retired.status_code == 200 and retired.json()["retired"] is True
    # Reps read the library but do not write it; customers see none of it.
    assert world.rep.http.post("/api/enablement/cards", json=PRICE).status_code == 403
    assert world.rep.http.get("/api/enablement/usage").status_code == 403
    assert world.customer.http.get("/api/enablement/cards").status_code == 403
    assert world.customer.http.get(f"/api/enablement/cards/{card['id']}").status_code == 403
    for missing in (999, 2**31, 2**63):
        assert world.legal.http.get(f"/api/enablement/cards/{missing}").status_code == 404
    assert [c["title"] for c in _cards(world.rep)] == ["New"]


def test_bad_cards_are_refused_precisely_and_nothing_is_stored(world: World) -> None:
    refusals = [
        ({**PRICE, "colour": "red"}, 400, "unknown field(s): colour"),
        ({**PRICE, "title": ""}, 400, "'title' must not be empty"),
        ({**PRICE, "title": "x" * 121}, 400, "at most 120 characters"),
        ({**PRICE, "title": "Nul\u0000byte"}, 400, "'title' holds a control character"),
        ({**PRICE, "body": 7}, 400, "'body' must be a string"),
        ({**PRICE, "tags": {"products": ["A"] * 31}}, 400, "at most 30 items"),
        ({**PRICE, "tags": {"deal_size": {"min": "big"}}}, 400, "must be a number or null"),
        ({**PRICE, "kind": "gossip"}, 422, "'kind' must be one of"),
        ({**PRICE, "triggers": ["full_moon"]}, 422, "unknown trigger(s) full_moon"),
        ({**PRICE, "tags": {"stages": ["closing"]}}, 422, "unknown stage(s) closing"),
        ({**PRICE, "tags": {"deal_size": {"min": 10, "max": 5}}}, 422, "must not be more than"),
        ({**PRICE, "triggers": ["competitor"]}, 422, "names the competitor(s)"),
    ]
    for body, status, detail in refusals:
        response = world.legal.http.post("/api/enablement/cards", json=body)
        assert response.status_code == status and detail in response.json()["detail"], (body, response.text)
    too_big = world.legal.http.post("/api/enablement/cards", json={**PRICE, "body": "x" * 40_000})
    assert too_big.status_code == 413
    assert _cards(world.legal) == []

    card = world.legal.http.post("/api/enablement/cards", json=PRICE).json()
    no_version = world.legal.http.put(f"/api/enablement/cards/{card['id']}", json={**PRICE, "title": "B"})
    assert no_version.status_code == 400 and "'version'" in no_version.json()["detail"]
    bad_edit = world.legal.http.put(f"/api/enablement/cards/{card['id']}", json={**PRICE, "kind": "x", "version": 1})
    assert bad_edit.status_code == 422
    assert _cards(world.legal) == [card]


def _line(discount: int) -> Any:
    def change(doc: Doc) -> None:
        doc.get("lines", type=Array).append(
            Map({"id": "a", "sku": "PLAT-ENT", "qty": 100, "discountPct": discount, "locked": False, "note": ""})
        )

    return change


def _priced_at(client: YClient, discount: str) -> bool:
    """The server has priced the room's one line at `discount` (so it holds that line)."""
    lines = (client.doc.get("computed", type=Map).get("quote") or {}).get("lines") or [{}]
    return str(lines[0].get("discount_pct", "")).startswith(discount)


def _room_cards(api: Api, room_id: str) -> list[dict[str, Any]]:
    response = api.http.get(f"/api/rooms/{room_id}/cards")
    assert response.status_code == 200, response.text
    return list(response.json()["cards"])


async def test_a_discount_past_the_threshold_offers_price_defense_to_the_rep_only(priced: PricedWorld) -> None:
    policy = priced.admin.http.put("/api/approvals/policy", content=DEMO_POLICY_YAML,
                                   headers={"Content-Type": "application/yaml"})  # fmt: skip
    assert policy.status_code == 200, policy.text
    card = priced.legal.http.post("/api/enablement/cards", json=PRICE).json()
    room = priced.room_id
    async with YClient(priced.ws(), priced.rep.bearer) as rep, YClient(priced.ws(), priced.customer.bearer) as buyer:
        await rep.edit(_line(15))
        await buyer.wait_for(lambda: _priced_at(buyer, "15"), what="the line priced at 15 %")
        assert _room_cards(priced.rep, room) == []
        await rep.edit(lambda doc: doc.get("lines", type=Array)[0].__setitem__("discountPct", 32))
        await buyer.wait_for(lambda: _priced_at(buyer, "32"), what="the line priced at 32 %")
        [shown] = _room_cards(priced.rep, room)
        assert shown["id"] == card["id"] and shown["helpful"] is False
        assert shown["why"] == ["Cust's discount on PLAT-ENT is 32 %, past the 30 % threshold (VP sales)."]
        # Legal sees it too (every internal role); the customer gets 403 and their socket nothing of cards.
        assert [c["id"] for c in _room_cards(priced.legal, room)] == [card["id"]]
        denied = priced.customer.http.get(f"/api/rooms/{room}/cards")
        assert denied.status_code == 403 and "Defending" not in denied.text
        assert priced.customer.http.post(f"/api/enablement/cards/{card['id']}/helpful",
                                         json={"room_id": room}).status_code == 403  # fmt: skip
        assert priced.outsider.http.get(f"/api/rooms/{room}/cards").status_code == 403
    assert not any(b"Defending" in frame or b"enablement" in frame or b"price_defense" in frame
                   for frame in buyer.received)  # fmt: skip

    helpful = priced.rep.http.post(f"/api/enablement/cards/{card['id']}/helpful", json={"room_id": room})
    assert helpful.status_code == 201
    again = priced.rep.http.post(f"/api/enablement/cards/{card['id']}/helpful", json={"room_id": room})
    assert again.status_code == 409 and again.json()["reason"] == "already_marked"
    unseen = priced.rep.http.post(f"/api/enablement/cards/{card['id']}/helpful", json={"room_id": priced.other_room_id})
    assert unseen.status_code == 409 and unseen.json()["reason"] == "not_shown"
    assert priced.rep.http.post(f"/api/enablement/cards/{card['id']}/helpful", json={"room": room}).status_code == 400
    assert _room_cards(priced.rep, room)[0]["helpful"] is True

    usage = priced.admin.http.get("/api/enablement/usage").json()["usage"]
    assert [(u["card_id"], u["people"], u["rooms"], u["helpful"]) for u in usage] == [(card["id"], 2, 1, 1)]
    assert usage[0]["shown"] == 3  # the rep twice, legal once

    # A retired card is offered no more.
    priced.legal.http.put(f"/api/enablement/cards/{card['id']}", json={**PRICE, "version": 1, "retired": True})
    assert _room_cards(priced.rep, room) == []


def test_the_demo_room_offers_positioning_the_competitor_answer_and_legal_s_fallbacks(world: World) -> None:
    from workspace.demo import DEMO_PASSWORD, DEMO_ROOM_ID, seed_demo

    with world.server.services.sessions.begin() as db:
        seed_demo(db)
    rep = sign_in(world.server.url, "rep@demo.test", DEMO_PASSWORD)
    buyer = sign_in(world.server.url, "buyer@acme.test", DEMO_PASSWORD)
    try:
        shown = {card["title"]: card["why"] for card in _room_cards(rep, DEMO_ROOM_ID)}
        assert shown["Positioning Platform Enterprise"] == [
            "You have not had Platform Enterprise (PLAT-ENT) in an approved or exported deal before."
        ]
        assert shown["When Globex comes up"] == ["Globex is named in the internal notes."]
        assert "Liability cap: legal's rationale and fallbacks" not in shown

        opened = buyer.http.post(f"/api/rooms/{DEMO_ROOM_ID}/threads", json={
            "kind": "dispute", "anchor": {"type": "clause", "clauseId": "liability"}, "text": "We need a higher cap.",
        })  # fmt: skip
        assert opened.status_code == 201, opened.text
        shown = {card["title"]: card["why"] for card in _room_cards(rep, DEMO_ROOM_ID)}
        assert shown["Liability cap: legal's rationale and fallbacks"] == [
            "Blake Buyer (Acme) disputes the clause Limitation of liability: “We need a higher cap.”"
        ]
        assert buyer.http.get(f"/api/rooms/{DEMO_ROOM_ID}/cards").status_code == 403
    finally:
        rep.http.close()
        buyer.http.close()
