"""Learning at the deal's moment, in real browsers: the rep at a desk raises a discount past the policy's
threshold and the price-defense card appears in the room's Guidance panel, with why; the customer, on a phone
in the same room, is shown no card and receives nothing about cards; an admin sees the card was found helpful.
"""

from __future__ import annotations

import contextlib
import json

from playwright.sync_api import Browser, BrowserContext, Page, Response, WebSocket, expect

from tests.frontend.conftest import open_context, screenshot, screenshot_of, sign_in
from tests.support.server import LiveServer
from workspace.demo import DEMO_ROOM_ID
from workspace.enablement.demo import DEMO_CARDS

ROOM = f"/rooms/{DEMO_ROOM_ID}"
PRICE_CARD = "Defending price past the approval threshold"
WHY = "Acme Corp's discount on PLAT-ENT is 32 %, past the 30 % threshold (VP sales)."


def _live(page: Page) -> None:
    expect(page.locator("[data-testid=connection-state]")).to_have_attribute("data-state", "live")


def _card(page: Page, title: str):  # type: ignore[no-untyped-def]
    return page.locator("[data-testid=guidance-card]", has_text=title)


def test_a_discount_past_the_threshold_offers_price_defense_to_the_rep_and_nothing_to_the_customer(
    browser: Browser, contexts: list[BrowserContext], demo: LiveServer
) -> None:
    # The customer's phone, watched from its first request: every API answer, every asset, every frame.
    buyer_context = open_context(browser, contexts, phone=True)
    answers: list[str] = []
    asked: list[str] = []
    frames: list[bytes] = []

    def keep(response: Response) -> None:
        if "/api/" in response.url:
            with contextlib.suppress(Exception):  # a redirect or an aborted request has no body
                answers.append(response.text())

    def watch(ws: WebSocket) -> None:
        ws.on("framereceived", lambda data: frames.append(data if isinstance(data, bytes) else data.encode()))

    def page_opened(page: Page) -> None:
        page.on("response", keep)
        page.on("request", lambda request: asked.append(request.url))
        page.on("websocket", watch)

    buyer_context.on("page", page_opened)
    buyer = sign_in(buyer_context, demo, "buyer@acme.test", ROOM)
    _live(buyer)

    # The rep opens the room: the demo already offers guidance (products they never sold, a competitor named).
    rep = sign_in(open_context(browser, contexts), demo, "rep@demo.test", ROOM)
    _live(rep)
    panel = rep.locator("[data-testid=guidance-panel]")
    expect(panel).to_be_visible()
    expect(_card(rep, "When Globex comes up")).to_contain_text("Globex is named in the internal notes.")
    expect(_card(rep, PRICE_CARD)).to_have_count(0)

    # Past 30 % the VP must approve: the room offers how to defend price, and says why.
    discount = rep.locator("[data-testid=line-row][data-line-id='l1'] [data-testid=line-discount]")
    discount.fill("32")
    discount.press("Enter")
    price = _card(rep, PRICE_CARD)
    expect(price).to_be_visible()
    expect(price.locator("[data-testid=guidance-why]")).to_have_text([WHY])
    screenshot_of(panel, "guidance-price-defense")
    price.locator("[data-testid=guidance-helpful]").click()
    expect(price.locator("[data-testid=guidance-helpful]")).to_have_text("Marked helpful")

    # Back under the threshold, the card goes; the rest stays.
    discount.fill("15")
    discount.press("Enter")
    expect(_card(rep, PRICE_CARD)).to_have_count(0)
    expect(_card(rep, "When Globex comes up")).to_be_visible()

    # The customer saw the discount change live, and nothing of guidance: not on the page, not on the wire.
    expect(buyer.locator("[data-testid=line-row][data-line-id='l1'] [data-testid=line-discount]")).to_have_value("15")
    expect(buyer.locator("[data-testid=guidance-panel]")).to_have_count(0)
    seen = buyer.content()
    traffic = "\n".join(answers) + "\n" + b"\n".join(frames).decode("utf-8", "replace")
    for secret in ("enablement", PRICE_CARD, WHY, "guidance-card", *(card["title"] for card in DEMO_CARDS)):
        assert secret not in seen, f"the customer's page shows {secret!r}"
        assert secret not in traffic, f"the customer's browser received {secret!r}"
    assert not [url for url in asked if "/cards" in url or "/enablement" in url or "/internal-" in url], asked
    screenshot(buyer, "guidance-customer-phone")

    # An admin sees which cards are used.
    admin = sign_in(open_context(browser, contexts), demo, "admin@demo.test", "/enablement")
    used = admin.locator("[data-testid=enablement-card]", has_text=PRICE_CARD)
    expect(used.locator("[data-testid=card-helpful-count]")).to_have_text("1")
    screenshot(admin, "enablement-page")
    assert json.loads(admin.evaluate("() => fetch('/api/enablement/usage').then(r => r.text())"))["usage"]
