"""Issue 12 as people see it: the customer's changes are proposals the rep decides in one tap.

The customer on a 390x844 phone raises a quantity; the rep on a desktop sees it proposed (the accepted value
struck through, by whom, both totals) and accepts. The customer proposes a discount; the rep counters from a
phone. The customer edits a clause; the rep declines and the accepted text comes back on both screens.
"""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.frontend.conftest import open_context, screenshot, screenshot_of, sign_in
from tests.frontend.test_cotyping_in_the_browser import DOC_JSON, POINT_AFTER
from tests.frontend.test_room_in_the_browser import ROOM, _open_row, _rep_and_buyer, _row, _show, _terms
from tests.support.server import LiveServer

CLAUSE_WORDS = "in the 12 months before the event"


def _cards(page: Page, kind: str):  # type: ignore[no-untyped-def]
    return page.locator(f"[data-testid=proposals-{kind}] [data-testid=proposal]")


def _set(page: Page, line_id: str, field: str, value: str) -> None:
    box = _open_row(page, line_id).locator(f"[data-testid=line-{field}]")
    box.fill(value)
    box.press("Enter")


def test_the_rep_accepts_counters_and_declines_the_customers_proposals(
    browser,  # type: ignore[no-untyped-def]
    contexts,
    demo: LiveServer,
) -> None:
    rep, buyer, _ = _rep_and_buyer(browser, contexts, demo)
    _show(buyer, "pricing")

    # The customer raises a quantity on the phone: a proposal, marked on both screens.
    _set(buyer, "l1", "qty", "300")
    for page in (buyer, rep):
        card = _cards(page, "line")
        expect(card).to_have_count(1)
        expect(card.locator("[data-testid=proposal-from]")).to_have_text("250")
        expect(card.locator("[data-testid=proposal-to]")).to_have_text("300")
        expect(card).to_contain_text("by Blake Buyer (Acme)")
        expect(_row(page, "l1").locator("[data-testid=line-proposed]").first).to_contain_text("was 250")
        expect(page.locator("[data-testid=total-accepted]")).to_be_visible()
    expect(_cards(buyer, "line").locator("[data-testid=proposal-waiting]")).to_have_text(
        "Proposed, waiting for the rep"
    )
    expect(_cards(buyer, "line").locator("button")).to_have_count(0)
    screenshot(buyer, "proposal-customer-phone")
    screenshot_of(rep.locator("[data-testid=proposals-line]"), "proposal-rep-desktop")

    # One tap accepts it: the proposal goes, the quantity stays.
    _cards(rep, "line").locator("[data-testid=proposal-accept]").click()
    for page in (rep, buyer):
        expect(_cards(page, "line")).to_have_count(0)
        expect(page.locator("[data-testid=total-accepted]")).to_have_count(0)
    expect(_open_row(buyer, "l1").locator("[data-testid=line-qty]")).to_have_value("300")

    # The customer proposes a discount; the rep counters from a phone.
    rep_phone = sign_in(open_context(browser, contexts, phone=True), demo, "rep@demo.test", ROOM)
    expect(rep_phone.locator("[data-testid=connection-state]")).to_have_attribute("data-state", "live")
    _show(rep_phone, "pricing")
    _set(buyer, "l1", "discount", "30")
    card = _cards(rep_phone, "line")
    expect(card).to_have_count(1)
    expect(card.locator("[data-testid=proposal-to]")).to_have_text("30 %")
    card.locator("[data-testid=proposal-counter]").tap()
    value = card.locator("[data-testid=proposal-counter-value]")
    value.fill("18")
    screenshot(rep_phone, "proposal-rep-phone-counter")
    card.locator("[data-testid=proposal-counter-send]").tap()
    for page in (buyer, rep, rep_phone):
        expect(_cards(page, "line")).to_have_count(0)
    expect(_open_row(buyer, "l1").locator("[data-testid=line-discount]")).to_have_value("18")

    # The customer edits a clause on the phone; the rep declines and the text comes back on both screens.
    _show(buyer, "terms")
    _show(rep, "terms")
    _terms(buyer).locator("p", has_text=CLAUSE_WORDS).scroll_into_view_if_needed()
    point = buyer.evaluate(POINT_AFTER, "in the 12")
    buyer.touchscreen.tap(point["x"] - 1, point["y"])
    for _ in range(2):
        buyer.keyboard.press("Backspace")
    buyer.keyboard.type("24", delay=30)
    for page in (buyer, rep):
        card = _cards(page, "clause")
        expect(card).to_have_count(1)
        expect(card).to_contain_text("Limitation of liability")
        expect(card.locator("del")).to_contain_text("12")
        expect(card.locator("ins")).to_contain_text("24")
    expect(_cards(buyer, "clause").locator("[data-testid=proposal-waiting]")).to_be_visible()
    screenshot(buyer, "proposal-clause-customer-phone")
    screenshot_of(rep.locator("[data-testid=proposals-clause]"), "proposal-clause-rep-desktop")
    _cards(rep, "clause").locator("[data-testid=proposal-decline]").click()
    for page in (buyer, rep):
        expect(_cards(page, "clause")).to_have_count(0)
        # Read from the editor's document: the other person's caret label sits in the text on screen.
        expect(_terms(page).locator("p", has_text="months before the event")).to_have_count(1)
        restored = f"words.includes({CLAUSE_WORDS!r}) && !words.includes('in the 24')"
        page.wait_for_function(f"() => {{ const words = ({DOC_JSON})(); return {restored}; }}", timeout=5000)
    screenshot(buyer, "proposal-clause-declined-customer-phone")
