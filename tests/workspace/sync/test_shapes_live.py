"""The walls of issue 11 (items 2, 4 and 6) on a live server: what a hostile customer sent is refused with
its close code and reason, and the room (its document, its log, the other clients) does not change."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from pycrdt import Array, Doc, Map, XmlElement, XmlFragment, XmlText

from tests.conftest import World
from tests.support.marks import add_mark
from tests.support.yclient import YClient, wait_until
from tests.workspace.sync.test_permissions import _attempt, witness
from workspace.sync import protocol
from workspace.sync.guard import THREADS_BY_API


async def test_forty_comments_of_900_kb_from_a_customer_are_refused_and_the_room_does_not_grow(world: World) -> None:
    # Threads are the server's (issue 12): whatever a client writes into `comments` is refused, naming the API.
    async with witness(world) as w:
        for number in range(40):
            attacker = await _attempt(
                world,
                world.customer.token,
                lambda d, n=number: d.get("comments", type=Map).__setitem__(f"c{n}", "x" * 900_000),
            )
            assert (attacker.close_code, attacker.close_reason) == (4403, THREADS_BY_API)
        await w.assert_untouched()


async def test_past_the_room_quota_a_change_that_grows_the_room_is_refused_with_4413(make_server) -> None:  # type: ignore[no-untyped-def]
    world = World(make_server(room_max_bytes=40_000))
    refusal: YClient | None = None
    for number in range(12):
        key = f"c{number}:"
        async with witness(world) as w:
            client = YClient(world.ws(), world.customer.bearer)
            await client.connect()
            await client.edit(lambda d, k=key: add_mark(d, k + "x" * 9_000))

            def settled(k: str = key, c: YClient = client) -> bool:
                return c.closed.is_set() or k in world.rep.http.get(f"/api/rooms/{world.room_id}/snapshot").json()[
                    "shared"]["terms"]  # fmt: skip

            await wait_until(settled, 10, "the paragraph to be stored or refused")
            if client.closed.is_set():
                refusal = client
                await w.assert_untouched()
                break
            await client.close()
    assert refusal is not None, "the quota never refused"
    assert refusal.close_code == 4413
    assert refusal.close_reason.startswith("this room's shared document would grow to ")
    assert refusal.close_reason.endswith(", past the room's quota of 39.06 KB")


async def test_a_deal_taken_for_a_list_is_refused_as_such(world: World) -> None:
    """Issue 11.2 as found: a customer the rep opened one deal field to sends items into `deal` without a key."""
    world.rep.http.patch(f"/api/rooms/{world.room_id}", json={"customer_deal_fields": ["startDate"]}).raise_for_status()
    async with witness(world) as w:
        attacker = YClient(world.ws(), world.customer.bearer)
        await attacker.connect()
        confused = Doc()
        confused.get("deal", type=Array)
        confused.apply_update(attacker.doc.get_update())
        state = confused.get_state()
        confused.get("deal", type=Array).append(["the Vendor's liability is unlimited"] * 3)
        await attacker.send_raw(protocol.sync_update(confused.get_update(state)))
        await attacker.wait_closed()
        await w.assert_untouched()
    assert (attacker.close_code, attacker.close_reason) == (
        4400,
        "'deal' is a map, and this update puts an item in it without a key",
    )


def _paragraph(doc: Doc) -> XmlElement:
    return next(c for c in doc.get("terms", type=XmlFragment).children if isinstance(c, XmlElement))


def _linked(doc: Doc) -> None:
    text = next(c for c in _paragraph(doc).children if isinstance(c, XmlText))
    text.format(0, 3, {"link": {"href": "https://evil.example"}})


TERMS: list[tuple[str, Callable[[Doc], None], str]] = [
    ("link", _linked, "links are not part of the terms; write the address as text"),
    ("raw string", lambda d: d.get("terms", type=XmlFragment).children.append(XmlText("unlimited liability")),
     "text directly in 'terms'; text goes in a paragraph or heading"),
    ("iframe", lambda d: d.get("terms", type=XmlFragment).children.append(XmlElement("iframe", {"src": "https://x"})),
     "'iframe' is not a node the editor makes (in 'terms')"),
    ("img", lambda d: _paragraph(d).children.append(XmlElement("img", {"src": "https://x/y.png"})),
     "'img' is not a node the editor makes (in 'terms')"),
]  # fmt: skip


@pytest.mark.parametrize(("change", "reason"), [case[1:] for case in TERMS], ids=[case[0] for case in TERMS])
async def test_terms_the_editor_cannot_make_are_refused(
    world: World, change: Callable[[Doc], None], reason: str
) -> None:
    async with YClient(world.ws(), world.rep.bearer) as rep:
        await rep.edit(lambda d: d.get("terms", type=XmlFragment).children.append(
            XmlElement("paragraph", {}, [XmlText("Net 30.")])))  # fmt: skip

        def stored() -> bool:
            return "Net 30." in world.rep.http.get(f"/api/rooms/{world.room_id}/snapshot").json()["shared"]["terms"]

        await wait_until(stored, 10, "the rep's paragraph to be stored")
    async with witness(world) as w:
        attacker = await _attempt(world, world.customer.token, change)
        await w.assert_untouched()
    assert (attacker.close_code, attacker.close_reason) == (4400, reason)
