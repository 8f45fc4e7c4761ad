"""The rep's cockpit in the browser: the pipeline's two demo deals with their commission, the what-if in the room
moving the deal into the next tier, and the customer's phone in the same room with no trace of either."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import Browser, BrowserContext, Page, Response, WebSocket, expect

from tests.frontend.conftest import open_context, sign_in
from tests.support.server import LiveServer
from workspace.demo import DEMO_ROOM_ID, DEMO_ROOM_TITLE
from workspace.demo_pipeline import SECOND_ROOM_TITLE

SHOTS = Path("/tmp/shots-pipeline")


def _shot(page: Page, name: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def test_the_rep_sees_the_pipeline_and_tries_a_discount_the_customer_sees_nothing_of_it(
    demo: LiveServer, browser: Browser, contexts: list[BrowserContext]
) -> None:
    rep = sign_in(open_context(browser, contexts), demo, "rep@demo.test", "/pipeline")
    deals = rep.locator("[data-testid=pipeline-deal]")
    expect(deals).to_have_count(2)
    acme = deals.filter(has_text=DEMO_ROOM_TITLE)
    globex = deals.filter(has_text=SECOND_ROOM_TITLE)
    expect(acme.locator("[data-testid=deal-stage]")).to_have_text("Draft")
    expect(globex.locator("[data-testid=deal-stage]")).to_have_text("Negotiating")
    expect(globex).to_contain_text("1 open question")
    for deal in (acme, globex):
        expect(deal.locator("[data-testid=deal-commission]")).to_have_text(re.compile(r"^USD [\d,]+\.\d\d$"))
    expect(acme.locator("[data-testid=deal-move]")).to_contain_text("staying in the 1x tier")
    expect(rep.locator("[data-testid=attainment-chart] canvas")).to_be_visible()
    expect(rep.locator("[data-testid=stage-chart] canvas")).to_be_visible()
    _shot(rep, "pipeline-desktop")

    # Into the room: the what-if under the commission estimate, at list price the deal crosses 100 % of quota.
    acme.locator("[data-testid=deal-link]").click()
    rep.wait_for_url(f"{demo.url}/rooms/{DEMO_ROOM_ID}")
    panel = rep.locator("[data-testid=whatif-panel]")
    expect(panel.locator("[data-testid=whatif-tier] [data-testid=now]")).to_have_text("1x")
    panel.locator("[data-testid=whatif-discount]").fill("0")
    expect(panel.locator("[data-testid=whatif-tier-change]")).to_have_text(
        "At this price the deal moves you from the 1x tier to the 1.5x tier."
    )
    expect(panel.locator("[data-testid=whatif-tier] [data-testid=what-if]")).to_have_text("1.5x")
    _shot(rep, "room-whatif-desktop")
    SHOTS.mkdir(exist_ok=True)
    panel.screenshot(path=str(SHOTS / "whatif-panel.png"))

    # The customer's phone in the same room: no what-if, and nothing of it or of commission on the wire.
    phone = open_context(browser, contexts, phone=True)
    seen: list[str] = []
    frames: list[bytes] = []
    phone.on("request", lambda request: seen.append(request.url))

    def watch(ws: WebSocket) -> None:
        ws.on("framereceived", lambda data: frames.append(data if isinstance(data, bytes) else data.encode()))

    answers: list[Response] = []

    def answered(response: Response) -> None:
        if "/api/rooms/" in response.url and response.status == 200:  # a 204 has no body to read
            answers.append(response)

    phone.on("response", answered)
    buyer = phone.new_page()
    buyer.on("websocket", watch)
    buyer.goto(f"{demo.url}/signin?next=/rooms/{DEMO_ROOM_ID}")
    buyer.fill("input[name=email]", "buyer@acme.test")
    buyer.fill("input[name=password]", "demo-password")
    buyer.click("button[type=submit]")
    buyer.wait_for_url(f"{demo.url}/rooms/{DEMO_ROOM_ID}")
    expect(buyer.locator("[data-testid=connection-state]")).to_have_attribute("data-state", "live")
    expect(buyer.locator("[data-testid=whatif-panel]")).to_have_count(0)
    _shot(buyer, "room-customer-phone")
    assert frames, "the customer's room is live over its socket"
    assert not any("whatif" in url or "pipeline" in url for url in seen), seen
    bodies = [answer.text() for answer in answers]  # the room's own reads, made after the sign-in page left
    assert bodies and not any("commission" in body for body in bodies)
    assert not any(b"commission" in frame or b"whatif" in frame for frame in frames)

    # The rep's pipeline on a phone: a card per deal, the charts within 390 px.
    rep_phone = sign_in(open_context(browser, contexts, phone=True), demo, "rep@demo.test", "/pipeline")
    expect(rep_phone.locator("[data-testid=pipeline-deal]")).to_have_count(2)
    width = rep_phone.evaluate("document.documentElement.scrollWidth")
    wide = rep_phone.evaluate(
        "[...document.querySelectorAll('*')].filter(e => e.getBoundingClientRect().right > 390)"
        ".map(e => e.tagName + '.' + e.className).slice(0, 10)"
    )
    assert width <= 390, f"the page scrolls sideways on a phone ({width} px): {wide}"
    _shot(rep_phone, "pipeline-phone")


def test_a_manager_on_a_phone_sees_where_the_teams_approvals_wait(
    demo: LiveServer, browser: Browser, contexts: list[BrowserContext]
) -> None:
    from tests.frontend.test_approvals_in_the_browser import _rep_raises_the_discount, _status

    rep = _rep_raises_the_discount(browser, contexts, demo)  # 25 % on a line: the sales manager must approve
    rep.locator("[data-testid=approval-submit]").click()
    expect(_status(rep)).to_have_attribute("data-status", "pending")

    manager = sign_in(open_context(browser, contexts, phone=True), demo, "manager@demo.test", "/pipeline")
    manager.locator("[data-testid=team-link]").click()
    manager.wait_for_url("**/pipeline?scope=team")
    waiting = manager.locator("[data-testid=approvals-waiting] li", has_text=DEMO_ROOM_TITLE)
    expect(waiting).to_contain_text("waiting on Morgan Manager")
    expect(waiting).to_contain_text("Riley Rep's deal")
    riley = manager.locator("[data-testid=team-person]", has_text="Riley Rep")
    acme = riley.locator(f"[data-testid=pipeline-deal][data-room-id={DEMO_ROOM_ID}]")
    expect(acme).to_have_attribute("data-stage", "in_approval")
    expect(acme.locator("[data-testid=deal-commission]")).to_contain_text("USD")
    assert manager.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), "no sideways scrolling"
    _shot(manager, "team-pipeline-phone")

    # A rep has no team view: the link is not offered and the API refuses it.
    expect(rep.locator("[data-testid=team-link]")).to_have_count(0)
    answer = rep.request.get(f"{demo.url}/api/pipeline?scope=team")
    assert answer.status == 403
