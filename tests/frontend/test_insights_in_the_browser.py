"""Deal velocity in the browser (issue 14): a sales manager opens /insights from the app bar on the demo's weeks
of history, sees the charts and where approvals waited, and downloads the CSV; a VP reads it on a phone."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from playwright.sync_api import Browser, BrowserContext, expect

from tests.frontend.conftest import open_context, screenshot, screenshot_of, sign_in
from tests.support.server import LiveServer
from workspace.insights.demo import STORIES
from workspace.insights.report import CSV_HEADER


def test_a_manager_sees_where_deals_waited_and_downloads_the_csv(
    browser: Browser, contexts: list[BrowserContext], demo: LiveServer, tmp_path: Path
) -> None:
    manager = sign_in(open_context(browser, contexts), demo, "manager@demo.test")
    manager.click("[data-testid=insights-link]")
    manager.wait_for_url("**/insights")
    for chart in ("chart-stages", "chart-approvers", "chart-system"):
        canvas = manager.locator(f"[data-testid={chart}] canvas")
        expect(canvas).to_be_visible()
        assert (canvas.bounding_box() or {}).get("height", 0) > 100, f"{chart} is drawn"
    rooms = len(STORIES) + 2  # the demo's history, the Acme room and the rep's second deal (Globex)
    expect(manager.locator("[data-testid=figure-rooms]")).to_contain_text(str(rooms))
    waits = manager.locator("[data-testid=approval-wait]")
    # Longest first: Initech's VP step waited 1.9 days after the manager's approval.
    expect(waits.first).to_contain_text("Initech — Support upgrade")
    expect(waits.first).to_contain_text("waited on Val VP")
    expect(manager.locator("[data-testid=approval-waits]")).to_contain_text("waited on Morgan Manager")
    expect(manager.locator("[data-testid=approval-waits]")).to_contain_text("Frankie Finance")
    expect(manager.locator("[data-testid=insights-reps]")).to_contain_text("Sam Seller")
    screenshot(manager, "insights-manager-desktop")
    screenshot_of(manager.locator("[data-testid=chart-approvers]"), "insights-approvers-chart")

    with manager.expect_download() as downloading:
        manager.click("[data-testid=insights-csv]")
    download = downloading.value
    assert download.suggested_filename.startswith("dealroom-insights-")
    target = tmp_path / download.suggested_filename
    download.save_as(target)
    rows = list(csv.reader(io.StringIO(target.read_text(encoding="utf-8"))))
    assert tuple(rows[0]) == CSV_HEADER and len(rows) == rooms + 1
    umbrella = dict(zip(rows[0], next(r for r in rows if r[1] == "Umbrella — Platform pilot"), strict=True))
    assert umbrella["stage"] == "exported" and umbrella["rounds"] == "2"

    # One rep's rooms: the filter narrows the charts and the download alike.
    manager.select_option("[data-testid=insights-rep]", label="Jordan Closer")
    manager.click(".insights-filters button[type=submit]")
    expect(manager.locator("[data-testid=figure-rooms]")).to_contain_text("3")
    rep_id = manager.url.split("rep=")[1]
    expect(manager.locator("[data-testid=insights-csv]")).to_have_attribute("href", f"/api/insights.csv?rep={rep_id}")

    vp = sign_in(open_context(browser, contexts, phone=True), demo, "vp@demo.test", "/insights")
    expect(vp.locator("[data-testid=chart-system] canvas")).to_be_visible()
    expect(vp.locator("[data-testid=approval-wait]").first).to_be_visible()
    assert vp.evaluate("document.documentElement.scrollWidth") <= 390, "nothing is wider than the phone"
    screenshot(vp, "insights-vp-phone")
