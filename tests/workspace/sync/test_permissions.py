"""The write guard end to end: hand-crafted messages from people who may not make them.

Each refusal must carry its reason, leave the server's document byte-identical and the log
unchanged, and reach no other client.
"""

from __future__ import annotations

import copy
from collections.abc import Callable

import pytest
from pycrdt import Array, Doc, Map, XmlElement, XmlFragment, XmlText
from sqlalchemy import select

from tests.conftest import PricedWorld, World
from tests.support.accounts import add_member, add_user, sign_in
from tests.support.yclient import YClient, wait_until
from workspace.pricing.samples import SAMPLE_PRICE_BOOK
from workspace.sync import protocol
from workspace.sync.models import DocUpdate


def _log_rows(world: World) -> list[bytes]:
    with world.server.services.sessions() as db:
        rows = db.execute(select(DocUpdate.payload).where(DocUpdate.room_id == world.room_id).order_by(DocUpdate.id))
        return list(rows.scalars())


class Witness:
    """A rep connected to the room, and what the server held, before an attack."""

    def __init__(self, world: World, client: YClient) -> None:
        self.world = world
        self.client = client

    async def __aenter__(self) -> Witness:
        await self.client.connect()
        # Loading the room makes the server derive its sections (quote, clause checks): let that settle first,
        # so that "before" is the room at rest.
        await settled(self.world)
        self.doc_before = await self.world.server.doc_state(self.world.room_id)
        self.log_before = _log_rows(self.world)
        self.received_before = len(self.client.received)
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.client.close()

    async def assert_untouched(self) -> None:
        assert await self.world.server.doc_state(self.world.room_id) == self.doc_before
        assert _log_rows(self.world) == self.log_before
        assert len(self.client.received) == self.received_before, "another client received something"


async def settled(world: World) -> None:
    """Wait until the room's background work has finished (none scheduled or running): its derivations and
    the write of its proposals and accepted record (`workspace.proposals.tracker`)."""
    services = world.server.services

    def idle() -> bool:
        return services.deriver.idle(world.room_id) and services.proposals.idle(world.room_id)

    await wait_until(idle, 10, "the room's derivations and proposal writes to finish")


def witness(world: World) -> Witness:
    return Witness(world, YClient(world.ws(), world.rep.bearer))


async def _attempt(world: World, token: str, change: Callable[[Doc], None], doc: str = "shared") -> YClient:
    attacker = YClient(world.ws(doc=doc), {"Authorization": f"Bearer {token}"})
    await attacker.connect()
    await attacker.edit(change)
    await attacker.wait_closed()
    return attacker


def _set_computed(doc: Doc) -> None:
    doc.get("computed", type=Map)["total"] = "0.00"


async def _add_line(world: World, line: dict[str, object]) -> None:
    async with YClient(world.ws(), world.rep.bearer) as rep:
        await rep.edit(lambda d: d.get("lines", type=Array).append(Map(line)))

        def stored() -> bool:  # the edit is not acknowledged: wait until the server has it
            lines = world.rep.http.get(f"/api/rooms/{world.room_id}/snapshot").json()["shared"]["lines"]
            return any(stored.get("id") == line["id"] for stored in lines)

        await wait_until(stored, 10, "the rep's line to be stored")


async def test_customer_cannot_write_computed(world: World) -> None:
    async with witness(world) as w:
        attacker = await _attempt(world, world.customer.token, _set_computed)
        await w.assert_untouched()
    assert attacker.close_code == 4403
    assert attacker.denied == ["a customer may not write 'computed' in the shared document"]


async def test_nobody_writes_computed_not_even_the_rep(world: World) -> None:
    async with witness(world) as w:
        attacker = await _attempt(world, world.rep.token, _set_computed)
        await w.assert_untouched()
    assert (attacker.close_code, attacker.close_reason) == (
        4403,
        "a rep may not write 'computed' in the shared document",
    )


async def test_customer_cannot_change_deal_fields_not_opened_to_them(world: World) -> None:
    async with witness(world) as w:
        attacker = await _attempt(
            world, world.customer.token, lambda d: d.get("deal", type=Map).__setitem__("title", "X")
        )
        await w.assert_untouched()
    assert attacker.close_code == 4403


async def test_customer_may_change_a_deal_field_the_rep_opened(world: World) -> None:
    world.rep.http.patch(f"/api/rooms/{world.room_id}", json={"customer_deal_fields": ["startDate"]}).raise_for_status()
    async with YClient(world.ws(), world.customer.bearer) as buyer, YClient(world.ws(), world.rep.bearer) as rep:
        await buyer.edit(lambda d: d.get("deal", type=Map).__setitem__("startDate", "2027-01-01"))
        await rep.wait_for(lambda: rep.doc.get("deal", type=Map).get("startDate") == "2027-01-01")
        assert not buyer.closed.is_set()


async def test_customer_edits_an_unlocked_line_only_when_the_room_allows_customer_pricing(world: World) -> None:
    await _add_line(world, {"id": "a", "sku": "X", "qty": 1, "locked": False})

    def raise_qty(doc: Doc) -> None:
        doc.get("lines", type=Array)[0]["qty"] = 50

    async with witness(world) as w:
        attacker = await _attempt(world, world.customer.token, raise_qty)
        await w.assert_untouched()
    assert attacker.close_reason == "this room does not allow the customer to edit pricing"

    world.rep.http.patch(f"/api/rooms/{world.room_id}", json={"customer_may_edit_pricing": True}).raise_for_status()
    async with YClient(world.ws(), world.customer.bearer) as buyer, YClient(world.ws(), world.rep.bearer) as rep:
        await buyer.edit(raise_qty)
        await rep.wait_for(lambda: rep.doc.get("lines", type=Array)[0]["qty"] == 50)


async def test_customer_cannot_edit_a_locked_line(world: World) -> None:
    world.rep.http.patch(f"/api/rooms/{world.room_id}", json={"customer_may_edit_pricing": True}).raise_for_status()
    await _add_line(world, {"id": "a", "sku": "X", "qty": 1, "discountPct": 0, "locked": True})
    async with witness(world) as w:
        attacker = await _attempt(
            world, world.customer.token, lambda d: d.get("lines", type=Array)[0].__setitem__("discountPct", 40)
        )
        await w.assert_untouched()
    assert (attacker.close_code, attacker.close_reason) == (4403, "line a is locked")


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (
            lambda d: d.get("lines", type=Array)[0].__setitem__("locked", False),
            "customers may not change locked on a line",
        ),
        (lambda d: d.get("lines", type=Array)[0].__setitem__("sku", "Y"), "customers may not change sku on a line"),
        (
            lambda d: d.get("lines", type=Array).append(Map({"id": "z"})),
            "customers may change quantities, discounts and notes, not add or remove lines",
        ),
        (
            lambda d: d.get("lines", type=Array).pop(0),
            "customers may change quantities, discounts and notes, not add or remove lines",
        ),
    ],
)
async def test_customer_pricing_rights_stop_at_quantities_discounts_and_notes(
    world: World, change: Callable[[Doc], None], reason: str
) -> None:
    world.rep.http.patch(f"/api/rooms/{world.room_id}", json={"customer_may_edit_pricing": True}).raise_for_status()
    await _add_line(world, {"id": "a", "sku": "X", "qty": 1, "locked": False})
    async with witness(world) as w:
        attacker = await _attempt(world, world.customer.token, change)
        await w.assert_untouched()
    assert attacker.close_reason == reason


async def test_customer_cannot_open_the_internal_document(world: World) -> None:
    attacker = YClient(world.ws(doc="internal"), world.customer.bearer)
    await attacker.connect(handshake=False)
    await attacker.wait_closed()
    assert (attacker.close_code, attacker.close_reason) == (4403, "the internal document is for internal roles only")
    assert attacker.denied == ["the internal document is for internal roles only"]
    assert not any(m[0] == 0 for m in attacker.received), "a sync message reached the customer"


async def test_rep_writes_internal_notes_and_a_customer_never_sees_them(world: World) -> None:
    async with YClient(world.ws(doc="internal"), world.rep.bearer) as rep:

        def note(doc: Doc) -> None:
            doc.get("notes", type=XmlFragment).children.append(XmlElement("paragraph", {}, [XmlText("floor 80k")]))

        await rep.edit(note)

    def stored() -> bool:  # the edit is not acknowledged: the customer's view is checked once the server has it
        return "floor 80k" in world.rep.http.get(f"/api/rooms/{world.room_id}/snapshot").json()["internal"]["notes"]

    await wait_until(stored, 10, "the rep's note to be stored")
    shared_for_customer = world.customer.http.get(f"/api/rooms/{world.room_id}/snapshot").json()
    assert "internal" not in shared_for_customer and "floor 80k" not in str(shared_for_customer)
    assert "floor 80k" in world.rep.http.get(f"/api/rooms/{world.room_id}/snapshot").json()["internal"]["notes"]


async def test_a_member_of_another_room_cannot_touch_this_one(world: World) -> None:
    attacker = YClient(world.ws(), world.outsider.bearer)
    await attacker.connect(handshake=False)
    await attacker.wait_closed()
    assert (attacker.close_code, attacker.close_reason) == (4404, "no such room, or it is not yours")
    assert attacker.received == []


async def test_a_signed_out_client_is_refused(world: World) -> None:
    attacker = YClient(world.ws())
    await attacker.connect(handshake=False)
    await attacker.wait_closed()
    assert attacker.close_code == 4401
    assert attacker.received == []


async def test_a_revoked_token_is_refused_and_its_open_connections_close(world: World) -> None:
    tokens = world.customer.http.get("/api/tokens").json()["tokens"]
    live = YClient(world.ws(), world.customer.bearer)
    await live.connect()
    world.customer.http.delete(f"/api/tokens/{tokens[0]['id']}").raise_for_status()
    await live.wait_closed()
    assert (live.close_code, live.close_reason) == (4401, "this API token was revoked")
    again = YClient(world.ws(), world.customer.bearer)
    await again.connect(handshake=False)
    await again.wait_closed()
    assert (again.close_code, again.close_reason) == (4401, "this API token is unknown or revoked")


async def test_session_cookie_needs_our_origin(world: World) -> None:
    cookie = f"dealroom_session={world.rep.http.cookies['dealroom_session']}"
    evil = YClient(world.ws(), {"Cookie": cookie, "Origin": "https://evil.example"})
    await evil.connect(handshake=False)
    await evil.wait_closed()
    assert evil.close_code == 4403 and "evil.example" in evil.close_reason
    async with YClient(world.ws(), {"Cookie": cookie, "Origin": "http://testserver.local"}) as good:
        assert good.synced.is_set()
    # The page's own origin (served by this host) is allowed too, whatever DEALROOM_PUBLIC_URL says.
    async with YClient(world.ws(), {"Cookie": cookie, "Origin": f"http://127.0.0.1:{world.server.port}"}) as same:
        assert same.synced.is_set()


async def test_read_only_viewer_writes_nothing(world: World) -> None:
    add_user(world.server.services.sessions, "viewer@customer.test", "customer")
    with world.server.services.sessions() as db:
        from workspace.auth.models import User

        viewer_id = db.execute(select(User.id).where(User.email == "viewer@customer.test")).scalar_one()
    add_member(world.server.services.sessions, world.room_id, viewer_id, "viewer")
    viewer = sign_in(world.server.url, "viewer@customer.test")
    async with witness(world) as w:
        attacker = await _attempt(world, viewer.token, lambda d: d.get("comments", type=Map).__setitem__("c", "hi"))
        await w.assert_untouched()
    assert attacker.close_reason == "read-only members cannot edit this room"
    # Reconnecting and sending what it already has (a no-op step 2) is not a write.
    async with YClient(world.ws(), viewer.bearer) as calm:
        await calm.send_raw(protocol.sync_step2(calm.doc.get_update()))
        await calm.send_raw(protocol.sync_step1(calm.doc.get_state()))
        await calm.wait_for(lambda: sum(1 for m in calm.received if m[:2] == b"\x00\x01") >= 2)
        assert not calm.closed.is_set()


async def test_legal_writes_terms_but_not_pricing(world: World) -> None:
    async with YClient(world.ws(), world.rep.bearer) as rep, YClient(world.ws(), world.legal.bearer) as legal:

        def paragraphs() -> int:
            return len(list(rep.doc.get("terms", type=XmlFragment).children))

        before = paragraphs()
        await legal.edit(lambda d: d.get("terms", type=XmlFragment).children.append(XmlElement("paragraph", {}, [])))
        # Accepted, not just not refused yet: the server passed it on to the rep.
        await rep.wait_for(lambda: paragraphs() == before + 1, what="legal's paragraph to reach the rep")
        assert not legal.closed.is_set()
    async with witness(world) as w:
        attacker = await _attempt(
            world, world.legal.token, lambda d: d.get("lines", type=Array).append(Map({"id": "q"}))
        )
        await w.assert_untouched()
    assert attacker.close_reason == "a legal may not write 'lines' in the shared document"


async def test_an_unknown_section_is_refused(world: World) -> None:
    async with witness(world) as w:
        attacker = await _attempt(world, world.rep.token, lambda d: d.get("prices", type=Map).__setitem__("x", 1))
        await w.assert_untouched()
    assert attacker.close_reason == "unknown section 'prices' in the shared document"


async def test_an_update_that_depends_on_unknown_content_is_refused(world: World) -> None:
    """Yjs would park it and integrate it later, inside somebody else's update, past the guard."""
    async with witness(world) as w:
        attacker = YClient(world.ws(), world.customer.bearer)
        await attacker.connect()
        ghost = Doc(client_id=4242)
        ghost.get("comments", type=Map)["a"] = "1"
        state = ghost.get_state()
        ghost.get("computed", type=Map)["total"] = "0"
        await attacker.send_raw(protocol.sync_update(ghost.get_update(state)))  # clock 1 without clock 0
        await attacker.wait_closed()
        await w.assert_untouched()
    assert (attacker.close_code, attacker.close_reason) == (
        4400,
        "update depends on changes the server does not have; resync first",
    )


async def test_room_setting_changes_apply_to_open_connections(world: World) -> None:
    await _add_line(world, {"id": "a", "sku": "X", "qty": 1, "locked": False})
    async with YClient(world.ws(), world.customer.bearer) as buyer, YClient(world.ws(), world.rep.bearer) as rep:
        world.rep.http.patch(f"/api/rooms/{world.room_id}", json={"customer_may_edit_pricing": True}).raise_for_status()
        await buyer.edit(lambda d: d.get("lines", type=Array)[0].__setitem__("qty", 9))
        await rep.wait_for(lambda: rep.doc.get("lines", type=Array)[0]["qty"] == 9)


async def test_signing_out_closes_that_sessions_websockets(world: World) -> None:
    cookie = f"dealroom_session={world.rep.http.cookies['dealroom_session']}"
    live = YClient(world.ws(), {"Cookie": cookie, "Origin": "http://testserver.local"})
    await live.connect()
    async with YClient(world.ws(), world.rep.bearer) as by_token:
        world.rep.http.delete("/api/session").raise_for_status()
        await live.wait_closed()
        assert (live.close_code, live.close_reason) == (4401, "signed out")
        assert not by_token.closed.is_set(), "the same user's token connection is not the session"


# --- values: what any client writes must be a value the room can price -------------------------------


def _set_on_line(key: str, value: object) -> Callable[[Doc], None]:
    return lambda d: d.get("lines", type=Array)[0].__setitem__(key, value)


@pytest.mark.parametrize(
    ("key", "value", "reason"),
    [
        ("qty", -5, "the quantity must be a whole number from 1 to 1,000,000,000, not -5"),
        ("qty", 0, "the quantity must be a whole number from 1 to 1,000,000,000, not 0"),
        ("qty", 2.5, "the quantity must be a whole number from 1 to 1,000,000,000, not 2.5"),
        ("qty", "10", "the quantity must be a whole number from 1 to 1,000,000,000, not '10'"),
        ("qty", True, "the quantity must be a whole number from 1 to 1,000,000,000, not True"),
        ("discountPct", 150, "the discount must be a number from 0 to 100 (percent), not 150"),
        ("discountPct", -1, "the discount must be a number from 0 to 100 (percent), not -1"),
        ("discountPct", "20", "the discount must be a number from 0 to 100 (percent), not '20'"),
        ("discountPct", 12.345, "the discount may have at most 2 decimals, not 12.345"),
        ("note", 7, "a note is text of at most 2000 characters"),
    ],
)
async def test_a_customer_cannot_write_a_value_nobody_could_price(
    world: World, key: str, value: object, reason: str
) -> None:
    world.rep.http.patch(f"/api/rooms/{world.room_id}", json={"customer_may_edit_pricing": True}).raise_for_status()
    await _add_line(world, {"id": "a", "sku": "X", "qty": 1, "discountPct": 0, "locked": False})
    async with witness(world) as w:
        attacker = await _attempt(world, world.customer.token, _set_on_line(key, value))
        await w.assert_untouched()
    assert (attacker.close_code, attacker.close_reason) == (4400, reason)


async def test_the_rep_cannot_add_a_line_of_minus_five_either(world: World) -> None:
    async with witness(world) as w:
        attacker = await _attempt(
            world,
            world.rep.token,
            lambda d: d.get("lines", type=Array).append(Map({"id": "n", "sku": "X", "qty": -5, "discountPct": 0})),
        )
        await w.assert_untouched()
    assert (attacker.close_code, attacker.close_reason) == (
        4400,
        "the quantity must be a whole number from 1 to 1,000,000,000, not -5",
    )


async def test_fixing_a_value_within_the_limits_is_accepted(world: World) -> None:
    world.rep.http.patch(f"/api/rooms/{world.room_id}", json={"customer_may_edit_pricing": True}).raise_for_status()
    await _add_line(world, {"id": "a", "sku": "X", "qty": 1, "discountPct": 0, "locked": False})
    async with YClient(world.ws(), world.customer.bearer) as buyer, YClient(world.ws(), world.rep.bearer) as rep:
        await buyer.edit(_set_on_line("discountPct", 12.25))
        await buyer.edit(_set_on_line("qty", 1_000_000_000))
        line = lambda: rep.doc.get("lines", type=Array)[0]  # noqa: E731
        await rep.wait_for(lambda: line()["discountPct"] == 12.25 and line()["qty"] == 1_000_000_000)
        assert not buyer.closed.is_set()


async def test_the_rep_cannot_add_a_sku_the_rooms_price_book_does_not_have(priced: PricedWorld) -> None:
    def add(sku: str, line_id: str) -> Callable[[Doc], None]:
        line = {"id": line_id, "sku": sku, "qty": 3, "discountPct": 0, "locked": False, "note": ""}
        return lambda d: d.get("lines", type=Array).append(Map(line))

    async with witness(priced) as w:
        attacker = await _attempt(priced, priced.rep.token, add("NOT-IN-BOOK", "ghost"))
        await w.assert_untouched()
    assert (attacker.close_code, attacker.close_reason) == (
        4400,
        "SKU 'NOT-IN-BOOK' is not in this room's price book (version 1)",
    )
    async with witness(priced) as w:
        retired = await _attempt(priced, priced.rep.token, add("LEGACY-ANALYTICS", "old"))
        await w.assert_untouched()
    assert retired.close_reason == "'LEGACY-ANALYTICS' is no longer sold (price book version 1)"
    async with YClient(priced.ws(), priced.rep.bearer) as rep:
        await rep.edit(add("PLAT-ENT", "real"))
        await wait_until(lambda: _stored_ids(priced) == ["real"], 10, "the known SKU to be stored")
        # Renaming the line to a SKU the book lacks is refused the same way.
        await rep.edit(_set_on_line("sku", "PLAT-ENTERPRISE"))
        await rep.wait_closed()
    assert rep.close_reason == "SKU 'PLAT-ENTERPRISE' is not in this room's price book (version 1)"
    assert _stored_ids(priced) == ["real"]


def _stored_ids(world: World) -> list[str]:
    lines = world.rep.http.get(f"/api/rooms/{world.room_id}/snapshot").json()["shared"]["lines"]
    return [str(line.get("id")) for line in lines]


async def test_the_deal_cannot_switch_to_a_currency_the_price_book_does_not_price(priced: PricedWorld) -> None:
    async with witness(priced) as w:
        attacker = await _attempt(
            priced, priced.rep.token, lambda d: d.get("deal", type=Map).__setitem__("currency", "CHF")
        )
        await w.assert_untouched()
    assert (attacker.close_code, attacker.close_reason) == (
        4400,
        "currency 'CHF' is not in this room's price book; it prices USD, EUR, GBP, JPY",
    )
    async with YClient(priced.ws(), priced.rep.bearer) as rep:
        await rep.edit(lambda d: d.get("deal", type=Map).__setitem__("currency", "EUR"))

        def in_euros() -> bool:
            return (
                priced.rep.http.get(f"/api/rooms/{priced.room_id}/snapshot").json()["shared"]["deal"]["currency"]
                == "EUR"
            )

        await wait_until(in_euros, 10, "the switch to EUR to be stored")
        assert not rep.closed.is_set()


async def test_a_line_the_upgraded_book_dropped_may_still_move_but_not_be_chosen_again(priced: PricedWorld) -> None:
    await _add_line(priced, {"id": "disk", "sku": "STORAGE", "qty": 10, "discountPct": 0, "locked": False, "note": ""})
    await _add_line(priced, {"id": "api", "sku": "API-PACK", "qty": 2, "discountPct": 0, "locked": False, "note": ""})
    async with YClient(priced.ws(), priced.rep.bearer) as rep:
        smaller = copy.deepcopy(SAMPLE_PRICE_BOOK)
        smaller["products"] = [p for p in smaller["products"] if p["sku"] != "STORAGE"]
        priced.admin.http.put("/api/pricebook", json=smaller).raise_for_status()
        priced.rep.http.post(f"/api/rooms/{priced.room_id}/pricebook/upgrade").raise_for_status()

        def move_down(doc: Doc) -> None:  # what the browser does: delete, insert a copy
            lines = doc.get("lines", type=Array)
            copy_of_first = Map(dict(lines[0].items()))
            del lines[0]
            lines.insert(1, copy_of_first)

        await rep.edit(move_down)
        await wait_until(lambda: _stored_ids(priced) == ["api", "disk"], 10, "the move to be stored")
        # The open connection is held to the new book at once: STORAGE cannot be picked again.
        await rep.edit(_set_on_line("sku", "STORAGE"))
        await rep.wait_closed()
    assert rep.close_reason == "SKU 'STORAGE' is not in this room's price book (version 2)"
