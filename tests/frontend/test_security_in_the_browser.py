"""The app runs whole under its own Content-Security-Policy: no page the rep opens trips it."""

from __future__ import annotations

from playwright.sync_api import Browser, BrowserContext, ConsoleMessage, expect

from tests.frontend.conftest import open_context, sign_in
from tests.support.server import LiveServer
from workspace.demo import DEMO_ROOM_ID


def test_no_page_trips_the_content_security_policy(
    browser: Browser, contexts: list[BrowserContext], demo: LiveServer
) -> None:
    context = open_context(browser, contexts)
    violations: list[str] = []

    def watch(message: ConsoleMessage) -> None:
        if "Content Security Policy" in message.text or "Content-Security-Policy" in message.text:
            violations.append(message.text)

    context.on("console", watch)
    context.on("page", lambda page: page.on("console", watch))
    page = sign_in(context, demo, "rep@demo.test", f"/rooms/{DEMO_ROOM_ID}")
    expect(page.locator("[data-testid=connection-state]")).to_have_attribute("data-state", "live")
    expect(page.locator("[data-testid=terms-editor] .ProseMirror")).to_contain_text("Confidentiality")
    for path in ("/", "/inbox", "/library"):
        page.goto(demo.url + path)
        expect(page.locator("main").first).to_be_visible()
    assert violations == []
    # And the page cannot be framed by another site.
    assert (
        page.evaluate("() => fetch('/').then((r) => r.headers.get('content-security-policy'))").count(
            "frame-ancestors 'none'"
        )
        == 1
    )
