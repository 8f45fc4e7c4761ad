"""Threads, proposals, approvals and invitations as their people see them: the room's activity (a customer
never gets an internal event), the mails of the digest through a real SMTP server (the rep of a customer's
proposal and of an approver's decision, the customer of the vendor's answer, the invitee of their link), and
who changed the room since a member last looked."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from email.message import Message
from typing import Any

from sqlalchemy import func, select

from tests.conftest import PricedWorld, World
from tests.support.accounts import Api, add_user, sign_in
from tests.support.smtp import Inbox, smtp_server
from tests.support.yclient import YClient, wait_until
from tests.workspace.activity.support import append_block, paragraph
from tests.workspace.approval_policy.test_preview import _with_policy
from tests.workspace.approval_policy.test_requests import _decide, _set_discount, _submit
from tests.workspace.proposals.helpers import allow_customer_pricing, proposals, ready_room, set_line
from tests.workspace.threads.helpers import furnish, threads_url
from workspace.notify.models import DigestItem
from workspace.pricing.samples import SAMPLE_INCENTIVE_PLAN, SAMPLE_PRICE_BOOK
from workspace.storage.base import utcnow

REP, BUYER = "rep@example.test", "buyer@customer.test"
PUBLIC = "http://testserver.local"


class Clock:
    """The digest's clock, moved by the test."""

    def __init__(self) -> None:
        self.now = utcnow()

    def __call__(self) -> datetime:
        return self.now


def _body(message: Message) -> str:
    payload = message.get_payload(decode=True)
    assert isinstance(payload, bytes)
    return payload.decode()


def _events(api: Api, room_id: str, kind: str = "") -> list[dict[str, Any]]:
    """The room's activity as `api` sees it, newest first (only the kinds starting with `kind`)."""
    answer = api.http.get(f"/api/rooms/{room_id}/activity")
    assert answer.status_code == 200, answer.text
    return [event for event in answer.json()["events"] if event["kind"].startswith(kind)]


def _who_did(events: list[dict[str, Any]]) -> list[tuple[str, str | None]]:
    """(kind, actor's name) of the events, oldest first."""
    return [(e["kind"], (e["actor"] or {}).get("name")) for e in reversed(events)]


def _queued(world: World, user_id: int) -> int:
    """Every line ever queued for a person's mails (sent or waiting for the next window)."""
    with world.server.services.sessions() as db:
        return db.scalar(select(func.count()).select_from(DigestItem).where(DigestItem.user_id == user_id)) or 0


async def _next_window(world: World, clock: Clock) -> None:
    """Past the digest's window: whatever waited is mailed now (the flush delivers before it returns)."""
    clock.now += timedelta(minutes=16)
    await world.server.acall(world.server.services.digest.flush())


@contextmanager
def _mailing_world(make_server: Callable[..., object]) -> Iterator[tuple[World, Inbox, Clock]]:
    with smtp_server() as (smtp_url, inbox):
        world = World(make_server(smtp_url=smtp_url))  # type: ignore[arg-type]
        clock = Clock()
        world.server.services.digest.clock = clock
        try:
            yield world, inbox, clock
        finally:
            for api in (world.rep, world.customer, world.outsider, world.legal):
                api.http.close()


def _priced(world: World) -> PricedWorld:
    """The world with the sample price book and plan, uploaded by an admin (the `priced` fixture's)."""
    add_user(world.server.services.sessions, "admin@example.test", "admin", "Ada Admin")
    admin = sign_in(world.server.url, "admin@example.test")
    admin.http.put("/api/pricebook", json=SAMPLE_PRICE_BOOK).raise_for_status()
    admin.http.put("/api/incentives/plan", json=SAMPLE_INCENTIVE_PLAN).raise_for_status()
    world.admin = admin  # type: ignore[attr-defined]
    return world  # type: ignore[return-value]


# --- threads -------------------------------------------------------------------------------------------


async def test_the_vendors_answer_shows_to_both_and_mails_the_customer_who_asked(
    make_server: Callable[..., object],
) -> None:
    with _mailing_world(make_server) as (world, inbox, clock):
        await furnish(world)
        asked = world.customer.http.post(threads_url(world), json={
            "kind": "question", "anchor": {"type": "room"}, "text": "Could payment be 45 days?"})  # fmt: skip
        assert asked.status_code == 201, asked.text
        thread_id = asked.json()["id"]
        replied = world.rep.http.post(threads_url(world, thread_id, "messages"), json={"text": "Yes, 45 is fine."})
        assert replied.status_code == 201, replied.text
        note = world.rep.http.post(threads_url(world), json={
            "kind": "note", "visibility": "internal", "anchor": {"type": "room"},
            "text": "Walk-away is 60 days"})  # fmt: skip
        assert note.status_code == 201, note.text

        both = [("thread.opened", "Bo Buyer"), ("thread.replied", "Rita Rep")]
        seen_by_customer = _events(world.customer, world.room_id, "thread.")
        assert _who_did(seen_by_customer) == both
        assert seen_by_customer[1]["label"] == "Bo Buyer asked a question: “Could payment be 45 days?”"
        assert seen_by_customer[0]["label"] == "Rita Rep replied to a question: “Yes, 45 is fine.”"
        assert {e["what"]["thread_id"] for e in seen_by_customer} == {thread_id}
        raw = world.customer.http.get(f"/api/rooms/{world.room_id}/activity").text
        assert "Walk-away" not in raw and note.json()["id"] not in raw

        seen_by_rep = _events(world.rep, world.room_id, "thread.")
        assert _who_did(seen_by_rep) == [*both, ("thread.opened", "Rita Rep")]
        assert seen_by_rep[0]["label"] == "Rita Rep left a note: “Walk-away is 60 days”"
        assert seen_by_rep[0]["audience"] == "internal" and seen_by_rep[1]["audience"] == "everyone"

        # The customer hears of the answer, with the link that opens the thread.
        [mail] = inbox.wait_for(1)
        assert mail["To"] == BUYER
        body = _body(mail)
        assert "Rita Rep replied to a question: “Yes, 45 is fine.”" in body
        assert f"{PUBLIC}/rooms/{world.room_id}?thread={thread_id}" in body
        assert "Walk-away" not in body

        # Vendor-side talk in an internal thread, and the customer's own follow-up, mail nobody.
        legal_note = world.legal.http.post(threads_url(world), json={
            "kind": "note", "visibility": "internal", "anchor": {"type": "room"}, "text": "Check the cap"})  # fmt: skip
        assert legal_note.status_code == 201, legal_note.text
        for api, tid, text in ((world.rep, legal_note.json()["id"], "Cap is fine"),
                               (world.rep, note.json()["id"], "Noted"),
                               (world.customer, thread_id, "Thanks!")):  # fmt: skip
            answer = api.http.post(threads_url(world, tid, "messages"), json={"text": text})
            assert answer.status_code == 201, answer.text
        await _next_window(world, clock)
        assert [m["To"] for m in inbox.messages] == [BUYER]
        assert _queued(world, world.customer.user_id) == 1
        assert "Cap is fine" not in world.customer.http.get(f"/api/rooms/{world.room_id}/activity").text
        assert ("thread.replied", "Lou Legal") not in _who_did(_events(world.rep, world.room_id))

        # A second answer from the vendor (here legal) is mailed too, in the next window.
        again = world.legal.http.post(threads_url(world, thread_id, "messages"), json={"text": "Confirmed by legal."})
        assert again.status_code == 201, again.text
        await _next_window(world, clock)
        mails = inbox.wait_for(2)
        assert mails[1]["To"] == BUYER and "Lou Legal replied to a question: “Confirmed by legal.”" in _body(mails[1])


# --- proposals -----------------------------------------------------------------------------------------


async def test_a_customers_proposal_is_one_event_for_both_and_one_mail_to_the_rep(
    make_server: Callable[..., object],
) -> None:
    with _mailing_world(make_server) as (world, inbox, clock):
        priced = _priced(world)
        allow_customer_pricing(priced)
        async with (
            YClient(priced.ws(), priced.rep.bearer) as rep,
            YClient(priced.ws(), priced.customer.bearer) as buyer,
        ):
            await ready_room(priced, rep, buyer)
            # The customer types 150 into the quantity slowly: three updates of one proposal.
            for typed in (1, 15, 150):
                await buyer.edit(set_line("qty", typed))
            await rep.wait_for(lambda: [p["to"] for p in proposals(rep)] == [150], what="the proposal of 150")
            [proposal] = proposals(rep)

            def made(api: Api) -> list[dict[str, Any]]:
                return _events(api, priced.room_id, "proposal.")

            await wait_until(lambda: len(made(priced.rep)) == 1 and len(made(priced.customer)) == 1, 10,
                             "the proposal in both sides' activity")  # fmt: skip
            await wait_until(lambda: made(priced.rep)[0]["label"].endswith("(100 → 150)"), 10,
                             "the event to show the proposal's value")  # fmt: skip
            for api in (priced.rep, priced.customer):
                [event] = made(api)
                assert event["kind"] == "proposal.made" and event["actor"]["name"] == "Bo Buyer"
                assert event["label"] == "Bo Buyer proposed the quantity of a line (100 → 150)"
                assert event["what"] == {"proposal_id": proposal["id"], "kind": "line"}

            [mail] = inbox.wait_for(1)
            assert mail["To"] == REP
            body = _body(mail)
            assert "Bo Buyer proposed the quantity of a line" in body
            assert f"{PUBLIC}/rooms/{priced.room_id}" in body

            # More typing on the same proposal: still one event, and no further mail.
            await buyer.edit(set_line("qty", 160))
            await rep.wait_for(lambda: [p["to"] for p in proposals(rep)] == [160], what="the proposal of 160")
            await wait_until(lambda: made(priced.rep)[0]["label"].endswith("(100 → 160)"), 10, "the value of 160")
        await _next_window(world, clock)
        assert len(made(priced.rep)) == 1 and len(made(priced.customer)) == 1
        assert [m["To"] for m in inbox.messages] == [REP]
        assert _queued(world, priced.rep.user_id) == 1
        assert _queued(world, priced.customer.user_id) == 0, "the customer is not mailed their own proposal"
        priced.admin.http.close()  # type: ignore[attr-defined]


# --- approvals -----------------------------------------------------------------------------------------


async def test_an_approvers_decision_is_mailed_to_the_rep_once(make_server: Callable[..., object]) -> None:
    with _mailing_world(make_server) as (world, inbox, clock):
        priced = _priced(world)
        _with_policy(priced)
        sessions = priced.server.services.sessions
        add_user(sessions, "manager@example.test", "sales_manager", "Mo Manager")
        add_user(sessions, "vp@example.test", "vp_sales", "Vi VP")
        manager = sign_in(priced.server.url, "manager@example.test")
        vp = sign_in(priced.server.url, "vp@example.test")
        await _set_discount(priced, 32, first=True)
        submitted = _submit(priced)
        assert submitted.status_code == 201, submitted.text
        request = submitted.json()
        inbox.wait_for(1)  # the manager's "approval needed"

        assert _decide(manager, request, "discount-over-20").status_code == 200
        mails = inbox.wait_for(3)  # the rep's mail of the decision, the VP's "approval needed"
        [to_rep] = [m for m in mails if m["To"] == REP]
        assert "Mo Manager approved your approval request (Sales manager)" in _body(to_rep)
        assert f"{PUBLIC}/rooms/{priced.room_id}" in _body(to_rep)
        # The same decision again changes nothing: no second line for the rep, no second event.
        assert _decide(manager, request, "discount-over-20").status_code == 200
        assert _queued(world, priced.rep.user_id) == 1

        rejected = _decide(vp, request, "discount-over-30", decision="reject")
        assert rejected.status_code == 200, rejected.text
        await _next_window(world, clock)
        mails = inbox.to(REP)
        assert len(mails) == 2, [m["Subject"] for m in inbox.messages]
        assert "Vi VP rejected your approval request (VP sales)" in _body(mails[1])
        assert "Mo Manager" not in _body(mails[1])

        decided = _events(priced.rep, priced.room_id, "approval.decided")
        assert [(e["actor"]["name"], e["what"]["decision"]) for e in reversed(decided)] == [
            ("Mo Manager", "approve"), ("Vi VP", "reject"),
        ]  # fmt: skip
        assert _events(priced.customer, priced.room_id, "approval") == []
        assert inbox.to(BUYER) == [], "the customer hears nothing of approvals"
        for api in (manager, vp, priced.admin):  # type: ignore[attr-defined]
            api.http.close()


# --- invitations ---------------------------------------------------------------------------------------


def test_an_invitation_mails_the_invitee_their_link(make_server: Callable[..., object]) -> None:
    with _mailing_world(make_server) as (world, inbox, _):
        invited = world.rep.http.post(f"/api/rooms/{world.room_id}/invitations",
                                      json={"email": "cy@newco.test", "name": "Cy Newco"})  # fmt: skip
        assert invited.status_code == 201, invited.text
        url = invited.json()["url"]
        assert url.startswith(f"{PUBLIC}/invite/")
        [mail] = inbox.wait_for(1)
        assert mail["To"] == "cy@newco.test"
        assert mail["Subject"] == "Rita Rep invites you to Deal"
        assert url in _body(mail) and "Deal" in _body(mail)
        # The link in the mail is the one that works.
        token = url.rsplit("/", 1)[1]
        shown = world.rep.http.get(f"/api/invitations/{token}")
        assert shown.status_code == 200, shown.text

        refused = world.customer.http.post(f"/api/rooms/{world.room_id}/invitations",
                                           json={"email": "x@y.test", "name": "X"})  # fmt: skip
        assert refused.status_code in (403, 404)
        assert len(inbox.messages) == 1, "a refused invitation mails nobody"


# --- who changed it since you looked -------------------------------------------------------------------


def _who_since(api: Api, room_id: str) -> list[str]:
    answer = api.http.get(f"/api/rooms/{room_id}/since-last-seen")
    assert answer.status_code == 200, answer.text
    assert answer.json()["first_visit"] is False
    return [person["name"] for person in answer.json()["who"]]


async def test_since_last_seen_names_who_changed_the_room_after_the_look(priced: PricedWorld) -> None:
    manager_id = add_user(priced.server.services.sessions, "manager@example.test", "sales_manager", "Mo Manager")
    manager = sign_in(priced.server.url, "manager@example.test")
    async with YClient(priced.ws(), priced.rep.bearer) as rep:
        await rep.edit(append_block(paragraph("Payment is due within 30 days.")))
    await wait_until(lambda: bool(_events(priced.rep, priced.room_id, "change.")), 10, "the rep's change recorded")
    for api in (priced.customer, priced.rep):
        assert api.http.post(f"/api/rooms/{priced.room_id}/seen").status_code == 204
    assert _who_since(priced.customer, priced.room_id) == [], "the rep wrote before the look"

    # After the look: legal changes the terms, an approver writes in the internal notes.
    async with YClient(priced.ws(), priced.legal.bearer) as legal:
        await legal.edit(append_block(paragraph("Liability is capped at the fees paid.")))
    async with YClient(priced.ws(doc="internal"), manager.bearer) as notes:
        await notes.edit(append_block(paragraph("Fine at 40% off"), root="notes"))
    await wait_until(lambda: len(_who_since(priced.rep, priced.room_id)) == 2, 10, "both changes recorded")

    assert _who_since(priced.rep, priced.room_id) == ["Lou Legal", "Mo Manager"]
    answer = priced.customer.http.get(f"/api/rooms/{priced.room_id}/since-last-seen").json()
    assert answer["who"] == [{"id": priced.legal.user_id, "name": "Lou Legal", "role": "legal"}]
    assert answer["changes"] >= 1
    assert "Mo Manager" not in str(answer) and str(manager_id) not in str(answer["who"])

    # Looking again: nobody since.
    assert priced.customer.http.post(f"/api/rooms/{priced.room_id}/seen").status_code == 204
    assert _who_since(priced.customer, priced.room_id) == []
    manager.http.close()


def test_a_proposals_values_read_as_people_write_them() -> None:
    """The document's numbers are floats: the feed says 150, not 150.0, and a discount in percent."""
    from workspace.activity.listeners import proposal_summary
    from workspace.proposals.tracker import ProposalEvent

    def line(field: str, before: float, after: float, kind: str = "made") -> str:
        proposal = {"id": "p", "kind": "line", "subject": {"key": f"line:a:{field}", "line_id": "a", "field": field},
                    "from": before, "to": after}  # fmt: skip
        return proposal_summary(ProposalEvent(kind, "r", proposal, {"id": 2, "name": "Bo Buyer", "role": "customer"}))

    assert line("qty", 100.0, 150.0) == "Bo Buyer proposed the quantity of a line (100 → 150)"
    assert line("discountPct", 10.0, 12.5) == "Bo Buyer proposed the discount of a line (10% → 12.5%)"
    assert line("qty", 100.0, 150.0, "declined") == "Bo Buyer declined the proposal of the quantity of a line"
