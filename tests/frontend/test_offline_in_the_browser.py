"""A customer's phone loses its network: its edits wait on the phone (through a reload) and reach the
rep when it is back; meanwhile the rep stops seeing the customer as present."""

from __future__ import annotations

import contextlib
import re
import time
from collections.abc import Iterator

import pytest
from playwright.sync_api import Dialog, Page, expect
from playwright.sync_api import Error as PlaywrightError

from tests.conftest import test_settings as settings_for
from tests.frontend.conftest import open_context, screenshot, screenshot_of, sign_in
from tests.support.server import LiveServer
from workspace.demo import DEMO_ROOM_ID, seed_demo

ROOM = f"/rooms/{DEMO_ROOM_ID}"
# Browsers renew their presence every 15 s (at most 18 s apart), so a live page is never this quiet,
# even on a busy test machine; the production default is 30 s.
CLIENT_TIMEOUT = 24.0


@pytest.fixture
def offline_demo(sqlite_url: str) -> Iterator[LiveServer]:
    server = LiveServer(settings_for(sqlite_url, client_timeout_seconds=CLIENT_TIMEOUT)).start()
    with server.services.sessions.begin() as db:
        seed_demo(db)
    yield server
    server.stop()


def _show(page: Page, tab: str) -> None:
    button = page.locator(f"[data-testid=tab-{tab}]")
    if button.is_visible():
        button.click()


def _row(page: Page, line_id: str):  # type: ignore[no-untyped-def]
    return page.locator(f"[data-testid=line-row][data-line-id='{line_id}']")


def _qty(page: Page, line_id: str):  # type: ignore[no-untyped-def]
    return _row(page, line_id).locator("[data-testid=line-qty]")


def _open_row(page: Page, line_id: str) -> None:
    """On a phone a line is a summary that opens its controls when tapped."""
    summary = _row(page, line_id).locator("[data-testid=line-summary]")
    if summary.count() and summary.is_visible():
        summary.click()


def _timeouts(server: LiveServer) -> float:
    """How many sockets the server closed for silence."""
    return float(server.services.metrics.refused.labels(reason="client_timeout")._value.get())


def test_offline_edits_survive_a_reload_and_reach_the_rep_and_a_silent_phone_leaves_the_presence_list(  # type: ignore[no-untyped-def]
    browser, contexts, offline_demo: LiveServer
) -> None:
    server = offline_demo
    rep = sign_in(open_context(browser, contexts), server, "rep@demo.test", ROOM)
    phone = open_context(browser, contexts, phone=True)
    buyer = sign_in(phone, server, "buyer@acme.test", ROOM)
    for page in (rep, buyer):
        expect(page.locator("[data-testid=connection-state]")).to_have_attribute("data-state", "live")
    customer_here = rep.locator("[data-testid=presence-user]", has_text="Blake Buyer")
    expect(customer_here).to_be_visible()
    _show(buyer, "pricing")
    before = _qty(rep, "l1").input_value()

    # The network goes in the lift. The phone keeps working and says what waits.
    phone.set_offline(True)
    went_offline = time.monotonic()
    expect(buyer.locator("[data-testid=connection-state]")).to_have_attribute("data-state", "offline")
    _open_row(buyer, "l1")
    qty = _qty(buyer, "l1")
    qty.fill("320")
    qty.press("Enter")
    _show(buyer, "terms")
    terms = buyer.locator("[data-testid=terms-editor] .ProseMirror")
    terms.tap()
    buyer.keyboard.press("Control+End")
    buyer.keyboard.type(" Signed in the lift.")
    waiting = buyer.locator("[data-testid=pending-edits]")
    # The quantity and the sentence (and anything the editor wrote that had no answer yet).
    expect(waiting).to_have_text(re.compile(r"^\d+ changes waiting$"))
    assert int((waiting.text_content() or "0").split()[0]) >= 2
    screenshot(buyer, "offline-phone-changes-waiting")
    screenshot_of(buyer.locator(".room-header"), "offline-phone-header")
    assert _qty(rep, "l1").input_value() == before

    # The phone's socket just went quiet (no close reaches the server). The rep's page stops
    # showing the customer once the server gives up on it.
    expect(customer_here).to_have_count(0, timeout=int((CLIENT_TIMEOUT + 10) * 1000))
    gone_after = time.monotonic() - went_offline
    assert gone_after > CLIENT_TIMEOUT / 2, f"dropped after {gone_after:.1f} s: not by the timeout"
    assert _timeouts(server) >= 1
    screenshot(rep, "offline-rep-customer-gone")

    # The phone reloads while still offline: the browser asks first, since changes are waiting.
    # Without a network the page itself cannot load; the changes stay on the phone.
    asks = buyer.evaluate(
        "() => { const e = new Event('beforeunload', { cancelable: true });"
        " dispatchEvent(e); return e.defaultPrevented; }"
    )
    assert asks, "leaving the page with changes waiting does not ask first"
    dialogs: list[str] = []

    def accept(dialog: Dialog) -> None:
        dialogs.append(dialog.type)
        dialog.accept()

    buyer.on("dialog", accept)
    with contextlib.suppress(PlaywrightError):
        buyer.reload()
    assert dialogs == ["beforeunload"], f"dialogs shown: {dialogs}; waiting: {waiting.text_content()!r}"

    # Back online, the room opens again in the same browser and sends what was kept there.
    phone.set_offline(False)
    buyer.goto(f"{server.url}{ROOM}")
    expect(buyer.locator("[data-testid=connection-state]")).to_have_attribute("data-state", "live")
    expect(_qty(rep, "l1")).to_have_value("320")
    expect(rep.locator("[data-testid=terms-editor] .ProseMirror")).to_contain_text("Signed in the lift.")
    expect(buyer.locator("[data-testid=pending-edits]")).to_be_hidden()
    expect(customer_here).to_be_visible()
    shared = rep.request.get(f"{server.url}/api/rooms/{DEMO_ROOM_ID}/snapshot").json()["shared"]
    assert "Signed in the lift." in str(shared["terms"])
    assert next(line for line in shared["lines"] if line["id"] == "l1")["qty"] == 320
    # Nothing is left behind on the phone once the server has it (the copy goes 5 s later).
    _show(buyer, "pricing")
    expect(_qty(buyer, "l1")).to_have_value("320")
    buyer.wait_for_function(
        """async () => !(await indexedDB.databases()).some((db) => db.name.startsWith("dealroom-unsent:"))""",
        timeout=15_000,
    )
    screenshot(rep, "offline-rep-after-reconnect")
