"""Running Dealroom without curl (issue 14): the admin changes a price in the price book editor, sees the diff
and saves a new version; previews a policy change against the demo room before saving it; then a rep on a
phone opens a room from a template and finds its lines (at the new price) and its clauses there."""

from __future__ import annotations

from playwright.sync_api import Browser, BrowserContext, expect

from tests.frontend.conftest import open_context, screenshot, sign_in
from tests.support.server import LiveServer
from workspace.demo import DEMO_ROOM_ID


def test_admin_edits_prices_and_policy_and_a_rep_starts_a_room_from_a_template(
    browser: Browser, contexts: list[BrowserContext], demo: LiveServer
) -> None:
    admin = sign_in(open_context(browser, contexts), demo, "admin@demo.test", "/admin/pricebook")
    expect(admin.locator("[data-testid=pricebook-version]")).to_contain_text("Version 1")
    admin.locator("[data-testid=product-filter]").fill("PS-ONBOARD")
    product = admin.locator("[data-testid=product-edit][data-sku='PS-ONBOARD']")
    product.locator("summary").click()
    price = product.locator("[data-testid=price-prices-USD]")
    expect(price).to_have_value("7500.00")
    price.fill("abc")  # the server's problem shows on the product and the field; nothing can be saved
    expect(product.locator("[data-testid=product-problems]")).to_contain_text("prices.USD")
    expect(price).to_have_attribute("aria-invalid", "true")
    expect(admin.locator("[data-testid=pricebook-save]")).to_be_disabled()
    price.fill("8000.00")
    diff = admin.locator("[data-testid=pricebook-diff]")
    change = diff.locator("[data-sku='PS-ONBOARD'] [data-field='prices.USD']")
    expect(change).to_have_text("USD list price: 7500.00 → 8000.00")
    expect(admin.locator("[data-testid=pricebook-diff-summary]")).to_have_text("1 changed")
    expect(price).to_have_attribute("aria-invalid", "false")
    screenshot(admin, "admin-pricebook-diff-desktop")
    admin.locator("[data-testid=pricebook-save]").click()
    saved = admin.locator("[data-testid=pricebook-saved-diff]")
    expect(saved.locator("[data-field='prices.USD']")).to_have_text("USD list price: 7500.00 → 8000.00")
    expect(admin.locator("[data-testid=pricebook-version]")).to_contain_text("Version 2")
    expect(admin.locator("[data-testid=audit-item]").first).to_contain_text("Ada Admin saved price book version 2")

    # The policy: the manager's threshold moved from 20% to 5% and previewed on the demo room (10-15% off).
    admin.locator("[data-testid=admin-nav-policy]").click()
    rule = admin.locator("[data-testid=policy-rule][data-rule-id='discount-over-20']")
    when = rule.locator("[data-testid=rule-when]")
    expect(when).to_have_value("max_line_discount_pct > 20")
    when.fill("max_line_discount_pct >> 5")
    expect(admin.locator("[data-testid=policy-validity]")).to_contain_text("problem")
    expect(rule.locator(".rule-problems")).to_contain_text("when")
    when.fill("max_line_discount_pct > 5")
    expect(admin.locator("[data-testid=policy-validity]")).to_contain_text("Valid: 4 rules")
    admin.locator("[data-testid=policy-preview-room]").select_option(DEMO_ROOM_ID)
    admin.locator("[data-testid=policy-preview]").click()
    draft = admin.locator("[data-testid=preview-draft]")
    expect(draft).to_contain_text("Sales manager")
    expect(draft).to_contain_text("Asks: Morgan Manager")
    expect(admin.locator("[data-testid=preview-saved]")).not_to_contain_text("Morgan Manager")
    screenshot(admin, "admin-policy-preview-desktop")

    # A rep on a phone opens a room from the "New logo" template.
    rep = sign_in(open_context(browser, contexts, phone=True), demo, "rep@demo.test")
    rep.locator("[data-testid=new-room-title]").fill("Globex — first deal")
    rep.locator("[data-testid=new-room-customer]").fill("Globex")
    rep.locator("[data-testid=new-room-template]").select_option(label="New logo (New business)")
    screenshot(rep, "admin-new-room-template-phone")
    rep.locator("[data-testid=new-room-submit]").click()
    rows = rep.locator("[data-testid=line-row]")
    expect(rows).to_have_count(3)
    expect(rows.first).to_contain_text("Platform Professional")
    onboarding = rep.locator("[data-testid=line-row]", has_text="Onboarding package")
    expect(onboarding).to_contain_text("$8,000.00")  # the price book's new version
    clauses = rep.locator("[data-testid=terms-editor] section.clause")
    expect(clauses).to_have_count(6)
    expect(clauses.first).to_have_attribute("data-clause-id", "subscription")
    screenshot(rep, "admin-room-from-template-phone")
