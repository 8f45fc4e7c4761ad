"""The record over HTTP: the activity feed filtered by role (a customer never gets an internal event), the
bell (others' events in one's rooms, unread until marked read), and refusals that change nothing."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select

from tests.conftest import PricedWorld, World
from tests.support.accounts import Api
from tests.support.yclient import YClient, wait_until
from tests.workspace.activity.support import append_block, paragraph
from tests.workspace.approval_policy.test_preview import _with_policy
from tests.workspace.approval_policy.test_requests import _approvers, _decide, _export, _set_discount, _submit
from workspace.activity.models import ReadMarker, RoomEvent

INTERNAL_KINDS = {"approval.submitted", "approval.decided", "export", "invite", "change.notes"}
INTERNAL_WORDS = ("approval", "export", "invite", "audience", "internal", "walk-away", "Mo Manager")


def _get(api: Api, path: str, **params: Any) -> dict[str, Any]:
    response = api.http.get(path, params=params)
    assert response.status_code == 200, response.text
    return response.json()  # type: ignore[no-any-return]


def _kinds(api: Api, room_id: str) -> set[str]:
    return {event["kind"] for event in _get(api, f"/api/rooms/{room_id}/activity")["events"]}


async def test_the_customer_never_gets_an_internal_event(priced: PricedWorld) -> None:
    _with_policy(priced)
    manager, _ = _approvers(priced)
    await _set_discount(priced, 25, first=True)
    request = _submit(priced).json()
    assert _decide(manager, request, "discount-over-20").status_code == 200
    assert _export(priced).status_code == 200
    invited = priced.rep.http.post(f"/api/rooms/{priced.room_id}/invitations", json={"email": "c@x.test", "name": "Cy"})
    assert invited.status_code == 201
    async with YClient(priced.ws(doc="internal"), priced.rep.bearer) as notes:
        await notes.edit(append_block(paragraph("walk-away price 40"), root="notes"))
    await wait_until(lambda: "change.notes" in _kinds(priced.rep, priced.room_id), 10, "the notes' change")

    rep_view = _get(priced.rep, f"/api/rooms/{priced.room_id}/activity")["events"]
    assert INTERNAL_KINDS | {"change.lines"} <= {event["kind"] for event in rep_view}
    decided = next(event for event in rep_view if event["kind"] == "approval.decided")
    assert decided["actor"]["name"] == "Mo Manager" and decided["audience"] == "internal"
    assert decided["what"]["decision"] == "approve"

    for path in ("activity", "timeline"):
        answer = priced.customer.http.get(f"/api/rooms/{priced.room_id}/{path}")
        assert answer.status_code == 200
        assert not any(word in answer.text for word in INTERNAL_WORDS), answer.text
    assert _kinds(priced.customer, priced.room_id) == {"change.lines"}
    bell = priced.customer.http.get("/api/notifications")
    assert not any(word in bell.text for word in INTERNAL_WORDS), bell.text
    assert {item["kind"] for item in bell.json()["items"]} == {"change.lines"}


async def test_the_bell_counts_others_events_until_they_are_read(world: World) -> None:
    room = f"/api/rooms/{world.room_id}"

    async def rep_types(text: str) -> None:
        async with YClient(world.ws(), world.rep.bearer) as rep:
            await rep.edit(append_block(paragraph(text)))

    await rep_types("First.")
    await wait_until(lambda: _get(world.customer, "/api/notifications")["unread"] == 1, 10, "the customer's bell")
    assert _get(world.rep, "/api/notifications")["unread"] == 0  # one's own changes ring no bell
    bell = _get(world.customer, "/api/notifications")
    [entry] = bell["rooms"]
    assert (entry["room_id"], entry["unread"], entry["read_up_to"]) == (world.room_id, 1, 0)
    assert bell["items"][0]["actor"]["name"] == "Rita Rep" and bell["items"][0]["unread"] is True

    read = world.customer.http.post(
        "/api/notifications/read", json={"room_id": world.room_id, "up_to": entry["latest_id"]}
    )
    assert read.status_code == 200 and read.json() == {"room_id": world.room_id, "read_up_to": entry["latest_id"]}
    assert _get(world.customer, "/api/notifications")["unread"] == 0
    # The marker never moves back.
    world.customer.http.post("/api/notifications/read", json={"room_id": world.room_id, "up_to": 0}).raise_for_status()
    assert _get(world.customer, "/api/notifications")["rooms"][0]["read_up_to"] == entry["latest_id"]

    await rep_types("Second.")  # folded into the same event, which is new again for the bell
    await wait_until(lambda: _get(world.customer, "/api/notifications")["unread"] >= 1, 10, "the next change")
    assert _get(world.customer, f"{room}/activity")["events"][0]["actor"]["name"] == "Rita Rep"


def _state(world: World) -> tuple[int, int, list[tuple[Any, ...]]]:
    with world.server.services.sessions() as db:
        events = db.scalar(select(func.count()).select_from(RoomEvent)) or 0
        markers = db.scalar(select(func.count()).select_from(ReadMarker)) or 0
        rows = [tuple(row) for row in db.execute(select(ReadMarker.user_id, ReadMarker.room_id, ReadMarker.up_to))]
    return events, markers, rows


@pytest.mark.parametrize(
    ("path", "detail"),
    [
        ("timeline?limit=0", "'limit' must be a whole number from 1 to 50"),
        ("timeline?limit=51", "'limit' must be a whole number from 1 to 50"),
        ("timeline?limit=ten", "'limit' must be a whole number from 1 to 50"),
        ("timeline?before=-3", "'before' must be a whole number"),
        ("timeline?sort=asc", "unknown query parameter 'sort'"),
        ("activity?limit=101", "'limit' must be a whole number from 1 to 100"),
        ("activity?before=99999999999999999999999", "'before' must be a whole number"),
    ],
)
def test_bad_query_parameters_are_refused_with_the_reason(world: World, path: str, detail: str) -> None:
    answer = world.rep.http.get(f"/api/rooms/{world.room_id}/{path}")
    assert answer.status_code == 400 and answer.json()["detail"].startswith(detail), answer.text


def test_refused_reads_and_marks_change_nothing(world: World) -> None:
    world.customer.http.post("/api/notifications/read", json={"room_id": world.room_id, "up_to": 0}).raise_for_status()
    before = _state(world)
    refusals = [
        (world.outsider.http.get(f"/api/rooms/{world.room_id}/timeline"), 404),
        (world.outsider.http.get(f"/api/rooms/{world.room_id}/activity"), 404),
        (world.outsider.http.post("/api/notifications/read", json={"room_id": world.room_id, "up_to": 0}), 404),
        (world.customer.http.post("/api/notifications/read", json={"room_id": world.room_id, "up_to": 5}), 400),
        (world.customer.http.post("/api/notifications/read", json={"room_id": world.room_id, "up_to": -1}), 400),
        (world.customer.http.post("/api/notifications/read", json={"room_id": world.room_id, "up_to": True}), 400),
        (world.customer.http.post("/api/notifications/read", json={"room_id": world.room_id, "up_to": "3"}), 400),
        (world.customer.http.post("/api/notifications/read", json={"room_id": 7, "up_to": 0}), 400),
        (world.customer.http.post("/api/notifications/read", json={"room_id": world.room_id}), 400),
        (world.customer.http.post("/api/notifications/read", json={"room_id": world.room_id, "up_to": 0, "x": 1}), 400),
        (world.customer.http.post("/api/notifications/read", content=b"up_to=0"), 400),
        (world.customer.http.post("/api/notifications/read", json={"room_id": "nope", "up_to": 0}), 404),
        (world.customer.http.get("/api/notifications", params={"limit": "0"}), 400),
    ]
    for answer, status in refusals:
        assert answer.status_code == status, (answer.request.url, answer.text)
        assert answer.json()["detail"]
    no_csrf = world.customer.http.post(
        "/api/notifications/read", json={"room_id": world.room_id, "up_to": 0}, headers={"X-CSRF-Token": ""}
    )
    assert no_csrf.status_code == 403
    assert _state(world) == before


async def test_record_stores_an_event_others_can_call_after_their_own_commit(world: World) -> None:
    """The API threads, proposals and the rest call: one event, off the event loop, filtered by audience."""
    from workspace.activity.events import Actor, Audience, record

    services = world.server.services
    rep = Actor(world.rep.user_id, "Rita Rep", "rep")
    for audience in (Audience.EVERYONE, Audience.INTERNAL):
        await world.server.acall(
            record(services, world.room_id, "thread.opened", actor=rep, audience=audience,
                   subject={"thread_id": f"t-{audience}"}, summary=f"Rita Rep asked a question ({audience})")
        )  # fmt: skip
    rep_view = _get(world.rep, f"/api/rooms/{world.room_id}/activity")["events"]
    assert [event["what"]["thread_id"] for event in rep_view] == ["t-internal", "t-everyone"]
    [seen] = _get(world.customer, f"/api/rooms/{world.room_id}/activity")["events"]
    assert seen["label"] == "Rita Rep asked a question (everyone)" and seen["kind"] == "thread.opened"
    assert _get(world.customer, "/api/notifications")["unread"] == 1
