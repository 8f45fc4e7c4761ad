"""Clauses in two real browsers (stories 5 and 6): legal publishes a clause in the library, the rep puts it
in the terms, the customer on a phone rewrites a word of it, the rep's room flags it with the diff, the
export is refused until legal has approved, then the contract downloads; the rep swaps in a fallback."""

from __future__ import annotations

from pathlib import Path

import httpx
from playwright.sync_api import Browser, BrowserContext, Locator, Page, expect

from tests.frontend.conftest import ARTIFACTS, open_context, screenshot, screenshot_of, sign_in
from tests.support.server import LiveServer
from workspace.demo import DEMO_PASSWORD, DEMO_ROOM_ID

ROOM = f"/rooms/{DEMO_ROOM_ID}"
TITLE = "Acceptable use"
TEXT = (
    "{{customer.name}} shall use the Service only for lawful purposes.\n\n"
    "{{customer.name}} shall not send unsolicited bulk messages through the Service."
)
FALLBACK = (
    "{{customer.name}} shall use the Service only for lawful purposes.\n\n"
    "{{customer.name}} shall not knowingly send unsolicited bulk messages through the Service."
)
WHEN = "The customer cannot control what its own users send."


def _live(*pages: Page) -> None:
    for page in pages:
        expect(page.locator("[data-testid=connection-state]")).to_have_attribute("data-state", "live")


def _show(page: Page, tab: str) -> None:
    """On a phone the room is tabbed; on a desktop the tab bar is hidden and everything is shown."""
    button = page.locator(f"[data-testid=tab-{tab}]")
    if button.is_visible():
        button.click()


def _block(page: Page, clause_id: str) -> Locator:
    return page.locator(f"[data-testid=terms-editor] section.clause[data-clause-id='{clause_id}']")


def _chip(page: Page, clause_id: str) -> Locator:
    return _block(page, clause_id).locator("[data-testid=clause-status]")


def _screenshot_at(page: Page, locator: Locator, name: str) -> None:
    """What the person sees with `locator` near the top of the screen (below the sticky bars)."""
    locator.evaluate("el => window.scrollTo(0, el.getBoundingClientRect().top + window.scrollY - 120)")
    page.wait_for_timeout(300)  # smooth scrolling of the panel, if any, settles
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"))


def _api(demo: LiveServer, email: str) -> httpx.Client:
    client = httpx.Client(base_url=demo.url)
    client.post("/api/session", json={"email": email, "password": DEMO_PASSWORD}).raise_for_status()
    client.headers["X-CSRF-Token"] = client.cookies["dealroom_csrf"]
    return client


def _legal_publishes_a_clause(browser: Browser, contexts: list[BrowserContext], demo: LiveServer) -> str:
    legal = sign_in(open_context(browser, contexts), demo, "legal@demo.test", "/library")
    expect(legal.locator("[data-testid=library-clause]").first).to_be_visible()
    legal.click("[data-testid=clause-new]")
    # The server's problems show next to the form, each with its path.
    legal.click("[data-testid=clause-form-submit]")
    problems = legal.locator("[data-testid=clause-form] [data-testid=clause-form-problems]")
    expect(problems).to_be_visible()
    assert problems.locator("li").count() >= 2, problems.inner_text()
    expect(legal.locator("[data-testid=clause-form-key]")).to_have_attribute("aria-invalid", "true")
    screenshot(legal, "clauses-library-form-problems-desktop")
    legal.fill("[data-testid=clause-form-key]", "acceptable_use")
    legal.fill("[data-testid=clause-form-title]", TITLE)
    legal.fill("[data-testid=clause-form-category]", "use")
    legal.fill("[data-testid=clause-form-text]", TEXT)
    legal.click("[data-testid=clause-form-add-fallback]")
    legal.fill("[data-testid=clause-form-fallback-text]", FALLBACK)
    legal.fill("[data-testid=clause-form-fallback-when]", WHEN)
    legal.select_option("[data-testid=clause-form-approval]", "legal")
    legal.click("[data-testid=clause-form-submit]")
    expect(legal.locator("[data-testid=clause-form]")).to_have_count(0)
    card = legal.locator("[data-testid=library-clause]", has_text=TITLE)
    expect(card.locator("[data-testid=clause-version]")).to_have_attribute("data-status", "draft")
    card.locator("[data-testid=clause-publish]").click()
    expect(card.locator("[data-testid=clause-version]")).to_have_attribute("data-status", "published")
    expect(card.locator("[data-testid=library-fallback]")).to_contain_text(WHEN)
    # Search as you type finds it by its text.
    legal.fill("[data-testid=library-search]", "unsolicited bulk")
    expect(legal.locator("[data-testid=library-clause]")).to_have_count(1)
    clause_id = card.get_attribute("data-clause-id")
    assert clause_id
    return clause_id


def test_library_to_room_to_export(browser: Browser, contexts: list[BrowserContext], demo: LiveServer) -> None:
    clause_id = _legal_publishes_a_clause(browser, contexts, demo)

    # The library on a phone, as legal reads it.
    legal_phone = sign_in(open_context(browser, contexts, phone=True), demo, "legal@demo.test", "/library")
    legal_phone.fill("[data-testid=library-search]", "unsolicited bulk")
    expect(legal_phone.locator("[data-testid=library-clause]")).to_have_count(1)
    screenshot(legal_phone, "clauses-library-phone")

    # This story is about the customer's edit needing legal: the room takes customer changes directly (as
    # before issue 12; in a room that proposes, the export would first wait for the rep's decision).
    rep_api = _api(demo, "rep@demo.test")
    rep_api.patch(f"/api/rooms/{DEMO_ROOM_ID}", json={"customer_changes": "direct"}).raise_for_status()
    rep_api.close()

    # The rep puts it into the terms, pinned to the version legal published.
    rep = sign_in(open_context(browser, contexts), demo, "rep@demo.test", ROOM)
    buyer = sign_in(open_context(browser, contexts, phone=True), demo, "buyer@acme.test", ROOM)
    _live(rep, buyer)
    rep.click("[data-testid=clause-insert]")
    rep.fill("[data-testid=clause-picker-search]", "Acceptable")
    expect(rep.locator("[data-testid=clause-pick]")).to_have_count(1)
    screenshot(rep, "clauses-picker-desktop")
    rep.locator(f"[data-testid=clause-pick][data-clause-id='{clause_id}']").click()
    expect(_block(rep, clause_id)).to_have_attribute("data-version", "1")
    expect(_chip(rep, clause_id)).to_have_attribute("data-status", "standard")
    # Variables show the deal's current values.
    expect(_block(rep, clause_id).locator("[data-testid=clause-variable]").first).to_have_text("Acme Corp")

    # The customer rewrites a word of it on the phone.
    _show(buyer, "terms")
    expect(_chip(buyer, clause_id)).to_have_attribute("data-status", "standard")
    second = _block(buyer, clause_id).locator(".clause-body p").nth(1)
    second.tap()
    # The caret to the end of the paragraph (End would stop at the end of the wrapped line).
    second.evaluate(
        "p => { const r = document.createRange(); r.selectNodeContents(p); r.collapse(false);"
        " const s = getSelection(); s.removeAllRanges(); s.addRange(r); }"
    )
    for _ in "Service.":
        buyer.keyboard.press("Backspace")
    buyer.keyboard.type("Platform.")
    expect(second).to_contain_text("through the Platform.")

    # The rep's room flags it and shows the word diff against the library text.
    expect(_chip(rep, clause_id)).to_have_attribute("data-status", "non_standard")
    expect(_chip(rep, clause_id)).to_have_text("Non-standard")
    _chip(rep, clause_id).click()
    panel = _block(rep, clause_id).locator("[data-testid=clause-panel]")
    expect(panel).to_be_visible()
    diff = panel.locator("[data-testid=clause-diff]")
    expect(diff.locator("del")).to_contain_text("Service")
    expect(diff.locator("ins")).to_contain_text("Platform")
    expect(panel.locator("[data-testid=clause-fallback]")).to_have_count(1)
    expect(panel.locator("[data-testid=clause-fallback]")).to_contain_text(WHEN)
    _screenshot_at(rep, _block(rep, clause_id), "clauses-room-rep-desktop-non-standard")
    screenshot_of(_block(rep, clause_id), "clauses-room-rep-desktop-panel")

    # The customer sees the flag and the diff, never legal's fallbacks, notes or approvers.
    expect(_chip(buyer, clause_id)).to_have_attribute("data-status", "non_standard")
    _chip(buyer, clause_id).tap()
    buyer_panel = _block(buyer, clause_id).locator("[data-testid=clause-panel]")
    expect(buyer_panel.locator("[data-testid=clause-diff] ins")).to_contain_text("Platform")
    assert buyer_panel.locator("[data-testid=clause-fallback], [data-testid=clause-use-fallback]").count() == 0
    assert WHEN not in buyer.content()
    _screenshot_at(buyer, _block(buyer, clause_id), "clauses-room-customer-phone-non-standard")
    _screenshot_at(buyer, buyer_panel, "clauses-room-customer-phone-panel")

    # Export before approval: refused, with what is missing.
    rep.click("[data-testid=export-docx]")
    missing = rep.locator("[data-testid=export-missing]")
    expect(missing).to_be_visible()
    expect(missing).to_contain_text("Legal")
    expect(rep.locator("[data-testid=export-list] [data-testid=export-item]")).to_have_count(0)
    screenshot_of(rep.locator(".export"), "clauses-export-missing-desktop")

    # The rep keeps the customer's wording and asks legal (HTTP API); legal reads the words in the inbox
    # (the diff against the library, not just a category) and approves in one tap.
    rep_api = _api(demo, "rep@demo.test")
    try:
        submitted = rep_api.post(f"/api/rooms/{DEMO_ROOM_ID}/approvals")
        assert submitted.status_code == 201, submitted.text
        request = submitted.json()
        assert [s["id"] for s in request["steps"]] == ["legal-clauses"], request
    finally:
        rep_api.close()
    legal = sign_in(open_context(browser, contexts), demo, "legal@demo.test", "/inbox")
    wording = legal.locator("[data-testid=inbox-item] [data-testid=inbox-clauses]")
    expect(wording).to_contain_text("Acceptable use")
    expect(wording.locator("ins")).to_have_text("Platform.")
    expect(wording.locator("del")).to_have_text("Service.")
    screenshot_of(legal.locator("[data-testid=inbox-item]"), "clauses-legal-inbox-desktop")
    legal.click("[data-testid=inbox-item] [data-testid=inbox-approve]")
    expect(legal.locator("[data-testid=inbox-item]")).to_have_count(0)

    first = _download(rep)
    assert first.startswith(b"PK")
    expect(missing).to_be_hidden()
    items = rep.locator("[data-testid=export-list] [data-testid=export-item]")
    expect(items).to_have_count(1)

    # Later the rep swaps in legal's fallback in one tap; the export needs no approval for it.
    panel.locator("[data-testid=clause-use-fallback]").click()
    expect(_chip(rep, clause_id)).to_have_attribute("data-status", "fallback")
    expect(_chip(rep, clause_id)).to_have_text("Fallback 1")
    expect(_chip(buyer, clause_id)).to_have_text("Fallback 1")
    expect(_block(buyer, clause_id)).to_contain_text("shall not knowingly send")
    rep.check("[data-testid=export-redline]")
    redline = _download(rep)
    assert redline.startswith(b"PK")
    expect(items).to_have_count(2)
    expect(items.first).to_contain_text("with redline")
    _screenshot_at(rep, rep.locator(".export"), "clauses-room-rep-desktop-exported")

    # And back to the standard text.
    panel.locator("[data-testid=clause-restore]").click()
    expect(_chip(rep, clause_id)).to_have_attribute("data-status", "standard")
    expect(_chip(buyer, clause_id)).to_have_attribute("data-status", "standard")


def _download(page: Page) -> bytes:
    with page.expect_download() as info:
        page.click("[data-testid=export-docx]")
    download = info.value
    assert download.suggested_filename.endswith(".docx"), download.suggested_filename
    path = download.path()
    assert path is not None
    content = Path(path).read_bytes()
    assert len(content) > 1000
    return content


def test_a_new_version_is_offered_to_rooms_in_flight(
    browser: Browser, contexts: list[BrowserContext], demo: LiveServer
) -> None:
    added = "Either party may seek urgent interim relief in any competent court."
    legal = sign_in(open_context(browser, contexts), demo, "legal@demo.test", "/library")
    card = legal.locator("[data-testid=library-clause][data-clause-id='governing_law']")
    card.locator("[data-testid=clause-new-version]").click()
    text = card.locator("[data-testid=clause-form-text]")
    expect(text).not_to_have_value("")
    text.fill(f"{text.input_value()}\n\n{added}")
    card.locator("[data-testid=clause-form-submit]").click()
    expect(card.locator("[data-testid=clause-version][data-version='2']")).to_have_attribute("data-status", "draft")
    card.locator("[data-testid=clause-publish]").click()
    expect(card.locator("[data-testid=clause-version][data-version='2']")).to_have_attribute("data-status", "published")
    expect(card.locator("[data-testid=library-clause-text]")).to_contain_text(added)

    # The room keeps version 1 (publishing never changes a room in flight) and offers the upgrade.
    rep = sign_in(open_context(browser, contexts), demo, "rep@demo.test", ROOM)
    buyer = sign_in(open_context(browser, contexts, phone=True), demo, "buyer@acme.test", ROOM)
    _live(rep, buyer)
    block = _block(rep, "governing_law")
    expect(block).to_have_attribute("data-version", "1")
    expect(_chip(rep, "governing_law")).to_have_attribute("data-status", "standard")
    expect(block.locator("[data-testid=clause-newer]")).to_have_text("Version 2 available")
    _chip(rep, "governing_law").click()
    block.locator("[data-testid=clause-upgrade]").click()
    expect(block).to_have_attribute("data-version", "2")
    expect(block).to_contain_text(added)
    expect(_chip(rep, "governing_law")).to_have_attribute("data-status", "standard")
    expect(block.locator("[data-testid=clause-newer]")).to_have_count(0)
    # The customer sees the new wording, and never the upgrade offer.
    _show(buyer, "terms")
    expect(_block(buyer, "governing_law")).to_contain_text(added)
    assert buyer.locator("[data-testid=clause-newer], [data-testid=clause-upgrade]").count() == 0


def test_an_upgrade_keeps_what_the_room_negotiated(
    browser: Browser, contexts: list[BrowserContext], demo: LiveServer
) -> None:
    rep = sign_in(open_context(browser, contexts), demo, "rep@demo.test", ROOM)
    buyer = sign_in(open_context(browser, contexts, phone=True), demo, "buyer@acme.test", ROOM)
    _live(rep, buyer)
    # The customer negotiates 36-month renewals in the term clause (version 1).
    _show(buyer, "terms")
    sentence = _block(buyer, "term_termination").locator("p", has_text="successive periods of 12 months")
    sentence.get_by_text("successive periods of 12 months").scroll_into_view_if_needed()
    sentence.evaluate(
        """(p) => { const w = document.createTreeWalker(p, NodeFilter.SHOW_TEXT);
        for (let n = w.nextNode(); n; n = w.nextNode()) { const i = n.data.indexOf('of 12 months');
          if (i >= 0) { const r = document.createRange(); r.setStart(n, i + 3); r.setEnd(n, i + 5);
            const s = getSelection(); s.removeAllRanges(); s.addRange(r); return; } } }"""
    )
    buyer.keyboard.type("36")
    buyer.evaluate("document.activeElement.blur()")  # the customer's caret (and its name label) leaves the text
    expect(_block(rep, "term_termination")).to_contain_text("successive periods of 36 months")
    expect(_chip(rep, "term_termination")).to_have_attribute("data-status", "non_standard")

    # Legal publishes version 2: a longer notice period.
    legal = _api(demo, "legal@demo.test")
    v1 = legal.get("/api/clauses/term_termination").json()["versions"][0]["text"]
    assert "at least 60 days" in v1
    legal.post(
        "/api/clauses/term_termination/versions", json={"text": v1.replace("at least 60 days", "at least 90 days")}
    ).raise_for_status()
    legal.post("/api/clauses/term_termination/versions/2/publish").raise_for_status()

    legal.close()

    rep.reload()
    _live(rep)
    block = _block(rep, "term_termination")
    # "Version 2 available" is the way to the upgrade, and it shows both sides' changes.
    block.locator("[data-testid=clause-newer]").click()
    section = block.locator("[data-testid=clause-upgrade-section]")
    expect(section).to_contain_text("v1 → v2")
    expect(section.locator(".diff-ins", has_text="90")).to_be_visible()
    expect(section.locator(".diff-ins", has_text="36")).to_be_visible()
    _screenshot_at(rep, section, "clauses-upgrade-keeps-edits-desktop")
    section.locator("[data-testid=clause-upgrade]").click()

    expect(block).to_have_attribute("data-version", "2")
    for page in (rep, buyer):
        text = _block(page, "term_termination")
        expect(text).to_contain_text("successive periods of 36 months")
        expect(text).to_contain_text("at least 90 days")
    # Against version 2 the room's 36 months is still a deviation, and it says so.
    expect(_chip(rep, "term_termination")).to_have_attribute("data-status", "non_standard")
    expect(block.locator("[data-testid=clause-newer]")).to_have_count(0)
