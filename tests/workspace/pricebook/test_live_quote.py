"""The room is priced live: every accepted change re-prices it into `computed`, filtered by audience."""

from __future__ import annotations

import copy
from typing import Any

from pycrdt import Array, Doc, Map

from tests.conftest import PricedWorld
from tests.support.yclient import YClient
from workspace.pricing.samples import SAMPLE_PRICE_BOOK

INTERNAL_ONLY = (b"cost_total", b"margin", b"floor_unit", b"below_floor", b"commission", b"Base rate")


def _quote(client: YClient) -> dict[str, Any] | None:
    return client.doc.get("computed", type=Map).get("quote")  # type: ignore[no-any-return]


def _line(client: YClient, key: str, index: int = 0) -> Any:
    """A value of a priced line, None while that line is not priced yet."""
    lines = (_quote(client) or {}).get("lines", [])
    return lines[index].get(key) if len(lines) > index else None


def _add_line(sku: str, qty: int, discount: int = 0, line_id: str = "a") -> Any:
    def change(doc: Doc) -> None:
        doc.get("lines", type=Array).append(
            Map({"id": line_id, "sku": sku, "qty": qty, "discountPct": discount, "locked": False, "note": ""})
        )

    return change


async def test_an_edit_is_priced_and_every_client_sees_the_new_totals(priced: PricedWorld) -> None:
    async with YClient(priced.ws(), priced.rep.bearer) as rep, YClient(priced.ws(), priced.customer.bearer) as buyer:
        await rep.edit(_add_line("PLAT-ENT", 100, 10))
        await buyer.wait_for(lambda: _line(buyer, "qty") == "100", what="pricing")
        quote = _quote(buyer)
        assert quote is not None
        # 100 users x 75.00 list x 12 months, 10% off: 81,000.00 net.
        assert quote["lines"][0]["list_total"] == "90000.00"
        assert quote["totals"]["net_total"] == "81000.00"
        await rep.edit(lambda doc: doc.get("lines", type=Array)[0].__setitem__("qty", 300))
        await buyer.wait_for(lambda: _line(buyer, "qty") == "300", what="re-pricing")
        # Graduated tiers: 250 at 75.00 and 50 at 68.00 a month, 12 months, 10% off.
        assert _quote(buyer)["totals"]["net_total"] == str(f"{(250 * 75 + 50 * 68) * 12 * 0.9:.2f}")  # type: ignore[index]
        await rep.wait_for(lambda: _line(rep, "qty") == "300", what="the rep's copy")
        assert _quote(rep) == _quote(buyer)


async def test_the_customer_never_receives_cost_margin_floor_or_commission(priced: PricedWorld) -> None:
    async with YClient(priced.ws(), priced.customer.bearer) as buyer:
        async with YClient(priced.ws(), priced.rep.bearer) as rep:
            await rep.edit(_add_line("PLAT-ENT", 100, 45))  # below the floor: an internal-only fact
        async with YClient(priced.ws(doc="internal"), priced.rep.bearer) as internal:
            inside = internal.doc.get("computed", type=Map)
            # The room was priced when it loaded (no lines yet): wait for the pass that priced the line.
            await internal.wait_for(
                lambda: "commission" in inside and bool((inside.get("quote") or {}).get("lines")), what="commission"
            )
            assert inside["quote"]["lines"][0]["below_floor"] is True
            assert inside["quote"]["totals"]["margin"] and inside["commission"]["layers"]
        await buyer.wait_for(lambda: _line(buyer, "net_unit") is not None, what="the public quote")
        public = _quote(buyer)
    assert public is not None and public["lines"][0]["net_unit"] == "41.25"
    assert not any(marker in frame for frame in buyer.received for marker in INTERNAL_ONLY)
    answer = priced.customer.http.get(f"/api/rooms/{priced.room_id}/quote").json()
    assert set(answer) == {"quote"} and not any(m.decode() in str(answer) for m in INTERNAL_ONLY)
    rep_answer = priced.rep.http.get(f"/api/rooms/{priced.room_id}/quote").json()
    assert rep_answer["quote"]["totals"]["margin"] and rep_answer["commission"]["total"]


async def test_violations_are_shown_on_the_line_they_concern(priced: PricedWorld) -> None:
    async with YClient(priced.ws(), priced.rep.bearer) as rep:
        await rep.edit(_add_line("ADD-SSO", 10, line_id="sso"))
        await rep.edit(_add_line("PS-ONBOARD", 2, line_id="onboard"))
        await rep.wait_for(lambda: len((_quote(rep) or {}).get("violations", [])) >= 2, what="violations")
        quote = _quote(rep)
        assert quote is not None
        by_line = {v["line_id"]: v["message"] for v in quote["violations"]}
    assert "Platform Enterprise" in by_line["sso"]  # the SSO add-on requires the platform
    assert "at most 1" in by_line["onboard"]
    # Broken rules are shown, but every line has a price: the quote is priceable.
    assert quote["priceable"] is True and quote["pricing_problems"] == []
    assert quote["currencies"] == ["USD", "EUR", "GBP", "JPY"]


async def test_a_line_the_price_book_cannot_price_marks_the_quote_unpriceable(priced: PricedWorld) -> None:
    """The guard refuses unknown SKUs, but a room moved to a newer book can still hold a product that book
    dropped: the quote must say it is not a complete price, and why."""
    async with YClient(priced.ws(), priced.rep.bearer) as rep, YClient(priced.ws(), priced.customer.bearer) as buyer:
        await rep.edit(_add_line("PLAT-ENT", 100, line_id="ent"))
        await rep.edit(_add_line("STORAGE", 4, line_id="disk"))
        await buyer.wait_for(lambda: len((_quote(buyer) or {}).get("lines", [])) == 2, what="pricing")
        assert _quote(buyer)["priceable"] is True  # type: ignore[index]
        smaller = copy.deepcopy(SAMPLE_PRICE_BOOK)
        smaller["products"] = [p for p in smaller["products"] if p["sku"] != "STORAGE"]
        priced.admin.http.put("/api/pricebook", json=smaller).raise_for_status()
        priced.rep.http.post(f"/api/rooms/{priced.room_id}/pricebook/upgrade").raise_for_status()
        await buyer.wait_for(lambda: (_quote(buyer) or {}).get("book_version") == 2, what="re-pricing on v2")
        quote = _quote(buyer)
    assert quote is not None and quote["priceable"] is False
    assert quote["pricing_problems"] == [
        {"line_id": "disk", "rule": "unknown_sku", "message": "STORAGE is not in the price book (version 2)."}
    ]
    assert [line["priced"] for line in quote["lines"]] == [True, False]
    assert priced.customer.http.get(f"/api/rooms/{priced.room_id}/quote").json()["quote"]["priceable"] is False


async def test_a_room_keeps_its_price_book_version_until_the_rep_moves_it(priced: PricedWorld) -> None:
    opened = priced.rep.http.post("/api/rooms", json={"title": "New", "customer_name": "N"}).json()
    assert opened["price_book_version"] == 1  # pinned when opened
    async with YClient(priced.ws(), priced.rep.bearer) as rep:
        await rep.edit(_add_line("PLAT-TEAM", 10))
        await rep.wait_for(lambda: _line(rep, "qty") == "10")
        assert _quote(rep)["book_version"] == 1  # type: ignore[index]
        dearer = copy.deepcopy(SAMPLE_PRICE_BOOK)
        dearer["products"][0]["prices"]["USD"] = "25.00"
        priced.admin.http.put("/api/pricebook", json=dearer).raise_for_status()
        await rep.edit(lambda doc: doc.get("lines", type=Array)[0].__setitem__("qty", 11))
        await rep.wait_for(lambda: _line(rep, "qty") == "11")
        assert _quote(rep)["lines"][0]["list_unit"] == "20.00"  # type: ignore[index]
        # Product lists for the room come from its own version, not the newest.
        assert priced.rep.http.get(f"/api/pricebook/products?room={priced.room_id}").json()["version"] == 1
        assert priced.rep.http.get("/api/pricebook/products").json()["version"] == 2
        outsider = priced.outsider.http.get(f"/api/pricebook/products/PLAT-TEAM?room={priced.room_id}")
        assert outsider.status_code == 404
        assert priced.customer.http.post(f"/api/rooms/{priced.room_id}/pricebook/upgrade").status_code == 403
        moved = priced.rep.http.post(f"/api/rooms/{priced.room_id}/pricebook/upgrade").json()
        assert moved == {"previous_version": 1, "version": 2}
        await rep.wait_for(lambda: _line(rep, "list_unit") == "25.00", what="re-pricing on v2")
        assert _quote(rep)["book_version"] == 2  # type: ignore[index]


async def test_a_customer_edit_is_priced_too(priced: PricedWorld) -> None:
    priced.rep.http.patch(f"/api/rooms/{priced.room_id}", json={"customer_may_edit_pricing": True}).raise_for_status()
    async with YClient(priced.ws(), priced.rep.bearer) as rep, YClient(priced.ws(), priced.customer.bearer) as buyer:
        await rep.edit(_add_line("PLAT-ENT", 100))
        await buyer.wait_for(lambda: _line(buyer, "qty") == "100")
        await buyer.edit(lambda doc: doc.get("lines", type=Array)[0].__setitem__("discountPct", 20))
        await rep.wait_for(lambda: _line(rep, "discount_pct") == "20", what="the customer's discount")
        assert _quote(rep)["totals"]["net_total"] == "72000.00"  # type: ignore[index]


async def test_a_room_opened_before_any_price_book_is_priced_once_one_is_uploaded(world) -> None:  # type: ignore[no-untyped-def]
    from tests.support.accounts import add_user, sign_in

    add_user(world.server.services.sessions, "admin2@example.test", "admin")
    admin = sign_in(world.server.url, "admin2@example.test")
    async with YClient(world.ws(), world.rep.bearer) as rep:
        await rep.edit(_add_line("PLAT-TEAM", 10))
        assert _quote(rep) is None  # nothing to price against yet
        admin.http.put("/api/pricebook", json=SAMPLE_PRICE_BOOK).raise_for_status()
        await rep.edit(lambda doc: doc.get("lines", type=Array)[0].__setitem__("qty", 12))
        await rep.wait_for(lambda: _line(rep, "qty") == "12", what="the first quote")
