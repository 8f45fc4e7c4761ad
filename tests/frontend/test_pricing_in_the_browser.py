"""A 100-line deal in the browser: compact rows and a total in sight on a phone, search, refusals next to
the field, money rounded for display, and only what the room's price book can price on offer."""

from __future__ import annotations

import copy
import re
from typing import Any

import httpx
from playwright.sync_api import Locator, Page, expect
from pycrdt import Array, Doc, Map

from tests.frontend.conftest import ARTIFACTS, open_context, screenshot, screenshot_of, sign_in
from tests.support.server import LiveServer
from workspace.demo import DEMO_PASSWORD, DEMO_ROOM_ID
from workspace.pricing.samples import SAMPLE_PRICE_BOOK
from workspace.sync.documents import DocName

ROOM = f"/rooms/{DEMO_ROOM_ID}"
LINES = 100
PHONE_HEIGHT = 844
TIMES = "\u00d7"  # the multiplication sign of the compact row: "250 x $64.60/mo"
IN_VIEW = (
    "el => { const r = el.getBoundingClientRect(); return r.height > 0 && r.top >= 0 && r.bottom <= innerHeight; }"
)
# Products every line can have (no per-line maximum, nothing they exclude), with quantities that give
# graduated tier prices of many decimals ("73.833333" a user a month) and a sub-cent unit price (SMS).
_MIX = [("PLAT-ENT", 300, 12.5), ("ADD-SSO", 250, 15), ("API-PACK", 12, 0), ("STORAGE", 8, 5), ("SMS", 5000, 0)]
# One line only of this product: a search for it must find exactly that line.
UNIQUE = ("TRAIN-SEAT", 12, 0)


def _seed_lines(demo: LiveServer) -> None:
    """Make the demo room a 100-line deal (4 lines there, 96 added as the server, in one update)."""
    extra = [_MIX[i % len(_MIX)] for i in range(LINES - 5)] + [UNIQUE]

    def change(doc: Doc) -> None:
        lines = doc.get("lines", type=Array)
        for index, (sku, qty, discount) in enumerate(extra):
            line = {"id": f"x{index:03d}", "sku": sku, "qty": qty, "discountPct": discount, "locked": False, "note": ""}
            lines.append(Map(line))

    async def write() -> None:
        rooms = demo.services.rooms
        room = await rooms.acquire(DEMO_ROOM_ID, DocName.SHARED)
        try:
            await room.server_write(change)
            demo.services.deriver.changed(room)
        finally:
            rooms.release(DEMO_ROOM_ID, DocName.SHARED)

    demo.call(write())


def _pricing(page: Page) -> None:
    expect(page.locator("[data-testid=connection-state]")).to_have_attribute("data-state", "live")
    tab = page.locator("[data-testid=tab-pricing]")
    if tab.is_visible():
        tab.click()
    expect(page.locator("[data-testid=line-row]")).to_have_count(LINES)
    expect(page.locator("[data-testid=quote-total]")).not_to_have_text("—")


def _in_viewport(locator: Locator) -> bool:
    return bool(locator.evaluate(IN_VIEW))


def _row(page: Page, line_id: str) -> Locator:
    return page.locator(f"[data-testid=line-row][data-line-id='{line_id}']")


def _stored_line(demo: LiveServer, line_id: str) -> dict[str, Any]:
    with httpx.Client(base_url=demo.url) as api:
        api.post("/api/session", json={"email": "rep@demo.test", "password": DEMO_PASSWORD}).raise_for_status()
        lines = api.get(f"/api/rooms/{DEMO_ROOM_ID}/snapshot").json()["shared"]["lines"]
    return next(line for line in lines if line["id"] == line_id)


def test_a_hundred_lines_on_a_phone_are_compact_searchable_and_keep_the_total_in_sight(
    browser, contexts, demo: LiveServer
) -> None:  # type: ignore[no-untyped-def]
    _seed_lines(demo)
    buyer = sign_in(open_context(browser, contexts, phone=True), demo, "buyer@acme.test", ROOM)
    _pricing(buyer)
    screenshot(buyer, "pricing-100-lines-phone")

    # Compact: a line is one or two lines of text, so the whole deal is a few screens, not 44.
    table = buyer.locator("[data-testid=pricing-table]").bounding_box()
    assert table is not None and table["height"] < 12 * PHONE_HEIGHT, table
    heights = [box["height"] for row in buyer.locator("[data-testid=line-row]").all() if (box := row.bounding_box())]
    assert max(heights) <= 80, max(heights)

    # The total stays in sight wherever the person has scrolled to in the lines.
    totals = buyer.locator("[data-testid=quote-totals]")
    total = buyer.locator("[data-testid=quote-total]").inner_text()
    for line_id in ("x010", "x050", "x090"):
        _row(buyer, line_id).scroll_into_view_if_needed()
        assert _in_viewport(totals), f"the total scrolled away at {line_id}"
        expect(buyer.locator("[data-testid=quote-total]")).to_have_text(total)
    buyer.screenshot(path=str(ARTIFACTS / "pricing-100-lines-phone-scrolled.png"))

    # Money is shown in cents: 300 users on graduated tiers, 12.5 % off, cost 64.604167 a month each.
    calc = _row(buyer, "x000").locator("[data-testid=line-summary-calc]")
    expect(calc).to_contain_text(f"300 {TIMES} $64.60/mo")  # 73.833333 less 12.5 % is 64.604167
    # ... except a price under a cent, which would read "$0.01": an SMS is $0.0079.
    expect(_row(buyer, "x004").locator("[data-testid=line-summary-calc]")).to_contain_text("$0.0079")
    shown = [*buyer.locator("[data-testid=line-summary-total]").all_inner_texts(), total]
    assert [amount for amount in shown if not re.search(r"\.\d{2}$", amount)] == []

    # Search finds the one training line among a hundred.
    search = buyer.locator("[data-testid=line-search]")
    search.fill("training")
    expect(buyer.locator("[data-testid=line-row]:visible")).to_have_count(1)
    expect(buyer.locator("[data-testid=line-search-status]")).to_have_text("1 of 100 lines")
    found = _row(buyer, f"x{LINES - 5:03d}")
    expect(found).to_be_visible()
    expect(found.locator("[data-testid=line-summary-name]")).to_have_text("Live training")
    assert _in_viewport(totals)

    # A tap opens the line; a quantity of -5 is refused next to the field, kept as typed, not written.
    found.locator("[data-testid=line-summary]").tap()
    qty = found.locator("[data-testid=line-qty]")
    qty.fill("-5")
    qty.press("Enter")
    problem = found.locator("[data-testid=line-qty-problem]")
    expect(problem).to_have_text("The quantity must be at least 1.")
    expect(qty).to_have_attribute("aria-invalid", "true")
    assert problem.get_attribute("id") in (qty.get_attribute("aria-describedby") or "").split()
    found.locator("[data-testid=line-discount]").click()  # leaving the field keeps what was typed
    expect(qty).to_have_value("-5")
    assert _stored_line(demo, f"x{LINES - 5:03d}")["qty"] == UNIQUE[1]
    screenshot(buyer, "pricing-phone-refused-qty")
    qty.fill("30")
    qty.press("Enter")
    expect(problem).to_be_hidden()
    expect(qty).not_to_have_attribute("aria-invalid", "true")
    expect(found.locator("[data-testid=line-summary-calc]")).to_contain_text(f"30 {TIMES}")
    assert _stored_line(demo, f"x{LINES - 5:03d}")["qty"] == 30

    search.fill("")
    expect(buyer.locator("[data-testid=line-row]:visible")).to_have_count(LINES)


def test_the_rep_at_a_desk_keeps_the_total_in_sight_and_is_told_what_the_price_book_cannot_price(
    browser, contexts, demo: LiveServer
) -> None:  # type: ignore[no-untyped-def]
    _seed_lines(demo)
    rep = sign_in(open_context(browser, contexts), demo, "rep@demo.test", ROOM)
    _pricing(rep)

    totals = rep.locator("[data-testid=quote-totals]")
    _row(rep, "x060").scroll_into_view_if_needed()
    assert _in_viewport(totals), "the total scrolled away on the desktop"
    rep.screenshot(path=str(ARTIFACTS / "pricing-100-lines-desktop-scrolled.png"))
    expect(_row(rep, "x000").locator("[data-testid=line-net]")).to_have_text("$64.60")  # 73.833333 less 12.5 %

    # A discount of 150 is refused next to the field, and nothing is written.
    discount = _row(rep, "x000").locator("[data-testid=line-discount]")
    discount.fill("150")
    discount.press("Enter")
    refusal = _row(rep, "x000").locator("[data-testid=line-discount-problem]")
    expect(refusal).to_have_text("A discount can be at most 100%.")
    expect(discount).to_have_value("150")
    assert _stored_line(demo, "x000")["discountPct"] == 12.5
    discount.press("Escape")
    expect(discount).to_have_value("12.5")

    # The add form refuses a SKU the price book does not have, and a quantity of 0, next to each field.
    rep.fill("[data-testid=new-line-sku]", "NOT-IN-BOOK")
    rep.fill("[data-testid=new-line-qty]", "0")
    rep.click("[data-testid=add-line]")
    sku_problem = rep.locator("[data-testid=new-line-sku-problem]")
    expect(sku_problem).to_contain_text("NOT-IN-BOOK is not in the price book")
    expect(rep.locator("[data-testid=new-line-qty-problem]")).to_have_text("The quantity must be at least 1.")
    expect(rep.locator("[data-testid=new-line-sku]")).to_have_attribute("aria-invalid", "true")
    expect(rep.locator("[data-testid=new-line-sku]")).to_have_value("NOT-IN-BOOK")
    screenshot_of(rep.locator("form.add-line"), "pricing-desktop-refused-sku")
    expect(rep.locator("[data-testid=line-row]")).to_have_count(LINES)
    rep.fill("[data-testid=new-line-sku]", "ps-day")
    rep.fill("[data-testid=new-line-qty]", "3")
    expect(sku_problem).to_be_hidden()
    rep.click("[data-testid=add-line]")
    expect(rep.locator("[data-testid=line-row]")).to_have_count(LINES + 1)
    expect(rep.locator("[data-testid=line-row]").last.locator("[data-testid=line-sku]")).to_have_value("PS-DAY")

    # Only the currencies the price book prices are offered.
    options = rep.locator("[data-testid=deal-currency] option").all_inner_texts()
    assert options == ["USD", "EUR", "GBP", "JPY"], options

    # A room moved to a book without one of its products says its quote is incomplete.
    admin = httpx.Client(base_url=demo.url)
    admin.post("/api/session", json={"email": "admin@demo.test", "password": DEMO_PASSWORD}).raise_for_status()
    csrf = {"X-CSRF-Token": admin.cookies["dealroom_csrf"]}
    smaller = copy.deepcopy(SAMPLE_PRICE_BOOK)
    smaller["products"] = [p for p in smaller["products"] if p["sku"] != "STORAGE"]
    admin.put("/api/pricebook", json=smaller, headers=csrf).raise_for_status()
    admin.post(f"/api/rooms/{DEMO_ROOM_ID}/pricebook/upgrade", headers=csrf).raise_for_status()
    admin.close()
    expect(rep.locator("[data-testid=quote-unpriceable]")).to_contain_text("lines cannot be priced")
    assert _in_viewport(rep.locator("[data-testid=quote-unpriceable]"))
    rep.screenshot(path=str(ARTIFACTS / "pricing-desktop-unpriceable.png"))
