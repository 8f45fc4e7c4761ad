"""The mailed approval link on a phone, for a step with a long clause diff: the deal in a line and the
decision come first (Approve without scrolling); why, the facts and the wording follow, folded."""

from __future__ import annotations

import httpx
from playwright.sync_api import Browser, BrowserContext, expect
from sqlalchemy import select

from tests.frontend.conftest import open_context, screenshot, sign_in
from tests.support.server import LiveServer
from workspace.auth.models import User
from workspace.demo import DEMO_PASSWORD, DEMO_ROOM_ID
from workspace.notify.links import StepLink

ROOM = f"/rooms/{DEMO_ROOM_ID}"
LONG_EDIT = " The Vendor's liability for data breaches is unlimited, and it shall also reimburse every cost of " * 6

# The rep's editor appends the text at the end of the liability clause's last paragraph (setup, not under test).
APPEND_TO_LIABILITY = """(text) => {
  const editor = document.querySelector('[data-testid=terms-editor] .ProseMirror').editor;
  let at = null;
  editor.state.doc.descendants((node, pos) => {
    if (node.type.name === 'clause' && node.attrs.clauseId === 'liability') at = pos + node.nodeSize - 2;
    return at === null;
  });
  editor.chain().insertContentAt(at, text).run();
}"""


def test_the_decision_comes_before_a_long_clause_diff(
    browser: Browser, contexts: list[BrowserContext], demo: LiveServer
) -> None:
    rep = sign_in(open_context(browser, contexts), demo, "rep@demo.test", ROOM)
    expect(rep.locator("[data-testid=connection-state]")).to_have_attribute("data-state", "live")
    rep.evaluate(APPEND_TO_LIABILITY, LONG_EDIT)
    expect(rep.locator("section.clause[data-clause-id=liability]")).to_have_attribute("data-status", "non_standard")

    with httpx.Client(base_url=demo.url) as api:
        api.post("/api/session", json={"email": "rep@demo.test", "password": DEMO_PASSWORD}).raise_for_status()
        submitted = api.post(
            f"/api/rooms/{DEMO_ROOM_ID}/approvals", headers={"X-CSRF-Token": api.cookies["dealroom_csrf"]}
        )
        assert submitted.status_code == 201, submitted.text
    request = submitted.json()
    legal_step = next(s for s in request["steps"] if s["name"] == "Legal")
    with demo.services.sessions.begin() as db:
        legal_id = int(db.execute(select(User.id).where(User.email == "legal@demo.test")).scalar_one())
    token = demo.services.links.make(StepLink(request["request_id"], legal_step["id"], legal_id))

    page = open_context(browser, contexts, phone=True).new_page()
    page.goto(f"{demo.url}/approve/{token}")
    summary = page.locator("[data-testid=link-summary]")
    expect(summary).to_contain_text("USD ")
    expect(summary).to_contain_text("12 months")
    expect(summary).to_contain_text("max. discount 15%")
    expect(summary).to_contain_text("Riley Rep asks for Acme Corp")
    # Two taps: the Approve button is on the first screen, above the long wording.
    approve = page.locator("[data-testid=link-approve]")
    expect(approve).to_be_in_viewport(ratio=1)
    details = page.locator("[data-testid=link-details]")
    assert details.evaluate("(d) => !d.open"), "the clause wording should start folded"
    box, details_box = approve.bounding_box(), details.bounding_box()
    assert box and details_box and box["y"] < details_box["y"]
    screenshot(page, "approval-link-phone-clause")
    details.locator("summary").tap()
    expect(page.locator("[data-testid=link-clauses]")).to_contain_text("unlimited")
    approve.tap()
    expect(page.locator("[data-testid=link-outcome]")).to_contain_text("Approved")
