"""The invitation link on a phone: it names the deal and who invited before asking for anything, and a
used or expired link says so instead of asking for a password."""

from __future__ import annotations

from datetime import timedelta

import httpx
from playwright.sync_api import Browser, BrowserContext, expect
from sqlalchemy import update

from tests.frontend.conftest import open_context, screenshot
from tests.support.server import LiveServer
from workspace.demo import DEMO_PASSWORD, DEMO_ROOM_ID, DEMO_ROOM_TITLE
from workspace.rooms.models import Invitation
from workspace.storage.base import utcnow


def _invite(demo: LiveServer, email: str, name: str) -> str:
    with httpx.Client(base_url=demo.url) as api:
        api.post("/api/session", json={"email": "rep@demo.test", "password": DEMO_PASSWORD}).raise_for_status()
        made = api.post(
            f"/api/rooms/{DEMO_ROOM_ID}/invitations",
            json={"email": email, "name": name},
            headers={"X-CSRF-Token": api.cookies["dealroom_csrf"]},
        )
        made.raise_for_status()
        return str(made.json()["token"])


def test_the_invitation_names_the_deal_and_a_used_link_says_so(
    browser: Browser, contexts: list[BrowserContext], demo: LiveServer
) -> None:
    token = _invite(demo, "cfo@acme.test", "Casey CFO")
    page = open_context(browser, contexts, phone=True).new_page()
    page.goto(f"{demo.url}/invite/{token}")
    deal = page.locator("[data-testid=invite-deal]")
    expect(deal).to_contain_text(DEMO_ROOM_TITLE)
    expect(deal).to_contain_text("Riley Rep invited you (cfo@acme.test)")
    expect(page.locator("input[name=name]")).to_have_value("Casey CFO")
    screenshot(page, "invitation-open-phone")
    page.fill("input[name=password]", "a-long-enough-password")
    page.click("button[type=submit]")
    page.wait_for_url(f"{demo.url}/rooms/{DEMO_ROOM_ID}")

    # The same link again, from another phone: no password field, the reason and the way in.
    again = open_context(browser, contexts, phone=True).new_page()
    again.goto(f"{demo.url}/invite/{token}")
    closed = again.locator("[data-testid=invite-closed]")
    expect(closed).to_have_attribute("data-status", "used")
    expect(closed).to_contain_text("already been used")
    expect(closed).to_contain_text(DEMO_ROOM_TITLE)
    assert again.locator("input[type=password]").count() == 0
    expect(again.locator("[data-testid=invite-signin]")).to_be_visible()
    screenshot(again, "invitation-used-phone")


def test_an_expired_or_unknown_link_asks_for_nothing(
    browser: Browser, contexts: list[BrowserContext], demo: LiveServer
) -> None:
    token = _invite(demo, "ops@acme.test", "Ops Person")
    with demo.services.sessions.begin() as db:
        db.execute(
            update(Invitation)
            .where(Invitation.email == "ops@acme.test")
            .values(expires_at=utcnow() - timedelta(hours=1))
        )
    page = open_context(browser, contexts, phone=True).new_page()
    page.goto(f"{demo.url}/invite/{token}")
    expect(page.locator("[data-testid=invite-closed]")).to_have_attribute("data-status", "expired")
    expect(page.locator("[data-testid=invite-closed]")).to_contain_text("Ask Riley Rep for a new one")
    assert page.locator("input[type=password]").count() == 0
    page.goto(f"{demo.url}/invite/inv_not-a-real-token")
    expect(page.locator("[data-testid=invite-closed]")).to_contain_text("not valid")
    assert page.locator("input[type=password]").count() == 0


def test_the_invitation_api_tells_what_the_link_is_for(demo: LiveServer) -> None:
    token = _invite(demo, "legal-counsel@acme.test", "Lou Counsel")
    with httpx.Client(base_url=demo.url) as anyone:
        info = anyone.get(f"/api/invitations/{token}")
        assert info.status_code == 200
        assert info.json() | {"expires_at": None} == {
            "status": "open", "room_title": DEMO_ROOM_TITLE, "customer_name": "Acme Corp", "invited_by": "Riley Rep",
            "email": "legal-counsel@acme.test", "name": "Lou Counsel", "has_account": False, "expires_at": None,
        }  # fmt: skip
        assert anyone.get("/api/invitations/inv_unknown").status_code == 404
        # The existing customer's email is known to have an account: the page asks for its password.
        assert anyone.get(f"/api/invitations/{_invite(demo, 'buyer@acme.test', 'Blake')}").json()["has_account"] is True
