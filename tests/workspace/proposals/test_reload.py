"""Pending proposals are part of the room: they outlive the room's unloading, and a crash before they are
written, and are decided after it."""

from __future__ import annotations

from typing import Any

import pytest
from pycrdt import Array, Doc, Map

from approvals.samples import DEMO_POLICY_YAML
from tests.conftest import PricedWorld
from tests.support.yclient import YClient, wait_until
from tests.workspace.proposals.helpers import (
    CLAUSE_TEXT,
    allow_customer_pricing,
    clause_text,
    computed,
    net_total,
    proposals,
    ready_room,
    replace_words,
    set_line,
)
from workspace.sync.documents import DocName


async def test_a_proposal_outlives_the_room_unloading_and_is_declined_after(priced: PricedWorld) -> None:
    allow_customer_pricing(priced)
    svc = priced.server.services
    async with YClient(priced.ws(), priced.rep.bearer) as rep, YClient(priced.ws(), priced.customer.bearer) as buyer:
        await ready_room(priced, rep, buyer)
        await buyer.edit(set_line("qty", 175))
        await rep.wait_for(lambda: len(proposals(rep)) == 1, what="the proposal")
    key = (priced.room_id, DocName.SHARED)
    room = svc.rooms.loaded(*key)
    await wait_until(lambda: room is not None and not room.attached, 10, "everyone gone")
    await priced.server.acall(svc.rooms.unload(key))
    assert svc.rooms.loaded(priced.room_id, DocName.SHARED) is None
    listed = priced.rep.http.get(f"/api/rooms/{priced.room_id}/proposals").json()["proposals"]
    assert [(p["from"], p["to"], p["by"]["name"]) for p in listed] == [(100, 175, "Bo Buyer")]
    declined = priced.rep.http.post(
        f"/api/rooms/{priced.room_id}/proposals/{listed[0]['id']}/decline", json={"revision": listed[0]["revision"]}
    )
    assert declined.status_code == 200, declined.text
    async with YClient(priced.ws(), priced.customer.bearer) as buyer:
        await buyer.wait_for(lambda: buyer.doc.get("lines", type=Array)[0]["qty"] == 100, what="the accepted qty")
        await buyer.wait_for(lambda: proposals(buyer) == [], what="no proposal left")


def _approval_preview(priced: PricedWorld) -> dict[str, Any]:
    answer = priced.rep.http.get(f"/api/rooms/{priced.room_id}/approvals/preview")
    assert answer.status_code == 200, answer.text
    return answer.json()  # type: ignore[no-any-return]


async def _crash_and_reload(priced: PricedWorld, monkeypatch: pytest.MonkeyPatch, change: Any, api: Any) -> YClient:
    """`change` is committed (durable) by the client of `api`, then the server "crashes" before the tracker's
    write (the debounced write never runs, the loaded room is lost): a client reconnecting reloads the room."""
    svc = priced.server.services

    async def crashed(room_id: str) -> None:
        return None

    monkeypatch.setattr(svc.proposals._writes, "_run", crashed)
    async with YClient(priced.ws(), api.bearer) as writer, YClient(priced.ws(), priced.rep.bearer) as rep:
        await writer.edit(change)
        written = writer.doc.get("lines", type=Array)[0].to_py()
        await rep.wait_for(lambda: rep.doc.get("lines", type=Array)[0].to_py() == written, what="the durable change")
    room = svc.rooms.loaded(priced.room_id, DocName.SHARED)
    await wait_until(lambda: room is not None and not room.attached, 10, "everyone gone")
    svc.rooms._rooms.pop((priced.room_id, DocName.SHARED))  # the memory is lost; the store holds the log
    monkeypatch.undo()
    return YClient(priced.ws(), priced.rep.bearer)


async def _settled_room(priced: PricedWorld) -> tuple[str | None, str]:
    """A room whose accepted record was written: 100 seats, no proposal; its net total and fingerprint."""
    answer = priced.admin.http.put(
        "/api/approvals/policy", content=DEMO_POLICY_YAML, headers={"Content-Type": "application/yaml"}
    )
    assert answer.status_code == 200, answer.text
    allow_customer_pricing(priced)
    async with YClient(priced.ws(), priced.rep.bearer) as rep, YClient(priced.ws(), priced.customer.bearer) as buyer:
        await ready_room(priced, rep, buyer)
        tracker = priced.server.services.proposals
        await wait_until(lambda: tracker.idle(priced.room_id), 10, "the tracker's write")
        return net_total(computed(rep, "quote")), _approval_preview(priced)["fingerprint"]


async def test_a_crash_before_the_proposal_is_written_keeps_the_customer_change_a_proposal(
    priced: PricedWorld, monkeypatch: pytest.MonkeyPatch
) -> None:
    accepted_total, fingerprint = await _settled_room(priced)
    async with await _crash_and_reload(priced, monkeypatch, set_line("qty", 175), priced.customer) as rep:
        await rep.wait_for(lambda: len(proposals(rep)) == 1, what="the proposal restored")
        [restored] = proposals(rep)
        assert restored["subject"]["key"] == "line:a:qty" and (restored["from"], restored["to"]) == (100, 175)
        assert restored["by"] == {"name": "Unknown (restored after a restart)", "role": "customer"}
        assert rep.doc.get("lines", type=Array)[0]["qty"] == 175  # both sides still see the customer's value
        await rep.wait_for(lambda: computed(rep, "quote_accepted") is not None, what="the accepted quote")
        assert net_total(computed(rep, "quote_accepted")) == accepted_total
        assert _approval_preview(priced)["fingerprint"] == fingerprint
        export = priced.rep.http.post(f"/api/rooms/{priced.room_id}/export", json={"format": "docx"})
        assert export.status_code == 409 and export.json()["error"] == "proposals_pending"
        accepted = priced.rep.http.post(
            f"/api/rooms/{priced.room_id}/proposals/{restored['id']}/accept", json={"revision": restored["revision"]}
        )
        assert accepted.status_code == 200, accepted.text
        await rep.wait_for(lambda: proposals(rep) == [], what="the proposal accepted")
        await rep.wait_for(lambda: computed(rep, "accepted")["line:a:qty"] == 175, what="the record of it")
        assert _approval_preview(priced)["fingerprint"] != fingerprint


async def test_a_crash_after_a_reps_change_leaves_it_for_the_rep_to_accept_and_a_written_one_stands(
    priced: PricedWorld, monkeypatch: pytest.MonkeyPatch
) -> None:
    await _settled_room(priced)
    # Written before the crash: the rep's change is accepted, as recorded.
    async with YClient(priced.ws(), priced.rep.bearer) as rep:
        await rep.edit(set_line("qty", 120))
        await rep.wait_for(lambda: computed(rep, "accepted")["line:a:qty"] == 120, what="the record of the change")
    async with await _crash_and_reload(priced, monkeypatch, set_line("discountPct", 15), priced.rep) as rep:
        # Not yet written: the safe direction, a proposal the rep can accept (nobody knows who wrote it).
        await rep.wait_for(lambda: len(proposals(rep)) == 1, what="the change proposed again")
        [restored] = proposals(rep)
        assert restored["subject"]["key"] == "line:a:discountPct" and (restored["from"], restored["to"]) == (10, 15)
        assert computed(rep, "accepted")["line:a:qty"] == 120


async def test_a_room_written_before_the_record_takes_its_values_as_accepted_once(priced: PricedWorld) -> None:
    allow_customer_pricing(priced)
    svc = priced.server.services
    async with YClient(priced.ws(), priced.rep.bearer) as rep, YClient(priced.ws(), priced.customer.bearer) as buyer:
        await ready_room(priced, rep, buyer)
        await rep.wait_for(lambda: computed(rep, "accepted") is not None, what="the record")
        room = svc.rooms.loaded(priced.room_id, DocName.SHARED)
        assert room is not None

        def forget(doc: Doc) -> None:
            del doc.get("computed", type=Map)["accepted"]

        await priced.server.acall(room.server_write(forget))
        await rep.wait_for(lambda: computed(rep, "accepted") is None, what="a room as before")
    await wait_until(lambda: not room.attached, 10, "everyone gone")
    svc.rooms._rooms.pop((priced.room_id, DocName.SHARED))
    async with YClient(priced.ws(), priced.rep.bearer) as rep:
        await rep.wait_for(lambda: computed(rep, "accepted") is not None, what="the record written on load")
        assert computed(rep, "accepted")["line:a:qty"] == 100 and proposals(rep) == []
        assert computed(rep, "accepted")["clause:liability:0"][1]["content"][0]["text"] == CLAUSE_TEXT


async def test_a_crash_before_a_clause_proposal_is_written_keeps_the_edit_a_proposal(
    priced: PricedWorld, monkeypatch: pytest.MonkeyPatch
) -> None:
    _, fingerprint = await _settled_room(priced)
    edit = replace_words("twelve months", "five years")
    async with await _crash_and_reload(priced, monkeypatch, edit, priced.customer) as rep:
        await rep.wait_for(lambda: len(proposals(rep)) == 1, what="the clause proposal restored")
        [restored] = proposals(rep)
        assert restored["kind"] == "clause" and restored["subject"]["key"] == "clause:liability:0"
        assert "twelve months" in restored["from"] and "five years" in restored["to"]
        assert "five years" in clause_text(rep)
        assert _approval_preview(priced)["fingerprint"] == fingerprint
        declined = priced.rep.http.post(
            f"/api/rooms/{priced.room_id}/proposals/{restored['id']}/decline", json={"revision": restored["revision"]}
        )
        assert declined.status_code == 200, declined.text
        await rep.wait_for(lambda: clause_text(rep) == CLAUSE_TEXT, what="the accepted text back")
        await rep.wait_for(lambda: proposals(rep) == [], what="no proposal left")
