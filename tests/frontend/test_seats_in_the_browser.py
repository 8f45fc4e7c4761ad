"""A room the server has no place in, in real browsers: one tab too many of one person (4529) and a customer in a
room whose last places are kept for the deal team (4503). The room says why in words, keeps its document and
tries again after a pause (not y-websocket's loop), and gets in once a place frees itself.
"""

from __future__ import annotations

from collections.abc import Callable

from playwright.sync_api import Browser, BrowserContext, Page, WebSocket, expect

from tests.frontend.conftest import ARTIFACTS, open_context, sign_in
from tests.support.server import LiveServer
from workspace.demo import DEMO_ROOM_ID

ROOM = f"/rooms/{DEMO_ROOM_ID}"
# The first retry comes after 5 s ± 20 % (frontend/src/room/refusal.ts, SEAT_RETRY); a little more for the join.
RETRY_MS = 15_000


def _first_screen(page: Page, name: str) -> None:
    """What the person sees without scrolling: the header, the notice, the top of the room."""
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"))


def _live(page: Page) -> None:
    expect(page.locator("[data-testid=connection-state]")).to_have_attribute("data-state", "live")


def _open(context: BrowserContext, server: LiveServer, sockets: list[str] | None = None) -> Page:
    page = context.new_page()
    if sockets is not None:

        def opened(ws: WebSocket) -> None:
            sockets.append(ws.url)

        page.on("websocket", opened)
    page.goto(f"{server.url}{ROOM}")
    return page


def test_one_tab_too_many_says_why_waits_and_gets_in_once_another_closes(
    browser: Browser, contexts: list[BrowserContext], make_demo: Callable[..., LiveServer]
) -> None:
    demo = make_demo(max_connections_per_person=2)
    context = open_context(browser, contexts)
    first = sign_in(context, demo, "rep@demo.test", ROOM)
    _live(first)
    _live(_open(context, demo))

    sockets: list[str] = []
    third = _open(context, demo, sockets)
    notice = third.locator("[data-testid=notice]")
    expect(notice).to_have_attribute("data-tone", "waiting")
    expect(notice).to_contain_text(
        "This room is open in too many of your tabs or devices: you already have 2 connections to this room, the most "
        "one person may have; close one to open another. Trying again in "
    )
    state = third.locator("[data-testid=connection-state]")
    expect(state).to_have_attribute("data-state", "waiting")
    expect(state).to_have_text("Waiting for a place")
    expect(notice.locator("[data-testid=notice-action]")).to_have_text("Try now")
    # The internal notes have their own socket, refused the same way, and say so where they are.
    expect(third.locator(".internal-host [data-testid=seat-wait]")).to_contain_text("you already have 2 connections")
    _first_screen(third, "seats-one-tab-too-many-desktop")

    # A place frees itself: the waiting tab gets in at its next try, without a reload.
    first.close()
    expect(state).to_have_attribute("data-state", "live", timeout=RETRY_MS)
    expect(notice).to_be_hidden()
    expect(third.locator(".internal-host [data-testid=seat-wait]")).to_be_hidden(timeout=RETRY_MS)
    expect(third.locator("[data-testid=terms-editor] .ProseMirror")).to_contain_text("Master Subscription Agreement")
    shared = [url for url in sockets if url.endswith("/shared")]
    # The refused attempt and the one after the pause; y-websocket alone would have tried every 2.5 s at most.
    assert len(shared) == 2, sockets


def test_a_customer_in_a_room_the_team_keeps_places_in_is_told_the_room_is_full_and_the_rep_still_gets_in(
    browser: Browser, contexts: list[BrowserContext], make_demo: Callable[..., LiveServer]
) -> None:
    # Four places, the last two for the deal team: customers together hold two.
    demo = make_demo(max_connections_per_room=4, team_reserved_connections=2)
    buyer_context = open_context(browser, contexts, phone=True)
    _live(sign_in(buyer_context, demo, "buyer@acme.test", ROOM))
    _live(_open(buyer_context, demo))
    third = _open(buyer_context, demo)
    notice = third.locator("[data-testid=notice]")
    expect(notice).to_contain_text(
        "This room is full: this room's last 2 places are kept for the deal team; it already has 2 connections. "
        "Trying again in "
    )
    expect(third.locator("[data-testid=connection-state]")).to_have_text("Waiting for a place")
    _first_screen(third, "seats-room-full-customer-phone")

    rep = sign_in(open_context(browser, contexts), demo, "rep@demo.test", ROOM)
    _live(rep)
    expect(third.locator("[data-testid=connection-state]")).to_have_attribute("data-state", "waiting")
