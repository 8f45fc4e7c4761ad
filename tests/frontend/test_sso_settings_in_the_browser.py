"""An admin on a phone requires single sign-on for internal people on the /people page; a rep's password sign-in
is then refused with the server's reason on the sign-in page (a customer's is not), until the admin turns it off.
"""

from __future__ import annotations

from playwright.sync_api import Browser, BrowserContext, Locator, Page, expect

from tests.frontend.conftest import open_context, screenshot, screenshot_of, sign_in
from tests.support.idp import BoundServer
from tests.support.server import LiveServer
from workspace.auth.sso_errors import SsoRequired
from workspace.demo import DEMO_PASSWORD


def _section(admin: Page) -> Locator:
    section = admin.locator("[data-testid=sso-settings]")
    section.scroll_into_view_if_needed()
    expect(section).to_be_visible()
    return section


def _password_sign_in(page: Page, server: LiveServer, email: str) -> None:
    page.goto(f"{server.url}/signin")
    expect(page.locator("[data-testid=sso-link]")).to_be_visible()
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("button[type=submit]")


def test_an_admin_on_a_phone_requires_single_sign_on_and_a_staff_password_is_refused(
    browser: Browser, contexts: list[BrowserContext], sso_demo: BoundServer
) -> None:
    admin = sign_in(open_context(browser, contexts, phone=True), sso_demo, "admin@demo.test", "/people")
    section = _section(admin)
    toggle = section.locator("[data-testid=sso-required]")
    expect(section).to_have_attribute("data-configured", "true")
    issuer = sso_demo.settings.oidc_issuer
    expect(section.locator("[data-testid=sso-provider]")).to_have_text(f"Identity provider: {issuer}")
    expect(section.get_by_role("switch", name="Require single sign-on for internal people")).to_be_visible()
    expect(section.locator("[data-testid=sso-required-help]")).to_contain_text("Customers keep their invitation links")
    expect(toggle).not_to_be_checked()
    expect(toggle).to_be_enabled()
    # The switch's row is a thumb-sized target on the phone.
    row = section.locator(".sso-switch-row").bounding_box()
    assert row is not None and row["height"] >= 44, row
    screenshot_of(section, "sso-settings-phone-off")

    section.locator("label", has_text="Require single sign-on for internal people").tap()
    expect(section.locator("[data-testid=sso-settings-saved]")).to_contain_text("Dealroom refuses staff passwords")
    expect(toggle).to_be_checked()
    expect(section.locator("[data-testid=sso-in-force]")).to_contain_text("single sign-on only")
    expect(section.locator("[data-testid=sso-updated]")).to_contain_text("by you")
    screenshot_of(section, "sso-settings-phone-on")
    screenshot(admin, "sso-settings-people-phone")

    # A rep's password is refused, saying why; the page points to single sign-on.
    rep = open_context(browser, contexts, phone=True).new_page()
    _password_sign_in(rep, sso_demo, "rep@demo.test")
    error = rep.locator("[data-testid=form-error]")
    expect(error).to_have_text(SsoRequired().detail)
    expect(rep.locator("[data-testid=sso]")).to_contain_text("Company staff sign in with single sign-on")
    assert rep.url == f"{sso_demo.url}/signin"
    assert rep.context.request.get(f"{sso_demo.url}/api/me").status == 401
    screenshot(rep, "sso-required-refused-phone")
    # A customer still signs in with a password.
    buyer = open_context(browser, contexts, phone=True).new_page()
    _password_sign_in(buyer, sso_demo, "buyer@acme.test")
    buyer.wait_for_url(f"{sso_demo.url}/")

    # Off again: the rep's password works.
    toggle.tap()
    expect(section.locator("[data-testid=sso-settings-saved]")).to_contain_text("may sign in with a password again")
    expect(toggle).not_to_be_checked()
    rep.locator("input[name=password]").fill(DEMO_PASSWORD)
    rep.click("button[type=submit]")
    rep.wait_for_url(f"{sso_demo.url}/")
    expect(rep.locator(".appbar-name")).to_have_text("Riley Rep")


def test_without_an_identity_provider_the_switch_is_disabled_saying_why(
    browser: Browser, contexts: list[BrowserContext], demo: LiveServer
) -> None:
    admin = sign_in(open_context(browser, contexts, phone=True), demo, "admin@demo.test", "/people")
    section = _section(admin)
    expect(section).to_have_attribute("data-configured", "false")
    expect(section.locator("[data-testid=sso-provider]")).to_have_text("Not set up")
    expect(section.locator("[data-testid=sso-required]")).to_be_disabled()
    expect(section.locator("[data-testid=sso-unavailable]")).to_contain_text("DEALROOM_OIDC_ISSUER")
    screenshot_of(section, "sso-settings-phone-not-configured")
