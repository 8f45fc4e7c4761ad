"""The deal room on two workers: the rep's browser reached one, the customer's phone the other.

Two `dealroom serve` processes (as on two machines behind a load balancer) on one PostgreSQL and one
Redis. The room lives in the worker the rep reached first; the customer's phone is relayed to it. Both
type, both see each other's words and presence, and the customer is still refused what a customer may not do.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.frontend.conftest import open_context, screenshot, sign_in
from tests.support.process import ServerProcess
from tests.workspace.cluster.conftest import Redis, pg_url, redis  # noqa: F401 - fixtures
from workspace.demo import DEMO_ROOM_ID, seed_demo
from workspace.settings import Settings
from workspace.storage.engine import make_engine, make_sessionmaker

ROOM = f"/rooms/{DEMO_ROOM_ID}"


@pytest.fixture
def two_workers(pg_url: str, redis: Redis, tmp_path: Path) -> Iterator[tuple[ServerProcess, ServerProcess]]:  # noqa: F811
    engine = make_engine(Settings(database_url=pg_url))
    with make_sessionmaker(engine).begin() as db:
        seed_demo(db)
    engine.dispose()
    servers = [ServerProcess(pg_url, tmp_path, redis_url=redis.url).start() for _ in range(2)]
    yield servers[0], servers[1]
    for server in servers:
        server.stop()


def _terms(page: Page):  # type: ignore[no-untyped-def]
    return page.locator("[data-testid=terms-editor] .ProseMirror")


def _live(page: Page) -> None:
    expect(page.locator("[data-testid=connection-state]")).to_have_attribute("data-state", "live")


def test_a_rep_and_a_customer_on_two_workers_type_together(browser, contexts, two_workers) -> None:  # type: ignore[no-untyped-def]
    a, b = two_workers
    rep = sign_in(open_context(browser, contexts), a, "rep@demo.test", ROOM)  # type: ignore[arg-type]
    _live(rep)
    buyer = sign_in(open_context(browser, contexts, phone=True), b, "buyer@acme.test", ROOM)  # type: ignore[arg-type]
    _live(buyer)
    tab = buyer.locator("[data-testid=tab-terms]")
    if tab.is_visible():
        tab.click()
    _terms(rep).click()
    rep.keyboard.press("Control+End")
    rep.keyboard.type(" Renewal for 36 months.")
    expect(_terms(buyer)).to_contain_text("Renewal for 36 months.")
    _terms(buyer).tap()
    buyer.keyboard.press("Control+End")
    buyer.keyboard.type(" Acme asks for net 45.")
    expect(_terms(rep)).to_contain_text("Acme asks for net 45.")
    expect(rep.locator("[data-testid=presence-user]", has_text="Blake Buyer")).to_be_visible()
    screenshot(rep, "two-workers-rep")
    screenshot(buyer, "two-workers-buyer-phone")
    # Nothing internal reaches the relayed customer: the internal document is refused to them on worker b too.
    refused = buyer.evaluate(
        """(url) => new Promise((done) => {
            const ws = new WebSocket(url);
            ws.onclose = (event) => done(event.code);
        })""",
        f"ws://127.0.0.1:{b.port}/ws/rooms/{DEMO_ROOM_ID}/internal",
    )
    assert refused == 4403
