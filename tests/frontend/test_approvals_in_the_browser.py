"""Approvals in real browsers (story 4 and 7): the rep at a desk, the customer and the manager on phones.

The demo policy: any line discount over 20% needs a sales manager, over 30% then a VP of sales. Where approval
stands is the vendor's: the customer's room shows nothing of it.
"""

from __future__ import annotations

import httpx
from playwright.sync_api import Browser, BrowserContext, Page, expect
from sqlalchemy import select

from tests.frontend.conftest import open_context, screenshot, screenshot_of, sign_in
from tests.support.server import LiveServer
from workspace.auth.models import User
from workspace.demo import DEMO_PASSWORD, DEMO_ROOM_ID, DEMO_ROOM_TITLE
from workspace.notify.links import StepLink

ROOM = f"/rooms/{DEMO_ROOM_ID}"
MANAGER_STEP = "discount-over-20"
# What the room header says about approvals, in any state: never on a customer's page.
BADGE_LABELS = ("Needs approval", "Approval pending", "Approval rejected", "Approved (covered)", "No approval needed")


def _live(*pages: Page) -> None:
    for page in pages:
        expect(page.locator("[data-testid=connection-state]")).to_have_attribute("data-state", "live")


def _status(page: Page):  # type: ignore[no-untyped-def]
    return page.locator("[data-testid=approval-status]")


def _set_discount(rep: Page, line_id: str, value: str) -> None:
    discount = rep.locator(f"[data-testid=line-row][data-line-id='{line_id}'] [data-testid=line-discount]")
    discount.fill(value)
    discount.press("Enter")


def _rep_raises_the_discount(browser: Browser, contexts: list[BrowserContext], demo: LiveServer) -> Page:
    rep = sign_in(open_context(browser, contexts), demo, "rep@demo.test", ROOM)
    _live(rep)
    expect(_status(rep)).to_have_attribute("data-status", "no_approval_needed")
    _set_discount(rep, "l1", "25")
    expect(_status(rep)).to_have_attribute("data-status", "needs_approval")
    return rep


def _sees_no_approval_state(buyer: Page) -> None:
    expect(buyer.locator("[data-testid=room-title]")).to_be_visible()
    expect(_status(buyer)).to_have_count(0)
    seen = buyer.locator("body").inner_text() + buyer.content()
    for secret in (*BADGE_LABELS, "Morgan", "Sales manager", "Discount over", "approval-panel", "approval-step",
                   "Submitted by", "approval-status"):  # fmt: skip
        assert secret not in seen, f"the customer's page shows {secret!r}"


def _user_id(demo: LiveServer, email: str) -> int:
    with demo.services.sessions.begin() as db:
        return int(db.execute(select(User.id).where(User.email == email)).scalar_one())


def test_a_discount_over_20_is_approved_from_the_inbox_on_a_phone(
    browser: Browser, contexts: list[BrowserContext], demo: LiveServer
) -> None:
    rep = _rep_raises_the_discount(browser, contexts, demo)
    buyer = sign_in(open_context(browser, contexts, phone=True), demo, "buyer@acme.test", ROOM)
    _live(buyer)

    # The rep sees that approval is needed, which step, why and who decides; the customer sees none of it.
    expect(_status(rep)).to_have_text("Needs approval")
    expect(buyer.locator("[data-testid=line-row][data-line-id='l1'] [data-testid=line-discount]")).to_have_value("25")
    _sees_no_approval_state(buyer)
    panel = rep.locator("[data-testid=approval-panel]")
    steps = panel.locator("[data-testid=approval-step]")
    expect(steps).to_have_count(1)
    expect(steps.first).to_have_attribute("data-step-id", MANAGER_STEP)
    expect(steps.first).to_contain_text("Sales manager")
    expect(steps.first.locator("[data-testid=approval-reason]")).to_contain_text("25%")
    expect(panel.locator("[data-testid=approval-summary]")).to_contain_text("Needs approval: Sales manager")
    screenshot(rep, "approval-room-rep-desktop-needed")

    rep.locator("[data-testid=approval-submit]").click()
    expect(_status(rep)).to_have_attribute("data-status", "pending")
    expect(rep.locator("[data-testid=approval-submit]")).to_be_hidden()
    expect(rep.locator("[data-testid=approval-recall]")).to_be_visible()
    waiting = steps.first.locator("[data-testid=approval-waiting]")
    expect(waiting).to_contain_text("Morgan Manager")
    expect(waiting).to_contain_text("since")
    screenshot_of(rep.locator("#panel-approval"), "approval-panel-rep-desktop-pending")

    # The manager, on a phone: the room list links to the inbox with a count; one tap approves.
    manager = sign_in(open_context(browser, contexts, phone=True), demo, "manager@demo.test", "/")
    expect(manager.locator("[data-testid=inbox-count]")).to_have_text("1")
    manager.locator("[data-testid=inbox-link]").tap()
    manager.wait_for_url(f"{demo.url}/inbox")
    item = manager.locator("[data-testid=inbox-item]")
    expect(item).to_have_count(1)
    expect(item).to_contain_text(DEMO_ROOM_TITLE)
    expect(item).to_contain_text("Discount over 20%")
    expect(item.locator("[data-testid=inbox-fact][data-fact=max_line_discount_pct]")).to_contain_text("25%")
    expect(item.locator("[data-testid=inbox-room-link]")).to_have_attribute("href", ROOM)
    screenshot(manager, "approval-inbox-phone")
    item.locator("[data-testid=inbox-approve]").tap()
    expect(manager.locator("[data-testid=inbox-notice]")).to_contain_text("Approved")
    expect(manager.locator("[data-testid=inbox-empty]")).to_be_visible()
    expect(item).to_have_count(0)

    # The rep's room follows live, with who decided; the customer's shows nothing of it.
    expect(_status(rep)).to_have_text("Approved")
    expect(steps.first).to_have_attribute("data-state", "approved")
    expect(steps.first.locator("[data-testid=approval-decision]")).to_contain_text("Morgan Manager")
    expect(rep.locator("[data-testid=approval-recall]")).to_be_hidden()
    screenshot(rep, "approval-room-rep-desktop-approved")
    _sees_no_approval_state(buyer)
    assert buyer.locator("[data-testid=approval-panel]").count() == 0
    screenshot(buyer, "approval-room-customer-phone-approved")

    # Lowered to 22%: the manager's approval of 25% covers it. Still approved, nothing to submit.
    _set_discount(rep, "l1", "22")
    expect(_status(rep)).to_have_text("Approved (covered)")
    expect(_status(rep)).to_have_attribute("data-status", "approved")
    expect(steps.first).to_have_attribute("data-state", "approved")
    expect(steps.first.locator("[data-testid=approval-step-state]")).to_have_text("Approved (covered)")
    expect(steps.first.locator("[data-testid=approval-decision]")).to_contain_text("Morgan Manager")
    expect(steps.first.locator("[data-testid=approval-covers]")).to_contain_text("25%, now 22%")
    expect(rep.locator("[data-testid=approval-submit]")).to_be_hidden()
    screenshot_of(rep.locator("#panel-approval"), "approval-panel-rep-desktop-covered")
    expect(buyer.locator("[data-testid=line-row][data-line-id='l1'] [data-testid=line-discount]")).to_have_value("22")
    _sees_no_approval_state(buyer)

    # Raised to 27%: the approval of 25% does not cover it; the rep submits again.
    _set_discount(rep, "l1", "27")
    expect(_status(rep)).to_have_text("Needs approval")
    expect(steps.first).to_have_attribute("data-state", "needed")
    expect(rep.locator("[data-testid=approval-submit]")).to_be_visible()


def test_two_taps_from_the_mailed_link_without_signing_in(
    browser: Browser, contexts: list[BrowserContext], demo: LiveServer
) -> None:
    rep = _rep_raises_the_discount(browser, contexts, demo)
    with httpx.Client(base_url=demo.url) as api:
        api.post("/api/session", json={"email": "rep@demo.test", "password": DEMO_PASSWORD}).raise_for_status()
        submitted = api.post(
            f"/api/rooms/{DEMO_ROOM_ID}/approvals", headers={"X-CSRF-Token": api.cookies["dealroom_csrf"]}
        )
        assert submitted.status_code == 201, submitted.text
    request_id = submitted.json()["request_id"]
    expect(_status(rep)).to_have_attribute("data-status", "pending")
    token = demo.services.links.make(StepLink(request_id, MANAGER_STEP, _user_id(demo, "manager@demo.test")))

    page = open_context(browser, contexts, phone=True).new_page()
    page.goto(f"{demo.url}/approve/{token}")
    step = page.locator("[data-testid=link-step]")
    expect(step).to_contain_text(DEMO_ROOM_TITLE)
    expect(step).to_contain_text("Discount over 20%")
    expect(step).to_contain_text("25%")
    approve = page.locator("[data-testid=link-approve]")
    expect(approve).to_be_in_viewport()
    screenshot(page, "approval-link-phone")
    approve.tap()
    outcome = page.locator("[data-testid=link-outcome]")
    expect(outcome).to_contain_text("Approved")
    expect(outcome).to_have_attribute("data-outcome", "approved")
    expect(page.locator("[data-testid=link-approve]")).to_have_count(0)
    screenshot(page, "approval-link-phone-approved")
    expect(_status(rep)).to_have_text("Approved")

    # Opened again: already decided, no buttons. A made-up token: said plainly.
    page.reload()
    expect(page.locator("[data-testid=link-outcome]")).to_contain_text("Already approved")
    expect(page.locator("[data-testid=link-approve]")).to_have_count(0)
    page.goto(f"{demo.url}/approve/not-a-real-token")
    expect(page.locator("[data-testid=link-invalid]")).to_contain_text("This link has expired or is not valid")


def test_a_rejection_needs_a_comment_and_the_rep_reads_it(
    browser: Browser, contexts: list[BrowserContext], demo: LiveServer
) -> None:
    rep = _rep_raises_the_discount(browser, contexts, demo)
    rep.locator("[data-testid=approval-submit]").click()
    expect(_status(rep)).to_have_attribute("data-status", "pending")
    manager = sign_in(open_context(browser, contexts), demo, "manager@demo.test", "/inbox")  # at a desk
    item = manager.locator("[data-testid=inbox-item]")
    item.locator("[data-testid=inbox-reject]").click()
    comment = item.locator("[data-testid=inbox-reject-comment]")
    expect(comment).to_be_focused()
    item.locator("[data-testid=inbox-reject-confirm]").click()
    expect(item.locator("[role=alert]")).to_contain_text("comment")
    comment.fill("25% only with a 3-year term")
    # A poll in between (the inbox refetches every 3 s) keeps what is being written: polls run one
    # at a time, so once the second has answered the first has been rendered.
    for _ in range(2):
        with manager.expect_response(lambda r: r.url.endswith("/api/approvals/inbox") and r.ok):
            pass
    expect(comment).to_have_value("25% only with a 3-year term")
    expect(comment).to_be_focused()
    screenshot(manager, "approval-inbox-desktop-rejecting")
    item.locator("[data-testid=inbox-reject-confirm]").click()
    expect(manager.locator("[data-testid=inbox-empty]")).to_be_visible()
    expect(_status(rep)).to_have_attribute("data-status", "rejected")
    decision = rep.locator("[data-testid=approval-decision]")
    expect(decision).to_contain_text("Rejected by Morgan Manager")
    expect(decision).to_contain_text("25% only with a 3-year term")
    expect(rep.locator("[data-testid=approval-submit]")).to_have_text("Submit again")
    screenshot_of(rep.locator("#panel-approval"), "approval-panel-rep-desktop-rejected")
