"""Two people type in one paragraph at once, each in a browser process of their own.

The rep at a desk clicks into the confidentiality clause and types; at the same moment the customer on
a phone taps into the same paragraph and types, both at a human pace (110-200 ms a key). Every word
must come out whole, where it was typed, on both screens, in the server's document too.
"""

from __future__ import annotations

import random
import threading
import time
from dataclasses import dataclass, field

import httpx
from playwright.sync_api import Page, expect, sync_playwright

from tests.frontend.conftest import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, DESKTOP, PHONE, _missing
from tests.support.server import LiveServer
from workspace.demo import DEMO_PASSWORD, DEMO_ROOM_ID

ROOM = f"/rooms/{DEMO_ROOM_ID}"
PARAGRAPH = "Each party shall keep"
TIMEOUT_S = 20.0

# The terms' text as the person reads it: no caret labels, clause chips or panels.
READ_TERMS = """() => {
  const copy = document.querySelector('[data-testid=terms-editor] .ProseMirror').cloneNode(true);
  copy.querySelectorAll('.collab-caret, .clause-bar, .clause-panel').forEach((e) => e.remove());
  return copy.innerText;
}"""
# Where on screen the text right after `needle` is (the caret goes there on a click).
POINT_AFTER = """(needle) => {
  const root = document.querySelector('[data-testid=terms-editor] .ProseMirror');
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    if (n.parentElement.closest('.collab-caret')) continue;
    const i = n.data.indexOf(needle);
    if (i < 0) continue;
    const r = document.createRange();
    r.setStart(n, i + needle.length);
    r.setEnd(n, i + needle.length);
    const b = r.getBoundingClientRect();
    return { x: b.left, y: b.top + b.height / 2 };
  }
  return null;
}"""
DOC_JSON = "() => JSON.stringify(document.querySelector('[data-testid=terms-editor] .ProseMirror').editor.getJSON())"


@dataclass
class Typist:
    email: str
    phone: bool
    seed: int
    rounds: list[tuple[str, str]]  # (type after this text, these words)
    page: Page | None = None
    error: BaseException | None = None
    texts: list[str] = field(default_factory=list)
    docs: list[str] = field(default_factory=list)


def _open(page: Page, server: LiveServer, typist: Typist) -> None:
    page.goto(f"{server.url}/signin?next={ROOM}")
    page.fill("input[name=email]", typist.email)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{server.url}{ROOM}")
    expect(page.locator("[data-testid=connection-state]")).to_have_attribute("data-state", "live")
    tab = page.locator("[data-testid=tab-terms]")
    if tab.is_visible():
        tab.click()
    page.locator("[data-testid=terms-editor] .ProseMirror p", has_text=PARAGRAPH).scroll_into_view_if_needed()


def _all_there(page: Page, expected: list[str]) -> str:
    """Poll until the page shows every expected run of text; return the terms as read."""
    deadline = time.monotonic() + TIMEOUT_S
    text = ""
    while time.monotonic() < deadline:
        text = page.evaluate(READ_TERMS)
        if all(e in text for e in expected):
            return text
        page.wait_for_timeout(50)
    return text


def _run(
    server: LiveServer, typist: Typist, start: threading.Barrier, done: threading.Barrier, expected: list[list[str]]
) -> None:
    rng = random.Random(typist.seed)
    try:
        with sync_playwright() as p:  # a Chromium process of its own
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_context(**(PHONE if typist.phone else DESKTOP)).new_page()
            page.set_default_timeout(10_000)
            _open(page, server, typist)
            for round_no, (anchor, words) in enumerate(typist.rounds):
                start.wait(timeout=60)
                point = page.evaluate(POINT_AFTER, anchor)
                assert point, f"{anchor!r} is not on {typist.email}'s screen"
                if typist.phone:
                    page.touchscreen.tap(point["x"], point["y"])
                else:
                    page.mouse.click(point["x"], point["y"])
                for ch in " " + words:
                    page.keyboard.type(ch)
                    time.sleep(rng.uniform(0.11, 0.2))  # a person's typing pace, not a wait for an event
                typist.texts.append(_all_there(page, expected[round_no]))
                done.wait(timeout=60)  # both have typed and seen everything
                typist.docs.append(page.evaluate(DOC_JSON))
                page.screenshot(
                    path=str(ARTIFACTS / f"cotyping-{'phone' if typist.phone else 'desktop'}-{round_no + 1}.png")
                )
            browser.close()
    except BaseException as exc:  # reported by the test thread
        typist.error = exc
        start.abort()
        done.abort()


def test_two_people_typing_in_one_paragraph_lose_no_word(demo: LiveServer) -> None:
    reason = _missing()
    assert reason is None, reason
    ARTIFACTS.mkdir(exist_ok=True)
    # Each round both type into the same paragraph at once, at places a few words apart; in the last
    # round the customer types where the rep's words of the first round went.
    rep = Typist("rep@demo.test", phone=False, seed=1, rounds=[
        ("Confidential Information", "alpha bravo charlie delta"),
        ("to perform this Agreement,", "echo foxtrot golf hotel"),
        ("they remain trade secrets", "india juliet kilo lima"),
    ])  # fmt: skip
    buyer = Typist("buyer@acme.test", phone=True, seed=2, rounds=[
        ("confidential,", "quickly yellow zebra violin"),
        ("and disclose it", "umbrella walnut xylophone"),
        ("alpha bravo", "oscar papa romeo"),
    ])  # fmt: skip
    expected = [
        [f"{a} {w}" for a, w in (rep.rounds[i], buyer.rounds[i])] for i in range(3)
    ]  # each typist's words right after the place they clicked
    start, done = threading.Barrier(2), threading.Barrier(2)
    threads = [threading.Thread(target=_run, args=(demo, t, start, done, expected)) for t in (rep, buyer)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=180)
    for typist in (rep, buyer):
        if typist.error:
            raise typist.error

    for round_no in range(3):
        for typist in (rep, buyer):
            shown = typist.texts[round_no]
            for run in expected[round_no]:
                assert run in shown, f"round {round_no + 1}: {typist.email}'s screen lacks {run!r}"
        assert rep.docs[round_no] == buyer.docs[round_no], (
            f"round {round_no + 1}: the two editors hold different documents"
        )
    # The server's document, which everyone loads next, says the same.
    with httpx.Client(base_url=demo.url) as client:
        client.post("/api/session", json={"email": "rep@demo.test", "password": DEMO_PASSWORD}).raise_for_status()
        stored = client.get(f"/api/rooms/{DEMO_ROOM_ID}/snapshot").json()["shared"]["terms"]
    for run in (*expected[0][1:], *expected[1], *expected[2]):
        assert run in stored, f"the server's document lacks {run!r}"
    final = rep.texts[-1]
    assert final.count("alpha bravo oscar papa romeo charlie delta") == 1
    for words in (
        "quickly yellow zebra violin",
        "echo foxtrot golf hotel",
        "umbrella walnut xylophone",
        "india juliet kilo lima",
    ):
        assert final.count(words) == 1, f"{words!r} appears {final.count(words)} times"
