"""Delegation and leavers in real browsers (issue 5): the manager at a desk hands approvals to finance for a
week, finance decides on a phone; an admin deactivates the manager and the VP takes over the waiting step.

The demo policy: a line discount over 20% needs a sales manager (Morgan Manager, who reports to the VP).
"""

from __future__ import annotations

from datetime import date, timedelta

from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.frontend.conftest import open_context, screenshot, screenshot_of, sign_in
from tests.frontend.test_approvals_in_the_browser import _rep_raises_the_discount, _status
from tests.support.server import LiveServer
from workspace.demo import DEMO_ROOM_TITLE


def _rep_submits_25_percent(browser: Browser, contexts: list[BrowserContext], demo: LiveServer) -> Page:
    rep = _rep_raises_the_discount(browser, contexts, demo)
    rep.locator("[data-testid=approval-submit]").click()
    expect(_status(rep)).to_have_attribute("data-status", "pending")
    return rep


def _delegate(page: Page, to: str, start: date | None, until: date) -> None:
    form = page.locator("[data-testid=delegation-form]")
    form.locator("[data-testid=delegation-to]").fill(to)
    if start is not None:
        form.locator("[data-testid=delegation-start]").fill(start.isoformat())
    form.locator("[data-testid=delegation-end]").fill(until.isoformat())
    form.locator("[data-testid=delegation-submit]").click()


def test_a_delegate_decides_on_a_phone_and_the_manager_revokes(
    browser: Browser, contexts: list[BrowserContext], demo: LiveServer
) -> None:
    today = date.today()
    manager = sign_in(open_context(browser, contexts), demo, "manager@demo.test", "/inbox")
    section = manager.locator("[data-testid=delegation-section]")
    expect(section).to_contain_text("Away? Let someone decide for you")
    expect(section.locator("[data-testid=delegation-start]")).to_have_value(today.isoformat())
    items = section.locator("[data-testid=delegation-item]")
    expect(items).to_have_count(0)

    # Until a week from today: the last day is included.
    _delegate(manager, "finance@demo.test", None, today + timedelta(days=7))
    expect(items).to_have_count(1)
    expect(items.first).to_contain_text("You → Frankie Finance")
    expect(items.first).to_have_attribute("data-state", "active")
    expect(items.first).to_contain_text("active")
    expect(items.first.locator("[data-testid=delegation-revoke]")).to_be_visible()
    expect(section.locator("[data-testid=delegation-to]")).to_have_value("")

    # Bad ones show the server's reason and add nothing.
    error = section.locator("[data-testid=delegation-error]")
    _delegate(manager, "finance@demo.test", today + timedelta(days=3), today + timedelta(days=1))
    expect(error).to_contain_text("'ends_at' must be after 'starts_at'")
    expect(items).to_have_count(1)
    _delegate(manager, "ghost@demo.test", today, today + timedelta(days=2))
    expect(error).to_contain_text("must be an active internal user")
    expect(section.locator("[data-testid=delegation-to]")).to_have_attribute("aria-invalid", "true")
    expect(items).to_have_count(1)
    screenshot_of(section, "delegation-inbox-desktop-refused")

    # The rep asks for 25%; finance, on a phone, decides for the manager in one tap.
    _rep_submits_25_percent(browser, contexts, demo)
    finance = sign_in(open_context(browser, contexts, phone=True), demo, "finance@demo.test", "/inbox")
    item = finance.locator("[data-testid=inbox-item]")
    expect(item).to_have_count(1)
    expect(item).to_contain_text(DEMO_ROOM_TITLE)
    expect(item).to_contain_text("on behalf of Morgan Manager")
    received = finance.locator("[data-testid=delegation-item]")
    expect(received).to_have_count(1)
    expect(received).to_contain_text("Morgan Manager → you")
    expect(received.locator("[data-testid=delegation-revoke]")).to_have_count(0)
    screenshot(finance, "delegation-inbox-phone")
    screenshot_of(finance.locator("[data-testid=delegation-section]"), "delegation-section-phone")
    item.locator("[data-testid=inbox-approve]").tap()
    expect(finance.locator("[data-testid=inbox-notice]")).to_contain_text("Approved")
    expect(finance.locator("[data-testid=inbox-empty]")).to_be_visible()

    # The manager takes it back: the list says so, and nothing is left to revoke.
    items.first.locator("[data-testid=delegation-revoke]").click()
    expect(items.first).to_have_attribute("data-state", "revoked")
    expect(items.first).to_contain_text("revoked")
    expect(section.locator("[data-testid=delegation-revoke]")).to_have_count(0)
    screenshot_of(section, "delegation-inbox-desktop-revoked")
    finance.reload()
    expect(finance.locator("[data-testid=delegation-item]")).to_have_attribute("data-state", "revoked")


def test_an_admin_deactivates_the_manager_and_the_vp_takes_over(
    browser: Browser, contexts: list[BrowserContext], demo: LiveServer
) -> None:
    _rep_submits_25_percent(browser, contexts, demo)
    manager = sign_in(open_context(browser, contexts, phone=True), demo, "manager@demo.test", "/inbox")
    expect(manager.locator("[data-testid=inbox-item]")).to_have_count(1)
    expect(manager.locator("[data-testid=people-link]")).to_have_count(0)

    admin = sign_in(open_context(browser, contexts), demo, "admin@demo.test", "/")
    admin.locator("[data-testid=people-link]").click()
    admin.wait_for_url(f"{demo.url}/people")
    people = admin.locator("[data-testid=person]")
    expect(people).to_have_count(8)  # the internal ones (the demo's six and two reps of its history): no customer
    expect(admin.locator("[data-testid=person][data-email='buyer@acme.test']")).to_have_count(0)
    row = admin.locator("[data-testid=person][data-email='manager@demo.test']")
    expect(row).to_contain_text("Morgan Manager")
    expect(row).to_contain_text("Sales manager")
    expect(row.locator("[data-testid=person-state]")).to_have_text("Active")
    expect(row.locator("[data-testid=person-manager]")).to_have_value("vp@demo.test")
    own = admin.locator("[data-testid=person][data-email='admin@demo.test']")
    expect(own.locator("[data-testid=person-deactivate]")).to_have_count(0)

    # A manager is saved on change.
    legal = admin.locator("[data-testid=person][data-email='legal@demo.test']")
    legal.locator("[data-testid=person-manager]").select_option("vp@demo.test")
    expect(admin.locator("[data-testid=people-notice]")).to_contain_text("Lee Legal now reports to Val VP")
    screenshot(admin, "people-desktop")

    # Deactivating asks first, and says what happens.
    row.locator("[data-testid=person-deactivate]").click()
    confirm = row.locator("[data-testid=person-confirm]")
    expect(confirm).to_be_visible()
    expect(confirm).to_contain_text("signed out everywhere")
    expect(confirm).to_contain_text("their manager, Val VP")
    screenshot(admin, "people-desktop-confirm")
    confirm.locator("[data-testid=person-deactivate-confirm]").click()
    expect(row).to_have_attribute("data-active", "false")
    expect(row.locator("[data-testid=person-state]")).to_have_text("Inactive")
    expect(row.locator("[data-testid=person-reactivate]")).to_be_focused()
    expect(admin.locator("[data-testid=people-notice]")).to_contain_text("deactivated")
    expect(
        admin.locator("[data-testid=person][data-email='rep@demo.test'] [data-testid=person-manager-inactive]")
    ).to_be_visible()
    screenshot(admin, "people-desktop-deactivated")

    # The VP, on a phone, has the step now; the manager's browser is signed out.
    vp = sign_in(open_context(browser, contexts, phone=True), demo, "vp@demo.test", "/inbox")
    step = vp.locator("[data-testid=inbox-item]")
    expect(step).to_have_count(1)
    expect(step).to_contain_text(DEMO_ROOM_TITLE)
    expect(step).to_contain_text("Discount over 20%")
    manager.goto(f"{demo.url}/inbox")
    manager.wait_for_url(f"{demo.url}/signin?next=%2Finbox")
    expect(manager.locator("input[name=email]")).to_be_visible()

    # Not for the VP; the admin's phone gets cards.
    vp.goto(f"{demo.url}/people")
    expect(vp.locator("main")).to_contain_text("Only admins manage people")
    expect(vp.locator("[data-testid=person]")).to_have_count(0)
    admin_phone = sign_in(open_context(browser, contexts, phone=True), demo, "admin@demo.test", "/people")
    expect(admin_phone.locator("[data-testid=person]")).to_have_count(8)
    expect(admin_phone.locator("[data-testid=person][data-email='manager@demo.test']")).to_have_attribute(
        "data-active", "false"
    )
    screenshot(admin_phone, "people-phone")
    admin_phone.locator("[data-testid=person][data-email='rep@demo.test'] [data-testid=person-deactivate]").tap()
    screenshot(admin_phone, "people-phone-confirm")
