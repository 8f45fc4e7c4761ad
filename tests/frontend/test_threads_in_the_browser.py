"""Threads as people use them (issue 12): the customer on a phone selects a sentence and asks; the rep answers
from a desk and the customer sees it live; the customer disputes a price line; export is refused, listing the
dispute, until it is resolved; an internal thread about the same line never reaches the customer's screen
nor their websocket."""

from __future__ import annotations

from playwright.sync_api import Page, WebSocket, expect

from tests.frontend.conftest import ARTIFACTS, screenshot, screenshot_of
from tests.frontend.test_room_in_the_browser import _rep_and_buyer, _show, _terms
from tests.support.server import LiveServer

SENTENCE = "These terms govern the subscription set out in the pricing above."
QUESTION = "Does this include the onboarding package?"
ANSWER = "Yes, onboarding is part of the subscription."
DISPUTE = "We agreed 25% on this line, not this."
SECRET = "Internal: floor is 18% on this line, hold at 20"

SELECT = """(needle) => {
  const root = document.querySelector('[data-testid=terms-editor] .ProseMirror');
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const i = n.data.indexOf(needle);
    if (i < 0) continue;
    root.focus();
    document.getSelection().setBaseAndExtent(n, i, n, i + needle.length);
    return true;
  }
  return false;
}"""


def _sheet(page: Page):  # type: ignore[no-untyped-def]
    return page.locator("[data-testid=thread-sheet]")


def _tap(page: Page, selector: str) -> None:
    box = page.locator(selector).bounding_box()
    assert box, selector
    page.touchscreen.tap(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)


def _viewport(page: Page, name: str) -> None:
    """What the person sees on their screen right now (a sheet is fixed to the screen, not the page)."""
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"))


def _record_frames(page: Page) -> list[bytes]:
    """Every websocket frame the page receives from now on (then reload, so its sockets are all seen)."""
    frames: list[bytes] = []

    def on_socket(socket: WebSocket) -> None:
        socket.on(
            "framereceived", lambda payload: frames.append(payload if isinstance(payload, bytes) else payload.encode())
        )

    page.on("websocket", on_socket)
    page.reload()
    expect(page.locator("[data-testid=connection-state]")).to_have_attribute("data-state", "live")
    return frames


def test_a_question_a_dispute_and_an_internal_note_in_the_browser(browser, contexts, demo: LiveServer) -> None:  # type: ignore[no-untyped-def]
    rep, buyer, _ = _rep_and_buyer(browser, contexts, demo)
    frames = _record_frames(buyer)

    # The customer selects a sentence of the terms on the phone and asks about it.
    _show(buyer, "terms")
    expect(_terms(buyer).locator("p", has_text=SENTENCE)).to_be_visible()
    assert buyer.evaluate(SELECT, SENTENCE)
    expect(buyer.locator("[data-testid=selection-actions]")).to_be_visible()
    _tap(buyer, "[data-testid=select-question]")
    expect(_sheet(buyer)).to_be_visible()
    expect(_sheet(buyer).locator("[data-testid=thread-about]")).to_contain_text(SENTENCE)
    expect(_sheet(buyer).locator("[data-testid=thread-internal-toggle]")).to_have_count(0)  # customers: external only
    _sheet(buyer).locator("[data-testid=thread-text]").fill(QUESTION)
    _tap(buyer, "[data-testid=thread-submit]")
    expect(_sheet(buyer).locator("[data-testid=thread-state]")).to_have_attribute("data-state", "open")
    expect(_sheet(buyer).locator("[data-testid=thread-message]")).to_have_count(1)
    _viewport(buyer, "threads-customer-asks-phone")

    # The rep sees it highlighted in the terms and answers from the desk.
    expect(_terms(rep).locator("[data-testid=thread-mark]")).to_contain_text("pricing above")
    expect(rep.locator("[data-testid=threads-count]")).to_have_text("1")
    _terms(rep).locator("[data-testid=thread-mark]").first.click()
    expect(_sheet(rep).locator("[data-testid=thread-message]").first).to_contain_text(QUESTION)
    _sheet(rep).locator("[data-testid=thread-reply-text]").fill(ANSWER)
    _sheet(rep).locator("[data-testid=thread-reply]").click()

    # The customer sees the answer live.
    expect(_sheet(buyer).locator("[data-testid=thread-message]")).to_have_count(2)
    expect(_sheet(buyer).locator("[data-testid=thread-message]").nth(1)).to_contain_text(ANSWER)
    expect(_sheet(buyer).locator("[data-testid=thread-state]")).to_have_attribute("data-state", "answered")
    _viewport(buyer, "threads-customer-sees-answer-phone")
    screenshot_of(_sheet(rep), "threads-rep-answers-desktop")
    _tap(buyer, "[data-testid=thread-close]")

    # The customer disputes a price line: one tap on the line's Discuss.
    _show(buyer, "pricing")
    row = buyer.locator("[data-testid=line-row]").first
    line_id = row.get_attribute("data-line-id")
    discuss = row.locator("[data-testid=line-discuss]:visible")
    expect(discuss).to_have_count(1)
    discuss.tap()
    expect(_sheet(buyer)).to_be_visible()
    _sheet(buyer).locator("[data-testid=thread-kind-dispute]").tap()
    _sheet(buyer).locator("[data-testid=thread-text]").fill(DISPUTE)
    _tap(buyer, "[data-testid=thread-submit]")
    expect(_sheet(buyer).locator("[data-testid=thread-message]")).to_contain_text(DISPUTE)
    expect(buyer.locator("[data-testid=threads-count]")).to_have_text("2")

    # Export is refused, listing the dispute.
    rep.locator("[data-testid=thread-close]").click()
    export = rep.locator("[data-testid=export-docx]")
    export.scroll_into_view_if_needed()
    export.click()
    listed = rep.locator("[data-testid=export-dispute]")
    expect(listed).to_have_count(1)
    expect(listed).to_contain_text("Dispute about the pricing line")
    expect(listed).to_contain_text("opened by Blake Buyer")
    screenshot_of(rep.locator("[data-testid=export-missing]"), "threads-export-refused-desktop")

    # The rep, about the same line, writes an internal note the customer must never see.
    rep_row = rep.locator(f"[data-testid=line-row][data-line-id='{line_id}']")
    rep_row.locator("[data-testid=line-discuss]:visible").click()
    _sheet(rep).locator("[data-testid=thread-kind-note]").check()
    _sheet(rep).locator("[data-testid=thread-internal-toggle]").check()
    _sheet(rep).locator("[data-testid=thread-text]").fill(SECRET)
    _sheet(rep).locator("[data-testid=thread-submit]").click()
    expect(_sheet(rep).locator("[data-testid=thread-internal]")).to_be_visible()
    expect(rep.locator("[data-testid=threads-count]")).to_have_text("3")

    # The rep resolves the dispute; export goes ahead.
    rep.locator("[data-testid=thread-back]").click()
    _sheet(rep).locator("[data-testid=thread-filter-disputes]").click()
    _sheet(rep).locator("[data-testid=thread-item][data-kind=dispute]").click()
    _sheet(rep).locator("[data-testid=thread-resolve]").click()
    expect(_sheet(rep).locator("[data-testid=thread-state]")).to_have_attribute("data-state", "resolved")
    expect(_sheet(buyer).locator("[data-testid=thread-state]")).to_have_attribute("data-state", "resolved")
    rep.locator("[data-testid=thread-close]").click()
    with rep.expect_download() as download:
        export.click()
    assert download.value.suggested_filename.endswith(".docx")
    expect(rep.locator("[data-testid=export-missing]")).to_be_hidden()

    # The customer: two threads, the internal one nowhere on screen nor in any frame they received.
    expect(buyer.locator("[data-testid=threads-count]")).to_have_text("1")  # the answered question
    _tap(buyer, "[data-testid=thread-close]")
    _tap(buyer, "[data-testid=threads-button]")
    _sheet(buyer).locator("[data-testid=thread-filter-all]").tap()
    expect(_sheet(buyer).locator("[data-testid=thread-item]")).to_have_count(2)
    assert SECRET not in buyer.content()
    assert frames, "the customer's sockets were recorded"
    received = b"".join(frames)
    assert DISPUTE.encode() in received and ANSWER.encode() in received, "the customer got the room live"
    assert SECRET.encode() not in received
    _viewport(buyer, "threads-customer-list-phone")
    screenshot(rep, "threads-rep-desktop")


def test_a_mailed_link_opens_the_room_at_the_thread(browser, contexts, demo: LiveServer) -> None:  # type: ignore[no-untyped-def]
    from tests.frontend.conftest import open_context, sign_in
    from tests.frontend.test_room_in_the_browser import ROOM

    rep = sign_in(open_context(browser, contexts), demo, "rep@demo.test", ROOM)
    expect(rep.locator("[data-testid=connection-state]")).to_have_attribute("data-state", "live")
    made = rep.evaluate(
        """async (room) => {
          const csrf = document.cookie.split('; ').find((c) => c.startsWith('dealroom_csrf=')).split('=')[1];
          const headers = {'Content-Type': 'application/json', 'X-CSRF-Token': decodeURIComponent(csrf)};
          const body = JSON.stringify({kind: 'question', anchor: {type: 'room'}, text: 'Can we sign this week?'});
          const r = await fetch(`/api/rooms/${room}/threads`, {method: 'POST', headers, body});
          return (await r.json()).id;
        }""",
        ROOM.rsplit("/", 1)[1],
    )
    buyer = sign_in(open_context(browser, contexts, phone=True), demo, "buyer@acme.test", f"{ROOM}?thread={made}")
    expect(_sheet(buyer)).to_be_visible()
    expect(_sheet(buyer).locator("[data-testid=thread-message]")).to_contain_text("Can we sign this week?")

    # A clause block has its one-tap Discuss too.
    rep.locator("[data-testid=clause-discuss]").first.click()
    expect(_sheet(rep).locator("[data-testid=thread-about]")).to_have_text("Clause subscription")
    _sheet(rep).locator("[data-testid=thread-text]").fill("Is the subscription clause final?")
    _sheet(rep).locator("[data-testid=thread-submit]").click()
    expect(_sheet(rep).locator("[data-testid=thread-message]")).to_contain_text("Is the subscription clause final?")
    expect(_sheet(buyer).locator("[data-testid=thread-message]")).to_contain_text("Can we sign this week?")


def test_the_customer_discusses_a_deal_field_from_the_phone(browser, contexts, demo: LiveServer) -> None:  # type: ignore[no-untyped-def]
    rep, buyer, _ = _rep_and_buyer(browser, contexts, demo)

    # On the phone's Deal tab, "Discuss" beside "Payment terms" (read only to the customer) is one tap.
    _show(buyer, "deal")
    discuss = buyer.locator("[data-testid=deal-paymentTermsDays-discuss]")
    expect(discuss).to_be_visible()
    box = discuss.bounding_box()
    assert box and box["height"] >= 44 and box["width"] >= 44, box  # a phone's touch target
    _viewport(buyer, "threads-deal-tab-phone")
    _tap(buyer, "[data-testid=deal-paymentTermsDays-discuss]")
    expect(_sheet(buyer).locator("[data-testid=thread-about]")).to_have_text("Deal: Payment terms")
    _sheet(buyer).locator("[data-testid=thread-text]").fill("Could we have 45 days instead of 30?")
    _tap(buyer, "[data-testid=thread-submit]")
    expect(_sheet(buyer).locator("[data-testid=thread-message]")).to_have_count(1)

    # The rep sees which field the question is about, in the list and in the thread.
    expect(rep.locator("[data-testid=threads-count]")).to_have_text("1")
    rep.locator("[data-testid=threads-button]").click()
    item = _sheet(rep).locator("[data-testid=thread-item]")
    expect(item).to_contain_text("Deal: Payment terms")
    item.click()
    expect(_sheet(rep).locator("[data-testid=thread-about]")).to_have_text("Deal: Payment terms")
    expect(_sheet(rep).locator("[data-testid=thread-message]")).to_contain_text("45 days instead of 30")
