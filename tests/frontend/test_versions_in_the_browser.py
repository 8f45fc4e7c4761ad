"""Issue 12's record as people see it: the rep compares the version sent for approval with the deal now (desktop
and phone), and the customer, opening the room a day later on a phone, sees what changed since they last looked,
and who changed it, with no approval state anywhere on their screen."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from playwright.sync_api import Page, expect
from pycrdt import Array, XmlFragment
from sqlalchemy import select

from tests.frontend.conftest import open_context, screenshot, screenshot_of, sign_in
from tests.frontend.test_approvals_in_the_browser import BADGE_LABELS, _live, _set_discount, _status
from tests.frontend.test_cotyping_in_the_browser import POINT_AFTER
from tests.frontend.test_room_in_the_browser import ROOM, _show, _terms
from tests.support.server import LiveServer
from workspace.auth.models import User
from workspace.demo import DEMO_ROOM_ID
from workspace.record.models import RoomVersion
from workspace.sync.documents import DocName

ADDED = " Renewals are capped at 5%."


def _version(page: Page, reason: str):  # type: ignore[no-untyped-def]
    return page.locator(f"[data-testid=version][data-reason={reason}]")


def _type_after(page: Page, needle: str, text: str, phone: bool = False) -> None:
    _terms(page).get_by_text(needle).first.scroll_into_view_if_needed()
    point = page.evaluate(POINT_AFTER, needle)
    assert point, f"{needle!r} is not on the screen"
    if phone:
        page.touchscreen.tap(point["x"] - 1, point["y"])
    else:
        page.mouse.click(point["x"] - 1, point["y"])
    page.keyboard.type(text, delay=10)


def _room_now(demo: LiveServer) -> dict[str, Any]:
    async def read() -> dict[str, Any]:
        doc = await demo.services.rooms.current_doc(DEMO_ROOM_ID, DocName.SHARED)
        return {"lines": doc.get("lines", type=Array).to_py(), "terms": str(doc.get("terms", type=XmlFragment))}

    return demo.call(read())


def _wait_stored(page: Page, demo: LiveServer, check: Any, what: str) -> None:
    """Poll the server's document with a deadline until `check` holds."""
    deadline = 100
    for _ in range(deadline):
        if check(_room_now(demo)):
            return
        page.wait_for_timeout(100)
    raise AssertionError(f"timed out waiting for {what}")


def _compare_sheet(page: Page):  # type: ignore[no-untyped-def]
    return page.locator("[data-testid=compare-sheet]")


def _check_compare(page: Page) -> None:
    sheet = _compare_sheet(page)
    expect(sheet).to_be_visible()
    clause = sheet.locator("[data-testid=compare-block]", has_text="Limitation of liability")
    expect(clause).to_have_attribute("data-status", "changed")
    expect(clause.locator("ins")).to_contain_text("Renewals are capped at 5%.")
    discount = sheet.locator("[data-testid=compare-line][data-line-id=l3] [data-testid=compare-cell-discount_pct]")
    expect(discount).to_have_attribute("data-changed", "true")
    expect(discount.locator("del")).to_have_text("5%")
    expect(discount.locator("ins")).to_have_text("7%")
    expect(sheet.locator("[data-testid=compare-total-net_total]")).to_have_class("compare-total is-changed")
    # Internal: the version sent for approval carried the pending request; the deal now carries none.
    expect(sheet.locator("[data-testid=compare-approval]")).to_contain_text("Request pending")


def test_the_rep_compares_the_version_sent_for_approval_with_the_deal_now(browser, contexts, demo: LiveServer) -> None:  # type: ignore[no-untyped-def]
    rep = sign_in(open_context(browser, contexts), demo, "rep@demo.test", ROOM)
    _live(rep)
    _set_discount(rep, "l1", "25")
    expect(_status(rep)).to_have_attribute("data-status", "needs_approval")
    rep.locator("[data-testid=approval-submit]").click()
    expect(_status(rep)).to_have_attribute("data-status", "pending")

    # Then a line and a clause change.
    _set_discount(rep, "l3", "7")
    _type_after(rep, "giving rise to the claim.", ADDED)
    _wait_stored(
        rep, demo, lambda room: room["lines"][2]["discountPct"] == 7 and ADDED.strip() in room["terms"], "the edits"
    )

    sent = _version(rep, "submitted")
    expect(sent).to_have_count(1)  # the list follows the room
    expect(sent).to_contain_text("Submitted for approval")
    sent.locator("[data-testid=version-pick]").check()
    compare = rep.locator("[data-testid=versions-compare]")
    expect(compare).to_have_text("Compare version 1 with now")
    compare.click()
    _check_compare(rep)
    screenshot(rep, "versions-compare-rep-desktop")
    screenshot_of(_compare_sheet(rep).locator(".sheet-inner"), "versions-compare-sheet-desktop")
    rep.keyboard.press("Escape")
    expect(_compare_sheet(rep)).to_have_count(0)

    # The same on the rep's phone: the Versions tab, one tap to pick, one to compare, a full-screen sheet.
    phone = sign_in(open_context(browser, contexts, phone=True), demo, "rep@demo.test", ROOM)
    _live(phone)
    _show(phone, "versions")
    _version(phone, "submitted").locator("[data-testid=version-pick]").tap()
    screenshot_of(phone.locator("[data-testid=versions-panel]"), "versions-panel-rep-phone")
    phone.locator("[data-testid=versions-compare]").tap()
    _check_compare(phone)
    box = _compare_sheet(phone).bounding_box()
    assert box is not None and box["width"] == 390, "a full-screen sheet on a phone"
    screenshot(phone, "versions-compare-rep-phone")
    phone.locator("[data-testid=compare-close]").tap()
    expect(_compare_sheet(phone)).to_have_count(0)


def _seen_at(demo: LiveServer, email: str) -> Any:
    with demo.services.sessions.begin() as db:
        user_id = db.execute(select(User.id).where(User.email == email)).scalar_one()
        return db.execute(
            select(RoomVersion.created_at).where(RoomVersion.room_id == DEMO_ROOM_ID, RoomVersion.seen_by == user_id)
        ).scalar_one_or_none()


def test_the_customer_sees_what_changed_since_they_last_looked(browser, contexts, demo: LiveServer) -> None:  # type: ignore[no-untyped-def]
    buyer_context = open_context(browser, contexts, phone=True)
    buyer = sign_in(buyer_context, demo, "buyer@acme.test", ROOM)
    _live(buyer)
    expect(buyer.locator("[data-testid=since-banner]")).to_be_hidden()  # a first visit: nothing to show
    for _ in range(100):  # the look is recorded after the page opened
        if _seen_at(demo, "buyer@acme.test") is not None:
            break
        buyer.wait_for_timeout(100)
    assert _seen_at(demo, "buyer@acme.test") is not None
    buyer.close()

    rep = sign_in(open_context(browser, contexts), demo, "rep@demo.test", ROOM)
    _live(rep)
    _set_discount(rep, "l1", "12")
    _type_after(rep, "giving rise to the claim.", ADDED)
    _wait_stored(
        rep, demo, lambda room: room["lines"][0]["discountPct"] == 12 and ADDED.strip() in room["terms"], "the edits"
    )
    rep.locator("[data-testid=version-label]").fill("Counter-offer")
    rep.locator("[data-testid=version-save]").click()
    expect(_version(rep, "manual")).to_contain_text("Counter-offer")

    # "A day later": the customer's last look moves back a day, then they open the room on the phone again.
    with demo.services.sessions.begin() as db:
        for row in db.execute(select(RoomVersion).where(RoomVersion.reason == "seen")).scalars():
            row.created_at -= timedelta(days=1)
    buyer = buyer_context.new_page()
    buyer.goto(f"{demo.url}{ROOM}")
    _live(buyer)
    banner = buyer.locator("[data-testid=since-banner]")
    expect(banner).to_be_visible()
    expect(banner.locator("[data-testid=since-text]")).to_contain_text("Since you last looked (")
    expect(banner.locator("[data-testid=since-text]")).to_contain_text("2 changes by Riley Rep")
    expect(banner.locator("[data-testid=since-list]")).to_contain_text("Limitation of liability (changed)")
    expect(banner.locator("[data-testid=since-list]")).to_contain_text("discount 10% → 12%")
    # The changes are marked in the room: the clause in the terms, the line in the pricing.
    expect(buyer.locator("style[data-testid=since-highlights]")).to_have_count(1)
    liability = _terms(buyer).locator("> *", has_text="Limitation of liability")
    assert liability.evaluate("el => getComputedStyle(el).boxShadow") != "none", "the clause is marked"
    _show(buyer, "pricing")
    expect(buyer.locator("[data-testid=line-row][data-line-id=l1]")).to_have_class("line since-changed")
    expect(buyer.locator("[data-testid=line-row][data-line-id=l2]")).not_to_have_class("line since-changed")
    _show(buyer, "terms")
    screenshot(buyer, "since-last-seen-customer-phone")
    screenshot_of(banner, "since-last-seen-banner-phone")

    # Nothing of approvals on the customer's screen, and only the version the rep saved, neutrally named.
    _show(buyer, "versions")
    expect(_version(buyer, "manual")).to_contain_text("Saved version")
    expect(buyer.locator("[data-testid=version]")).to_have_count(1)
    seen = buyer.locator("body").inner_text() + buyer.content()
    for secret in (*BADGE_LABELS, "Counter-offer", "Submitted for approval", "approval-status", "Sales manager"):
        assert secret not in seen, f"the customer's page shows {secret!r}"

    banner.locator("[data-testid=since-dismiss]").tap()
    expect(banner).to_be_hidden()
    expect(buyer.locator(".since-changed")).to_have_count(0)
    expect(buyer.locator("style[data-testid=since-highlights]")).to_have_count(0)
