"""Threads through the API: open, reply, resolve, reopen; the server sets every author; state machine."""

from __future__ import annotations

from tests.conftest import World
from tests.workspace.threads.helpers import SENTENCE, furnish, range_of, snapshot, threads_url


async def test_a_customer_asks_about_a_sentence_and_the_rep_answers(world: World) -> None:
    doc = await furnish(world)
    body = {"kind": "question", "anchor": range_of(doc, "within 30 days"), "text": "Could this be 45 days?"}
    opened = world.customer.http.post(threads_url(world), json=body)
    assert opened.status_code == 201, opened.text
    thread = opened.json()
    assert (thread["kind"], thread["state"], thread["visibility"]) == ("question", "open", "external")
    assert thread["createdBy"] == {"id": world.customer.user_id, "name": "Bo Buyer", "role": "customer"}
    assert thread["anchor"]["quote"] == "within 30 days"
    assert [m["text"] for m in thread["messages"]] == ["Could this be 45 days?"]

    answered = world.rep.http.post(threads_url(world, thread["id"], "messages"), json={"text": "Yes, 45 is fine."})
    assert answered.status_code == 201, answered.text
    assert answered.json()["state"] == "answered"
    assert answered.json()["messages"][1]["author"]["name"] == "Rita Rep"

    # Everyone sees it in the room's shared document (the snapshot is what a client syncs).
    stored = snapshot(world)["shared"]["comments"][thread["id"]]
    assert stored["state"] == "answered" and len(stored["messages"]) == 2
    assert SENTENCE in snapshot(world)["shared"]["terms"]

    resolved = world.customer.http.post(threads_url(world, thread["id"], "resolve"))
    assert resolved.status_code == 200 and resolved.json()["state"] == "resolved"
    assert resolved.json()["resolvedBy"]["id"] == world.customer.user_id
    again = world.customer.http.post(threads_url(world, thread["id"], "resolve"))
    assert again.status_code == 409 and again.json()["detail"] == "this thread is resolved already"
    reply = world.rep.http.post(threads_url(world, thread["id"], "messages"), json={"text": "one more"})
    assert reply.status_code == 409 and "reopen" in reply.json()["detail"]
    reopened = world.rep.http.post(threads_url(world, thread["id"], "reopen"))
    assert reopened.status_code == 200 and reopened.json()["state"] == "open"
    assert reopened.json()["resolvedBy"] is None


async def test_the_author_is_the_server_s_not_the_client_s(world: World) -> None:
    await furnish(world)
    forged = {"kind": "note", "anchor": {"type": "room"}, "text": "hi", "createdBy": {"id": 1, "name": "CEO"}}
    refused = world.customer.http.post(threads_url(world), json=forged)
    assert refused.status_code == 400 and "'createdBy'" in refused.json()["detail"]
    assert snapshot(world)["shared"]["comments"] == {}


async def test_only_the_opener_or_the_rep_resolves(world: World) -> None:
    await furnish(world)
    thread = world.rep.http.post(threads_url(world), json={"kind": "note", "anchor": {"type": "room"},
                                                           "text": "Kick-off notes"}).json()  # fmt: skip
    refused = world.customer.http.post(threads_url(world, thread["id"], "resolve"))
    assert refused.status_code == 403
    assert refused.json()["detail"] == "only the person who opened this thread or the rep may resolve it"
    assert world.legal.http.post(threads_url(world, thread["id"], "resolve")).status_code == 403
    assert snapshot(world)["shared"]["comments"][thread["id"]]["state"] == "open"
    # The opener's own reply does not answer their question.
    mine = world.rep.http.post(threads_url(world, thread["id"], "messages"), json={"text": "and more"}).json()
    assert mine["state"] == "open"


async def test_a_line_a_field_a_clause_and_the_room_are_anchors(world: World) -> None:
    await furnish(world)
    for anchor in ({"type": "line", "lineId": "l1"}, {"type": "field", "field": "paymentTermsDays"},
                   {"type": "room"}):  # fmt: skip
        made = world.customer.http.post(threads_url(world), json={"kind": "dispute", "anchor": anchor, "text": "No"})
        assert made.status_code == 201, made.text
        assert made.json()["anchor"] == anchor
    listed = world.customer.http.get(threads_url(world), params={"kind": "dispute"}).json()["threads"]
    assert len(listed) == 3
    assert world.customer.http.get(threads_url(world), params={"state": "resolved"}).json()["threads"] == []


async def test_an_outsider_sees_no_threads_and_writes_none(world: World) -> None:
    await furnish(world)
    assert world.outsider.http.get(threads_url(world)).status_code == 404
    body = {"kind": "note", "anchor": {"type": "room"}, "text": "hi"}
    assert world.outsider.http.post(threads_url(world), json=body).status_code == 404
    assert snapshot(world)["shared"]["comments"] == {}
