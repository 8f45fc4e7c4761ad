"""Browser tests: Debian's Chromium driven by Playwright against a real server with the demo data.

A rep at a desk (1280x800) and a customer on a phone (390x844, touch) in two browser contexts. For single
sign-on, a real identity provider (npm oidc-provider, tests/idp) with its own login pages, and a demo server
that signs in there.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Locator, Page, Playwright, sync_playwright

from tests.conftest import test_settings
from tests.support.idp import BoundServer, IdentityProvider, require_idp, sso_server
from tests.support.server import LiveServer
from workspace.demo import DEMO_PASSWORD, seed_demo
from workspace.frontend import DIST

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
REQUIRED = os.environ.get("DEALROOM_TEST_REQUIRE_BROWSER") == "1"
# Chromium as root in a sandbox-less container, without the background traffic this closed network refuses.
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run", "--disable-quic",
]  # fmt: skip
DESKTOP = {"viewport": {"width": 1280, "height": 800}}
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True, "device_scale_factor": 2}


def _missing() -> str | None:
    if not Path(CHROMIUM).exists():
        return f"{CHROMIUM} is missing (apt-get install chromium; the README's test command does it)"
    if not (DIST / "index.html").is_file():
        return "frontend/dist is missing (cd frontend && npm ci && npm run build; the test command does it)"
    return None


# Module scope, not session: the sync API keeps an event loop running in this thread while it is
# open, and the asyncio tests that follow need the thread to themselves.
@pytest.fixture(scope="module")
def playwright() -> Iterator[Playwright]:
    reason = _missing()
    if reason:
        if REQUIRED:
            pytest.fail(reason)
        pytest.skip(reason)
    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="module")
def browser(playwright: Playwright) -> Iterator[Browser]:
    browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@pytest.fixture
def make_demo(sqlite_url: str) -> Iterator[Callable[..., LiveServer]]:
    """Start a server with the demo data and these settings (e.g. max_connections_per_person=2)."""
    servers: list[LiveServer] = []

    def start(**overrides: object) -> LiveServer:
        server = LiveServer(test_settings(sqlite_url, **overrides)).start()
        servers.append(server)
        with server.services.sessions.begin() as db:
            seed_demo(db)
        return server

    yield start
    for server in servers:
        server.stop()


@pytest.fixture
def demo(make_demo: Callable[..., LiveServer]) -> LiveServer:
    return make_demo()


def _staff(email: str, name: str, role: str | None) -> dict[str, object]:
    claims: dict[str, object] = {"email": email, "email_verified": True, "name": name}
    if role is not None:
        claims["dealroom_role"] = role
    return claims


# The people at the identity provider, by the login they type there (their email; any password passes).
SSO_ACCOUNTS = {
    "rep@demo.test": _staff("rep@demo.test", "Riley Rep", "rep"),
    "finance@demo.test": _staff("finance@demo.test", "Frankie Finance", "finance"),
    "nora@demo.test": _staff("nora@demo.test", "Nora Norole", None),
}


@pytest.fixture(scope="module")
def idp_pages() -> Iterator[IdentityProvider]:
    """An identity provider showing its own login pages, as a person in a browser meets them."""
    require_idp()
    provider = IdentityProvider(SSO_ACCOUNTS, dev_pages=True).start()
    yield provider
    provider.stop()


@pytest.fixture
def sso_demo(sqlite_url: str, idp_pages: IdentityProvider) -> Iterator[BoundServer]:
    """The demo data on a server whose sign-in page offers single sign-on at `idp_pages`."""
    server = sso_server(sqlite_url, idp_pages)
    with server.services.sessions.begin() as db:
        seed_demo(db)
    yield server
    server.stop()


@pytest.fixture
def contexts(browser: Browser) -> Iterator[list[BrowserContext]]:
    opened: list[BrowserContext] = []
    yield opened
    for context in opened:
        context.close()


def open_context(browser: Browser, contexts: list[BrowserContext], phone: bool = False) -> BrowserContext:
    context = browser.new_context(**(PHONE if phone else DESKTOP))
    context.set_default_timeout(10_000)
    contexts.append(context)
    return context


def sign_in(context: BrowserContext, server: LiveServer, email: str, next_path: str = "/") -> Page:
    page = context.new_page()
    page.goto(f"{server.url}/signin?next={next_path}")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{server.url}{next_path}")
    return page


def screenshot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def screenshot_of(locator: Locator, name: str) -> None:
    """One part of a page (a panel, a card), as the person sees it."""
    ARTIFACTS.mkdir(exist_ok=True)
    locator.screenshot(path=str(ARTIFACTS / f"{name}.png"))
