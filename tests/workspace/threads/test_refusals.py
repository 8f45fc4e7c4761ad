"""Bad input to the threads API is refused with a precise reason and changes nothing, in either document."""

from __future__ import annotations

import base64
from collections.abc import Callable
from typing import Any

import pytest

from tests.conftest import World
from tests.support.accounts import add_member, add_user, sign_in
from tests.workspace.threads.helpers import furnish, range_of, relative_position, snapshot, threads_url
from workspace.threads import writes

ROOM = {"type": "room"}
Body = Callable[[dict[str, Any]], dict[str, Any]]


def _thread(kind: str = "question", anchor: Any = ROOM, text: str = "Why?", **more: Any) -> dict[str, Any]:
    return {"kind": kind, "anchor": anchor, "text": text, **more}


BAD_OPENINGS: list[tuple[str, Body, int, str]] = [
    ("no kind", lambda r: {"anchor": ROOM, "text": "x"}, 400, "'kind' must be one of question, dispute, note"),
    ("an unknown kind", lambda r: _thread(kind="complaint"), 400, "'kind' must be one of question, dispute, note"),
    ("an empty text", lambda r: _thread(text="   "), 400, "'text' must be a non-empty text"),
    ("a text of 10,001 characters", lambda r: _thread(text="x" * 10_001), 400,
     "'text' holds at most 10,000 characters, not 10,001"),
    ("a field the API does not know", lambda r: _thread(state="resolved"), 400,
     "unknown field 'state'; send anchor, kind, text, visibility"),
    ("a visibility that does not exist", lambda r: _thread(visibility="secret"), 400,
     "'visibility' must be one of external, internal"),
    ("no anchor", lambda r: {"kind": "note", "text": "x"}, 400, "'anchor' must be an object with a 'type'"),
    ("an unknown anchor type", lambda r: _thread(anchor={"type": "page"}), 400,
     "'anchor.type' must be one of range, clause, line, field, room"),
    ("a line the room does not have", lambda r: _thread(anchor={"type": "line", "lineId": "nope"}), 400,
     "the room has no pricing line 'nope'"),
    ("a clause the terms do not hold", lambda r: _thread(anchor={"type": "clause", "clauseId": "liability"}), 400,
     "the terms hold no clause block 'liability'"),
    ("a field that is not a deal field", lambda r: _thread(anchor={"type": "field", "field": "margin"}), 400,
     "'margin' is not a deal field; one of billing, currency, customerName, paymentTermsDays, startDate, "
     "termMonths, title"),
    ("an anchor with extra keys", lambda r: _thread(anchor={"type": "room", "lineId": "l1"}), 400,
     "a room anchor has no 'lineId'"),
    ("a quote of 501 characters", lambda r: _thread(anchor={**r, "quote": "x" * 501}), 400,
     "'anchor.quote' holds at most 500 characters, not 501"),
    ("a position that is not base64", lambda r: _thread(anchor={**r, "from": "%%%"}), 400,
     "'anchor.from' is not base64"),
    ("a position that is not a relative position", lambda r: _thread(anchor={**r, "to": base64.b64encode(
        b"\x07\x01").decode()}), 400, "'anchor.to' is not a Yjs relative position"),
    ("a position in the deal, not the terms", lambda r: _thread(anchor={**r, "from": base64.b64encode(
        b"\x01\x04deal\x00").decode()}), 400, "'anchor.from' does not point into the terms"),
    ("a position in text the server does not have", lambda r: _thread(anchor={**r, "from": relative_position(
        999, 5)}), 400, "'anchor.from' is not a Yjs relative position: it points to text the server does not have "
     "yet; try again in a moment"),
]  # fmt: skip


@pytest.mark.parametrize(("body", "status", "detail"), [case[1:] for case in BAD_OPENINGS],
                         ids=[case[0] for case in BAD_OPENINGS])  # fmt: skip
async def test_a_bad_thread_is_refused_with_its_reason_and_changes_nothing(
    world: World, body: Body, status: int, detail: str
) -> None:
    doc = await furnish(world)
    before = snapshot(world)
    refused = world.customer.http.post(threads_url(world), json=body(range_of(doc, "30 days")))
    assert (refused.status_code, refused.json()["detail"]) == (status, detail)
    assert snapshot(world) == before


async def test_customers_may_not_open_internal_threads_and_viewers_open_none(world: World) -> None:
    await furnish(world)
    before = snapshot(world)
    internal = world.customer.http.post(threads_url(world), json=_thread(visibility="internal"))
    assert internal.status_code == 403
    assert internal.json()["detail"] == "customers cannot open internal threads: they are the vendor's own"
    viewer_id = add_user(world.server.services.sessions, "viewer@customer.test", "customer", "Vi Viewer")
    add_member(world.server.services.sessions, world.room_id, viewer_id, "viewer")
    viewer = sign_in(world.server.url, "viewer@customer.test")
    refused = viewer.http.post(threads_url(world), json=_thread())
    assert refused.status_code == 403 and refused.json()["detail"] == "read-only members cannot write in threads"
    assert viewer.http.get(threads_url(world)).status_code == 200, "viewers read threads"
    viewer.http.close()
    assert snapshot(world) == before


async def test_a_mention_of_someone_outside_the_room_is_refused(world: World) -> None:
    await furnish(world)
    before = snapshot(world)
    outsider = world.outsider.user_id
    refused = world.rep.http.post(threads_url(world), json=_thread(text=f"@[Oz Other]({outsider}) look"))
    assert refused.status_code == 400
    assert refused.json()["detail"] == f"the message mentions someone who is not in this room (id {outsider})"
    assert snapshot(world) == before


async def test_a_room_holds_so_many_threads_and_a_thread_so_many_messages(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    await furnish(world)
    monkeypatch.setattr(writes, "MAX_THREADS", 2)
    monkeypatch.setattr(writes, "MAX_MESSAGES", 2)
    first = world.customer.http.post(threads_url(world), json=_thread()).json()
    world.rep.http.post(threads_url(world), json=_thread(kind="note")).raise_for_status()
    before = snapshot(world)
    third = world.customer.http.post(threads_url(world), json=_thread())
    assert third.status_code == 409 and third.json()["detail"].startswith("this room has 2 threads, the most")
    world.rep.http.post(threads_url(world, first["id"], "messages"), json={"text": "Because."}).raise_for_status()
    before = snapshot(world)
    more = world.customer.http.post(threads_url(world, first["id"], "messages"), json={"text": "And?"})
    assert more.status_code == 409 and more.json()["detail"].startswith("this thread has 2 messages, the most")
    assert snapshot(world) == before


async def test_a_thread_that_does_not_exist_is_404_and_a_reply_text_is_checked(world: World) -> None:
    await furnish(world)
    thread = world.customer.http.post(threads_url(world), json=_thread()).json()
    before = snapshot(world)
    assert world.rep.http.post(threads_url(world, "t_nope", "messages"), json={"text": "x"}).status_code == 404
    assert world.rep.http.post(threads_url(world, "t_nope", "resolve")).status_code == 404
    long = world.rep.http.post(threads_url(world, thread["id"], "messages"), json={"text": "x" * 10_001})
    assert long.status_code == 400 and long.json()["detail"] == "'text' holds at most 10,000 characters, not 10,001"
    forged = world.rep.http.post(threads_url(world, thread["id"], "messages"), json={"text": "x", "author": "CEO"})
    assert forged.status_code == 400 and forged.json()["detail"] == "unknown field 'author'; send text"
    assert world.rep.http.get(threads_url(world), params={"state": "closed"}).status_code == 400
    assert snapshot(world) == before
