"""Single sign-on in a real browser: a person opens Dealroom's sign-in page, goes through the identity provider's
own login pages (npm oidc-provider's, tests/idp) and comes back signed in; a refused sign-in ends on the sign-in
page saying why; signing out ends the session here and at the provider.
"""

from __future__ import annotations

import re

from playwright.sync_api import Browser, BrowserContext, Page, expect
from sqlalchemy import update

from tests.frontend.conftest import open_context, screenshot
from tests.support.idp import BoundServer, IdentityProvider
from workspace.auth.models import User
from workspace.auth.sso_errors import REASONS
from workspace.demo import DEMO_ROOM_ID, DEMO_ROOM_TITLE

ROOM = f"/rooms/{DEMO_ROOM_ID}"


def _context(browser: Browser, contexts: list[BrowserContext], phone: bool = False) -> BrowserContext:
    context = open_context(browser, contexts, phone=phone)
    # The provider's pages import a web font; this closed network has none to give.
    context.route("https://fonts.googleapis.com/**", lambda route: route.abort())
    return context


def _start(page: Page, server: BoundServer, idp: IdentityProvider) -> None:
    """Tap "Sign in with single sign-on" and arrive at the provider's login page."""
    link = page.locator("[data-testid=sso-link]")
    expect(link).to_have_text("Sign in with single sign-on")
    link.click()
    page.wait_for_url(f"{idp.issuer}/interaction/**")


def _log_in_at_the_provider(page: Page, idp: IdentityProvider, login: str, name: str) -> None:
    """Fill what the provider's pages ask (its login form; its consent page, should it ask) until the browser
    has left the provider."""
    expect(page.locator("h1")).to_have_text("Sign-in")
    page.fill("input[name=login]", login)
    page.fill("input[name=password]", "whatever the company's password is")
    screenshot(page, f"sso-provider-login-{name}")
    login_page = page.url
    page.locator("button[type=submit]", has_text="Sign-in").click()
    page.wait_for_url(lambda url: url != login_page)
    if page.url.startswith(idp.issuer):
        expect(page.locator("h1")).to_have_text("Authorize")
        page.locator("button[type=submit]", has_text="Continue").click()
    page.wait_for_url(lambda url: not url.startswith(idp.issuer))


def test_a_rep_signs_in_with_single_sign_on_on_a_phone_and_out_again(
    browser: Browser, contexts: list[BrowserContext], sso_demo: BoundServer, idp_pages: IdentityProvider
) -> None:
    context = _context(browser, contexts, phone=True)
    page = context.new_page()
    page.goto(f"{sso_demo.url}/signin")
    sso = page.locator("[data-testid=sso]")
    expect(sso).to_be_visible()
    expect(sso).to_contain_text("or with your email and password")
    # The provider's button comes first and is a full-width, thumb-sized target; the password form stays.
    link = page.locator("[data-testid=sso-link]")
    box = link.bounding_box()
    assert box is not None and box["width"] >= 300 and box["height"] >= 44, box
    password = page.locator("input[name=password]").bounding_box()
    assert password is not None and password["y"] > box["y"]
    screenshot(page, "sso-signin-phone")

    _start(page, sso_demo, idp_pages)
    _log_in_at_the_provider(page, idp_pages, "rep@demo.test", "phone")
    page.wait_for_url(f"{sso_demo.url}/")
    expect(page.locator("[data-testid=room-item]", has_text=DEMO_ROOM_TITLE)).to_be_visible()
    # Phones keep the header to the app's links and "Sign out"; the name is there for wider screens.
    expect(page.locator(".appbar-name")).to_have_text("Riley Rep")
    assert context.request.get(f"{sso_demo.url}/api/me").json()["email"] == "rep@demo.test"
    screenshot(page, "sso-signed-in-phone")

    # Signing out: the provider asks to confirm, then the browser is back on Dealroom's sign-in page.
    page.locator("[data-testid=sign-out]").click()
    page.wait_for_url(f"{idp_pages.issuer}/session/end**")
    screenshot(page, "sso-provider-sign-out-phone")
    page.locator("button", has_text="Sign out").click()
    page.wait_for_url(f"{sso_demo.url}/signin")
    expect(page.locator("[data-testid=sso-link]")).to_be_visible()
    assert context.request.get(f"{sso_demo.url}/api/me").status == 401
    # The provider's session is over too: single sign-on asks for the login again.
    _start(page, sso_demo, idp_pages)
    expect(page.locator("input[name=login]")).to_be_visible()


def test_at_a_desk_single_sign_on_brings_the_rep_to_the_room_they_opened(
    browser: Browser, contexts: list[BrowserContext], sso_demo: BoundServer, idp_pages: IdentityProvider
) -> None:
    page = _context(browser, contexts).new_page()
    page.goto(f"{sso_demo.url}{ROOM}")
    page.wait_for_url(re.compile(re.escape(f"{sso_demo.url}/signin?next=")))
    _start(page, sso_demo, idp_pages)
    _log_in_at_the_provider(page, idp_pages, "rep@demo.test", "desktop")
    page.wait_for_url(f"{sso_demo.url}{ROOM}")
    expect(page.locator("[data-testid=room-title]")).to_have_text(DEMO_ROOM_TITLE)
    expect(page.locator("[data-testid=connection-state]")).to_have_attribute("data-state", "live")
    screenshot(page, "sso-signed-in-room-desktop")
    page.locator(".back-link").click()
    expect(page.locator("[data-testid=room-item]", has_text=DEMO_ROOM_TITLE)).to_be_visible()
    expect(page.locator(".appbar-name")).to_be_visible()
    expect(page.locator(".appbar-name")).to_have_text("Riley Rep")


def _refused_sign_in(
    browser: Browser, contexts: list[BrowserContext], server: BoundServer, idp: IdentityProvider, phone: bool
) -> Page:
    page = _context(browser, contexts, phone=phone).new_page()
    page.goto(f"{server.url}/signin")
    _start(page, server, idp)
    return page


def _says_why(page: Page, server: BoundServer, reason: str) -> None:
    page.wait_for_url(f"{server.url}/signin?sso_error={reason}")
    error = page.locator("[data-testid=form-error]")
    expect(error).to_be_visible()
    expect(error).to_have_text(REASONS[reason][1])
    expect(page.locator("[data-testid=sso-link]")).to_be_visible()  # the way to try again
    assert page.context.request.get(f"{server.url}/api/me").status == 401


def test_a_person_without_a_dealroom_role_is_refused_saying_why(
    browser: Browser, contexts: list[BrowserContext], sso_demo: BoundServer, idp_pages: IdentityProvider
) -> None:
    page = _refused_sign_in(browser, contexts, sso_demo, idp_pages, phone=True)
    _log_in_at_the_provider(page, idp_pages, "nora@demo.test", "norole")
    _says_why(page, sso_demo, "no_role")
    screenshot(page, "sso-refused-no-role-phone")


def test_a_deactivated_person_is_refused_saying_why(
    browser: Browser, contexts: list[BrowserContext], sso_demo: BoundServer, idp_pages: IdentityProvider
) -> None:
    with sso_demo.services.sessions.begin() as db:
        db.execute(update(User).where(User.email == "finance@demo.test").values(is_active=False))
    page = _refused_sign_in(browser, contexts, sso_demo, idp_pages, phone=False)
    _log_in_at_the_provider(page, idp_pages, "finance@demo.test", "deactivated")
    _says_why(page, sso_demo, "deactivated")
    screenshot(page, "sso-refused-deactivated-desktop")


def test_cancelling_at_the_provider_comes_back_saying_so(
    browser: Browser, contexts: list[BrowserContext], sso_demo: BoundServer, idp_pages: IdentityProvider
) -> None:
    page = _refused_sign_in(browser, contexts, sso_demo, idp_pages, phone=True)
    page.locator("a", has_text="Cancel").click()
    _says_why(page, sso_demo, "cancelled")
