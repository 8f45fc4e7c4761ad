"""The deal room in two real browsers: a rep at a desk and the customer on a phone."""

from __future__ import annotations

import re

import httpx
from playwright.sync_api import BrowserContext, Page, WebSocket, expect

from tests.frontend.conftest import open_context, screenshot, sign_in
from tests.support.server import LiveServer
from workspace.demo import DEMO_PASSWORD, DEMO_ROOM_ID

ROOM = f"/rooms/{DEMO_ROOM_ID}"


def _rep_and_buyer(browser, contexts, demo: LiveServer) -> tuple[Page, Page, BrowserContext]:  # type: ignore[no-untyped-def]
    rep = sign_in(open_context(browser, contexts), demo, "rep@demo.test", ROOM)
    buyer_context = open_context(browser, contexts, phone=True)
    buyer = sign_in(buyer_context, demo, "buyer@acme.test", ROOM)
    for page in (rep, buyer):
        expect(page.locator("[data-testid=connection-state]")).to_have_attribute("data-state", "live")
    return rep, buyer, buyer_context


def _show(page: Page, tab: str) -> None:
    """On a phone the room is tabbed; on a desktop the tab bar is hidden and everything is shown."""
    button = page.locator(f"[data-testid=tab-{tab}]")
    if button.is_visible():
        button.click()


def _terms(page: Page):  # type: ignore[no-untyped-def]
    return page.locator("[data-testid=terms-editor] .ProseMirror")


def _row(page: Page, line_id: str):  # type: ignore[no-untyped-def]
    return page.locator(f"[data-testid=line-row][data-line-id='{line_id}']")


def _open_row(page: Page, line_id: str):  # type: ignore[no-untyped-def]
    """On a phone a line is a compact summary: a tap shows its controls (a desktop shows them anyway)."""
    summary = _row(page, line_id).locator("[data-testid=line-summary]")
    if summary.is_visible() and summary.get_attribute("aria-expanded") != "true":
        summary.tap()
    return _row(page, line_id)


def _rows(page: Page) -> list[tuple[str, str, str]]:
    rows = page.locator("[data-testid=line-row]")
    return [
        (
            rows.nth(i).get_attribute("data-line-id") or "",
            rows.nth(i).locator("[data-testid=line-sku]").input_value(),
            rows.nth(i).locator("[data-testid=line-qty]").input_value(),
        )
        for i in range(rows.count())
    ]


def test_typing_in_the_terms_appears_on_the_other_side(browser, contexts, demo: LiveServer) -> None:  # type: ignore[no-untyped-def]
    rep, buyer, _ = _rep_and_buyer(browser, contexts, demo)
    _show(buyer, "terms")
    _terms(rep).click()
    rep.keyboard.press("Control+End")
    rep.keyboard.type(" Renewal for 36 months.")
    expect(_terms(buyer)).to_contain_text("Renewal for 36 months.")
    _terms(buyer).tap()
    buyer.keyboard.press("Control+End")
    buyer.keyboard.type(" Acme asks for net 45.")
    expect(_terms(rep)).to_contain_text("Acme asks for net 45.")
    expect(rep.locator("[data-testid=presence-user]", has_text="Blake Buyer")).to_be_visible()
    screenshot(rep, "room-rep-desktop")
    screenshot(buyer, "room-customer-phone-terms")


def test_both_edit_the_pricing_table_at_once_and_end_with_the_same_rows(browser, contexts, demo: LiveServer) -> None:  # type: ignore[no-untyped-def]
    rep, buyer, _ = _rep_and_buyer(browser, contexts, demo)
    _show(buyer, "pricing")
    rep.fill("[data-testid=new-line-sku]", "ADD-AI")
    rep.fill("[data-testid=new-line-qty]", "250")
    buyer_qty = _open_row(buyer, "l1").locator("[data-testid=line-qty]")
    buyer_qty.fill("300")
    # Both commit at the same moment.
    rep.click("[data-testid=add-line]")
    buyer_qty.press("Enter")
    expect(rep.locator("[data-testid=line-row]")).to_have_count(5)
    expect(buyer.locator("[data-testid=line-row]")).to_have_count(5)
    expect(_row(rep, "l1").locator("[data-testid=line-qty]")).to_have_value("300")
    assert _rows(rep) == _rows(buyer)
    assert [sku for _, sku, _ in _rows(buyer)].count("ADD-AI") == 1
    buyer.reload()
    _show(buyer, "pricing")
    expect(buyer.locator("[data-testid=line-row]")).to_have_count(5)
    assert _rows(buyer) == _rows(rep)
    screenshot(buyer, "room-customer-phone-pricing")


def test_the_customer_cannot_edit_a_locked_line(browser, contexts, demo: LiveServer) -> None:  # type: ignore[no-untyped-def]
    _, buyer, _ = _rep_and_buyer(browser, contexts, demo)
    _show(buyer, "pricing")
    locked = _row(buyer, "l2")
    for field in ("line-qty", "line-discount", "line-note"):
        control = locked.locator(f"[data-testid={field}]")
        assert control.is_disabled() or not control.is_editable(), f"{field} of a locked line is editable"
    assert buyer.locator("[data-testid=line-lock]").count() == 0, "the customer sees lock buttons"
    assert _row(buyer, "l1").locator("[data-testid=line-qty]").is_editable()
    assert buyer.locator("[data-testid=add-line]").count() == 0 or buyer.locator("[data-testid=add-line]").is_disabled()


def test_the_customer_page_holds_no_internal_data(browser, contexts, demo: LiveServer) -> None:  # type: ignore[no-untyped-def]
    secret = "FLOOR-PRICE-81000-DO-NOT-SHARE"
    rep = sign_in(open_context(browser, contexts), demo, "rep@demo.test", ROOM)
    notes = rep.locator("[data-testid=internal-notes] .ProseMirror")
    _show(rep, "notes")
    notes.click()
    rep.keyboard.type(secret)
    expect(notes).to_contain_text(secret)

    buyer_context = open_context(browser, contexts, phone=True)
    sockets: list[str] = []
    frames: list[bytes] = []

    def watch(ws: WebSocket) -> None:
        sockets.append(ws.url)
        ws.on("framereceived", lambda data: frames.append(data if isinstance(data, bytes) else data.encode()))

    buyer_context.on("page", lambda page: page.on("websocket", watch))
    buyer = sign_in(buyer_context, demo, "buyer@acme.test", ROOM)
    expect(buyer.locator("[data-testid=connection-state]")).to_have_attribute("data-state", "live")
    for tab in ("terms", "pricing", "deal"):
        _show(buyer, tab)
    assert sockets and all(url.endswith("/shared") for url in sockets), sockets
    assert frames, "the customer received no frames at all"
    assert not any(secret.encode() in frame for frame in frames)
    assert buyer.locator("[data-testid=internal-notes]").count() == 0
    assert buyer.locator("[data-testid=tab-notes]").count() == 0
    assert secret not in buyer.content()


def test_offline_edits_are_delivered_on_reconnect_and_survive_a_reload(browser, contexts, demo: LiveServer) -> None:  # type: ignore[no-untyped-def]
    rep, buyer, buyer_context = _rep_and_buyer(browser, contexts, demo)
    _show(buyer, "pricing")
    buyer_context.set_offline(True)
    expect(buyer.locator("[data-testid=connection-state]")).to_have_attribute("data-state", "offline")
    note = _open_row(buyer, "l1").locator("[data-testid=line-note]")
    note.fill("Written in the lift, no signal")
    note.press("Enter")
    # One note, one or more updates (typing, then Enter): the count says that something waits.
    expect(buyer.locator("[data-testid=pending-edits]")).to_contain_text(re.compile(r"\d+ changes? waiting"))
    expect(_row(rep, "l1").locator("[data-testid=line-note]")).to_have_value("")
    buyer_context.set_offline(False)
    expect(_row(rep, "l1").locator("[data-testid=line-note]")).to_have_value("Written in the lift, no signal")
    expect(buyer.locator("[data-testid=connection-state]")).to_have_attribute("data-state", "live")
    rep.reload()
    expect(_row(rep, "l1").locator("[data-testid=line-note]")).to_have_value("Written in the lift, no signal")


def test_a_refused_edit_shows_the_servers_reason_and_the_room_resyncs(browser, contexts, demo: LiveServer) -> None:  # type: ignore[no-untyped-def]
    rep, buyer, _ = _rep_and_buyer(browser, contexts, demo)
    _show(buyer, "pricing")
    with httpx.Client(base_url=demo.url) as api:
        api.post("/api/session", json={"email": "rep@demo.test", "password": DEMO_PASSWORD}).raise_for_status()
        api.patch(
            f"/api/rooms/{DEMO_ROOM_ID}",
            json={"customer_may_edit_pricing": False},
            headers={"X-CSRF-Token": api.cookies["dealroom_csrf"]},
        ).raise_for_status()
    qty = _open_row(buyer, "l1").locator("[data-testid=line-qty]")
    if qty.is_editable():  # the page has not heard of the change yet: the server is the judge
        qty.fill("999")
        qty.press("Enter")
        expect(buyer.locator("[data-testid=notice]")).to_contain_text("does not allow the customer to edit pricing")
        expect(_row(buyer, "l1").locator("[data-testid=line-qty]")).to_have_value("250")
    expect(_row(rep, "l1").locator("[data-testid=line-qty]")).to_have_value("250")


def test_sign_in_and_the_room_list_on_a_phone(browser, contexts, demo: LiveServer) -> None:  # type: ignore[no-untyped-def]
    context = open_context(browser, contexts, phone=True)
    page = context.new_page()
    page.goto(f"{demo.url}/rooms/{DEMO_ROOM_ID}")
    page.wait_for_url("**/signin?next=*")
    page.fill("input[name=email]", "rep@demo.test")
    page.fill("input[name=password]", "wrong-password")
    page.click("button[type=submit]")
    expect(page.locator("[data-testid=form-error]")).to_contain_text("wrong email or password")
    screenshot(page, "signin-phone")
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{demo.url}{ROOM}")
    page.goto(f"{demo.url}/")
    expect(page.locator("[data-testid=room-item]")).to_have_count(2)  # Acme, and the second demo deal (Globex)
    page.fill("[data-testid=new-room-title]", "Globex — Analytics pilot")
    page.fill("[data-testid=new-room-customer]", "Globex")
    page.click("[data-testid=new-room-submit]")
    page.wait_for_url("**/rooms/*")
    expect(page.locator("[data-testid=room-title]")).to_have_text("Globex — Analytics pilot")
    page.goto(f"{demo.url}/")
    expect(page.locator("[data-testid=room-item]")).to_have_count(3)
    expect(page.locator("[data-testid=room-edited]", has_text="Edited")).to_have_count(3)
    screenshot(page, "rooms-phone")
    page.fill("[data-testid=room-search]", "acme")
    expect(page.locator("[data-testid=room-item]")).to_have_count(1)
    expect(page.locator("[data-testid=room-item]")).to_contain_text("Acme — Platform renewal")
    page.click("[data-testid=sign-out]")
    page.wait_for_url("**/signin*")


def test_a_customer_arrives_by_invitation_and_sees_only_that_room(browser, contexts, demo: LiveServer) -> None:  # type: ignore[no-untyped-def]
    with httpx.Client(base_url=demo.url) as api:
        api.post("/api/session", json={"email": "rep@demo.test", "password": DEMO_PASSWORD}).raise_for_status()
        invitation = api.post(
            f"/api/rooms/{DEMO_ROOM_ID}/invitations",
            json={"email": "cfo@acme.test", "name": "Casey CFO"},
            headers={"X-CSRF-Token": api.cookies["dealroom_csrf"]},
        ).json()
    page = open_context(browser, contexts, phone=True).new_page()
    page.goto(f"{demo.url}/invite/{invitation['token']}")
    page.fill("input[name=name]", "Casey CFO")
    page.fill("input[name=password]", "short")
    page.click("button[type=submit]")
    expect(page.locator("[data-testid=form-error]")).to_contain_text("at least 10 characters")
    page.fill("input[name=password]", "a-long-enough-password")
    page.click("button[type=submit]")
    page.wait_for_url(f"{demo.url}{ROOM}")
    expect(page.locator("[data-testid=connection-state]")).to_have_attribute("data-state", "live")
    screenshot(page, "invited-customer-phone")
    page.goto(f"{demo.url}/")
    expect(page.locator("[data-testid=room-item]")).to_have_count(1)


def test_prices_and_violations_follow_edits_and_only_the_rep_sees_margin(browser, contexts, demo: LiveServer) -> None:  # type: ignore[no-untyped-def]
    rep, buyer, _ = _rep_and_buyer(browser, contexts, demo)
    _show(buyer, "pricing")
    total = buyer.locator("[data-testid=quote-total]")
    expect(total).not_to_have_text("—")
    before = total.inner_text()
    line_total = _row(buyer, "l1").locator("[data-testid=line-total]")
    first_line_total = line_total.inner_text()
    qty = _row(rep, "l1").locator("[data-testid=line-qty]")
    qty.fill("400")
    qty.press("Enter")
    expect(line_total).not_to_have_text(first_line_total)
    expect(total).not_to_have_text(before)
    # A product the price book does not have is refused next to the SKU field, and no line is added.
    rep.fill("[data-testid=new-line-sku]", "NOT-IN-BOOK")
    rep.fill("[data-testid=new-line-qty]", "2")
    rep.click("[data-testid=add-line]")
    expect(rep.locator("[data-testid=new-line-sku-problem]")).to_contain_text("NOT-IN-BOOK is not in the price book")
    expect(rep.locator("[data-testid=line-row]")).to_have_count(4)
    # A broken rule is flagged on its own line, in words (on a phone once the line is opened).
    qty.fill("2")
    qty.press("Enter")
    _show(buyer, "pricing")
    l1 = _open_row(buyer, "l1")
    expect(l1.locator("[data-testid=line-violation]", has_text="at least 50")).to_be_visible()
    # Margin and commission for internal eyes only.
    expect(rep.locator("[data-testid=quote-margin]")).to_contain_text("%")
    expect(rep.locator("[data-testid=commission-total]")).to_contain_text("$")
    assert rep.locator("[data-testid=commission-layer]").count() >= 1
    assert buyer.locator("[data-testid=rep-panel]").count() == 0
    assert "commission" not in buyer.content().lower()
    screenshot(rep, "room-rep-desktop-priced")
    screenshot(buyer, "room-customer-phone-priced")


def test_every_control_in_the_room_is_labelled_and_reachable_by_keyboard(browser, contexts, demo: LiveServer) -> None:  # type: ignore[no-untyped-def]
    rep, buyer, _ = _rep_and_buyer(browser, contexts, demo)
    for page in (rep, buyer):
        unlabelled = page.evaluate(
            """() => [...document.querySelectorAll('input, select, textarea, button')]
                .filter(el => el.offsetParent !== null)
                .filter(el => {
                    const byFor = el.id && document.querySelector(`label[for="${el.id}"]`);
                    const named = el.getAttribute('aria-label') || el.getAttribute('aria-labelledby')
                        || el.closest('label') || byFor || (el.tagName === 'BUTTON' && el.textContent.trim())
                        || el.getAttribute('title');
                    return !named;
                })
                .map(el => el.outerHTML.slice(0, 120))"""
        )
        assert unlabelled == [], unlabelled
    # From the top of the page, Tab reaches the terms editor and the pricing inputs without a mouse.
    rep.keyboard.press("Tab")
    reached: set[str] = set()
    for _ in range(80):
        reached.add(rep.evaluate("() => document.activeElement?.closest('[data-testid]')?.dataset.testid || ''"))
        rep.keyboard.press("Tab")
    assert {"terms-editor", "line-qty", "add-line"} <= reached, reached
