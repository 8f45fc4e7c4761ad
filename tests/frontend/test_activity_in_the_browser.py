"""Issue 12's record as people see it: the customer, on a phone, changes a quantity and edits a clause; the
rep at a desk sees both in the room's timeline (who, what) and on the bell, which a tap opens and clears.
The customer's own Activity tab shows no internal event — on the page and in every answer their browser got."""

from __future__ import annotations

import json
import re

from playwright.sync_api import Page, Response, expect

from tests.frontend.conftest import open_context, screenshot, screenshot_of, sign_in
from tests.frontend.test_cotyping_in_the_browser import POINT_AFTER
from tests.frontend.test_room_in_the_browser import ROOM, _open_row, _rep_and_buyer, _show, _terms
from tests.support.accounts import sign_in as api_sign_in
from tests.support.server import LiveServer
from workspace.demo import DEMO_PASSWORD, DEMO_ROOM_ID

BUYER = "Blake Buyer (Acme)"
INTERNAL = ("invite", "invitation", "approval", "export", "internal", "audience", "cy@acme.test")


def _timeline(page: Page):  # type: ignore[no-untyped-def]
    return page.locator("[data-testid=timeline]")


def test_the_customers_changes_show_in_the_reps_timeline_and_bell_and_nothing_internal_reaches_the_customer(
    browser,  # type: ignore[no-untyped-def]
    contexts,
    demo: LiveServer,
) -> None:
    # Something internal happened in the room: the rep invited a colleague of the customer's.
    rep_api = api_sign_in(demo.url, "rep@demo.test", DEMO_PASSWORD)
    invited = rep_api.http.post(f"/api/rooms/{DEMO_ROOM_ID}/invitations", json={"email": "cy@acme.test", "name": "Cy"})
    assert invited.status_code == 201, invited.text
    # The demo's other deal rings the rep's bell (Globex asked a question): read it, so that this room's is counted.
    for room in rep_api.http.get("/api/notifications").json()["rooms"]:
        if room["room_id"] != DEMO_ROOM_ID and room["unread"]:
            read = {"room_id": room["room_id"], "up_to": room["latest_id"]}
            assert rep_api.http.post("/api/notifications/read", json=read).status_code == 200
    rep_api.http.close()

    rep, buyer, _ = _rep_and_buyer(browser, contexts, demo)
    answers: list[str] = []

    def keep(response: Response) -> None:
        if re.search(r"/api/(notifications|rooms/[^/]+/(activity|timeline))", response.url):
            answers.append(response.text())

    buyer.on("response", keep)
    expect(rep.locator("[data-testid=bell-count]")).to_be_hidden()  # the rep's own invitation rings no bell

    # The customer, on the phone: a quantity, then a few words in the liability clause.
    _show(buyer, "pricing")
    qty = _open_row(buyer, "l1").locator("[data-testid=line-qty]")
    qty.fill("300")
    qty.press("Enter")
    _show(buyer, "terms")
    _terms(buyer).locator("p", has_text="consequential damages").scroll_into_view_if_needed()
    point = buyer.evaluate(POINT_AFTER, "consequential damages")
    buyer.touchscreen.tap(point["x"] - 1, point["y"])
    buyer.keyboard.type(" (punitive too)", delay=20)

    # The rep's desk: the bell counts them, the timeline says who changed what.
    # Two changes, each also a proposal for the rep to decide (the room takes customer changes as proposals).
    expect(rep.locator("[data-testid=bell-count]")).to_have_text(re.compile(r"^[1-4]$"), timeout=15_000)
    session = _timeline(rep).locator("[data-testid=timeline-session]").first
    expect(session.locator("[data-testid=session-who]")).to_have_text(f"{BUYER} · Customer", timeout=15_000)
    expect(session.locator("[data-testid=timeline-change]", has_text="Clause 'Limitation of liability'")).to_be_visible(
        timeout=15_000
    )
    expect(session.locator("[data-testid=timeline-change]", has_text="Quantity of Platform Enterprise")).to_be_visible()
    rep.locator("[data-testid=panel-activity], #panel-activity").scroll_into_view_if_needed()
    screenshot_of(rep.locator("#panel-activity"), "activity-timeline-rep")
    rep.locator("[data-testid=bell]").click()
    sheet = rep.locator("[data-testid=bell-sheet]")
    expect(sheet.locator("[data-testid=bell-item]").first).to_contain_text(BUYER)
    screenshot(rep, "activity-bell-rep")
    expect(rep.locator("[data-testid=bell-count]")).to_be_hidden()  # opened: read
    rep.keyboard.press("Escape")
    expect(sheet).to_be_hidden()
    # The feed shows the rep the internal invitation too.
    rep.locator("[data-testid=activity-view-feed]").click()
    expect(rep.locator("[data-testid=activity-item][data-kind=invite]")).to_have_count(1)

    # The customer's own Activity tab: their changes, and no internal event anywhere.
    _show(buyer, "activity")
    expect(_timeline(buyer).locator("[data-testid=session-who]").first).to_have_text(f"{BUYER} · Customer")
    screenshot(buyer, "activity-timeline-customer-phone")
    buyer.locator("[data-testid=activity-view-feed]").tap()
    expect(buyer.locator("[data-testid=activity-item]").first).to_be_visible()
    expect(buyer.locator("[data-testid=activity-item][data-kind=invite]")).to_have_count(0)
    screenshot(buyer, "activity-feed-customer-phone")
    assert not any(word in buyer.locator("#panel-activity").inner_text().lower() for word in INTERNAL)
    kinds = buyer.locator("[data-testid=activity-item]").evaluate_all("(items) => items.map((i) => i.dataset.kind)")
    # Their changes, and the proposals they made of them (the room takes customer changes as proposals).
    shared = ("change", "proposal")
    assert kinds and all(kind.split(".")[0] in shared and kind != "change.notes" for kind in kinds), kinds
    assert "proposal.made" in kinds, kinds
    buyer.locator("[data-testid=bell]").tap()
    expect(buyer.locator("[data-testid=bell-sheet]")).to_be_visible()
    screenshot(buyer, "activity-bell-customer-phone")
    assert answers, "the customer's browser asked for the record"
    for answer in answers:
        body = json.loads(answer)
        assert not any(word in answer.lower() for word in INTERNAL), body
    assert ROOM in buyer.url

    # The rooms list has the bell too (read: no count).
    buyer.goto(f"{demo.url}/")
    expect(buyer.locator("[data-testid=room-item]").first).to_be_visible()
    expect(buyer.locator("[data-testid=bell]")).to_be_visible()
    expect(buyer.locator("[data-testid=bell-count]")).to_be_hidden()
    screenshot(buyer, "activity-rooms-list-customer-phone")


def test_opening_the_room_records_no_change_by_the_person_who_opened_it(
    browser,  # type: ignore[no-untyped-def]
    contexts,
    demo: LiveServer,
) -> None:
    """The first editor to open the server-seeded terms writes nothing to them (TipTap's trailing paragraph is
    there already, `workspace.demo`), so the timeline shows no "Blocks of the terms" by someone who only
    looked."""
    rep = sign_in(open_context(browser, contexts), demo, "rep@demo.test", ROOM)
    expect(rep.locator("[data-testid=connection-state]")).to_have_attribute("data-state", "live")
    expect(_terms(rep)).to_contain_text("Limitation of liability")
    # Then one deliberate change: once the timeline has it, whatever opening sent has arrived before it.
    qty = _open_row(rep, "l1").locator("[data-testid=line-qty]")
    qty.fill("260")
    qty.press("Enter")
    rep_api = api_sign_in(demo.url, "rep@demo.test", DEMO_PASSWORD)
    try:
        changes: list[dict[str, object]] = []
        for _ in range(100):
            answer = rep_api.http.get(f"/api/rooms/{DEMO_ROOM_ID}/timeline")
            assert answer.status_code == 200, answer.text
            changes = [change for session in answer.json()["sessions"] for change in session["changes"]]
            if any(change["kind"] == "change.lines" for change in changes):
                break
            rep.wait_for_timeout(100)
    finally:
        rep_api.http.close()
    assert [change["kind"] for change in changes] == ["change.lines"], changes
