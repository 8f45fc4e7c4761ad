"""Issue 11.1 as people see it: the customer on a phone types a paragraph outside the library clauses; both
screens flag it as text outside the clauses with its word diff, the paragraph itself is marked, and only
the rep learns that legal must approve it."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.frontend.conftest import screenshot, screenshot_of
from tests.frontend.test_cotyping_in_the_browser import POINT_AFTER
from tests.frontend.test_room_in_the_browser import ROOM, _rep_and_buyer, _show, _terms
from tests.support.server import LiveServer

PREAMBLE = "These terms govern the subscription set out in the pricing above."
TYPED = "The Vendor's liability is unlimited."


def _card(page: Page):  # type: ignore[no-untyped-def]
    return page.locator("[data-testid=free-text-card]")


def test_text_typed_outside_the_clauses_is_flagged_for_both_and_routed_to_legal_for_the_rep(
    browser,  # type: ignore[no-untyped-def]
    contexts,
    demo: LiveServer,
) -> None:
    rep, buyer, _ = _rep_and_buyer(browser, contexts, demo)
    assert ROOM in buyer.url
    for page in (rep, buyer):
        _show(page, "terms")
        expect(_terms(page).locator("p", has_text=PREAMBLE)).to_be_visible()
        # The demo room's title and preamble are its standard terms: nothing to flag.
        expect(_card(page)).to_be_hidden()
        expect(_terms(page).locator(".free-text-changed")).to_have_count(0)

    # The customer taps at the end of the preamble (outside any clause) and types a new paragraph.
    _terms(buyer).locator("p", has_text=PREAMBLE).scroll_into_view_if_needed()
    point = buyer.evaluate(POINT_AFTER, "pricing above.")
    buyer.touchscreen.tap(point["x"] - 1, point["y"])
    buyer.keyboard.press("Enter")
    buyer.keyboard.type(TYPED, delay=20)

    for page in (buyer, rep):
        expect(_card(page)).to_be_visible()
        expect(_card(page).locator("[data-testid=free-text-status]")).to_have_text("Non-standard")
        expect(_terms(page).locator(".free-text-changed", has_text=TYPED)).to_have_count(1)
        expect(_terms(page).locator("p", has_text=PREAMBLE)).to_have_count(1)  # typed after it, not into it
        expect(_terms(page).locator(".free-text-changed", has_text=PREAMBLE)).to_have_count(0)
    # Who approves is the vendor's business: the rep sees it, the customer does not.
    expect(_card(rep).locator("[data-testid=free-text-approver]")).to_have_text("Needs Legal approval")
    expect(_card(buyer).locator("[data-testid=free-text-approver]")).to_be_hidden()
    assert "legal" not in _card(buyer).inner_text().lower(), "no internal role in the customer's card"

    # The word diff against the standard terms, as a clause's.
    for page in (buyer, rep):
        _card(page).locator("[data-testid=free-text-status]").click()
        diff = _card(page).locator("[data-testid=free-text-diff]")
        expect(diff).to_be_visible()
        expect(diff.locator("ins")).to_contain_text("unlimited")
    screenshot(buyer, "free-text-customer-phone")
    screenshot_of(_card(rep), "free-text-card-rep")
    screenshot_of(_card(buyer), "free-text-card-customer-phone")

    # Taken out again: the terms are the standard ones and the flag goes for both.
    _card(buyer).locator("[data-testid=free-text-status]").click()  # the diff closed: the page is still
    expect(_card(buyer).locator("[data-testid=free-text-diff]")).to_be_hidden()
    point = buyer.evaluate(POINT_AFTER, "unlimited.")
    buyer.touchscreen.tap(point["x"] - 1, point["y"])
    for _ in range(len(TYPED) + 1):  # the words, then the paragraph break
        buyer.keyboard.press("Backspace")
    expect(_terms(buyer).locator("p", has_text=PREAMBLE)).to_have_count(1)
    for page in (buyer, rep):
        expect(_card(page)).to_be_hidden()
        expect(_terms(page).locator(".free-text-changed")).to_have_count(0)
