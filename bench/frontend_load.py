"""The room page on a phone over a throttled connection: bundle size and time to interactive.

Run: .venv/bin/python bench/frontend_load.py [--profile slow3g|fast3g|none]
Needs the built app (scripts/setup) and /usr/bin/chromium. Prints one JSON line:
- gzipped bytes of the JavaScript the room page loads (entry + the chunks it imports),
- time from navigation to the room being interactive: the terms editor editable and the
  connection live (synced), median of 5 cold loads on a fresh browser context each.
"""

from __future__ import annotations

import argparse
import gzip
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from _live import live_server  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402

from tests.frontend.conftest import CHROMIUM, CHROMIUM_ARGS, PHONE  # noqa: E402
from workspace.demo import DEMO_PASSWORD, DEMO_ROOM_ID, seed_demo  # noqa: E402
from workspace.frontend import DIST  # noqa: E402

# Chrome DevTools' presets: download/upload in bytes per second, latency in ms.
PROFILES = {
    "slow3g": {"downloadThroughput": 500 * 1024 // 8, "uploadThroughput": 500 * 1024 // 8, "latency": 400},
    "fast3g": {"downloadThroughput": 1.6 * 1024 * 1024 // 8, "uploadThroughput": 750 * 1024 // 8, "latency": 150},
    "none": None,
}


def _gzip_size(path: Path) -> int:
    return len(gzip.compress(path.read_bytes(), compresslevel=9))


def bundle_sizes() -> dict[str, int]:
    js = sorted((DIST / "assets").glob("*.js"))
    css = sorted((DIST / "assets").glob("*.css"))
    return {
        "js_files": len(js),
        "js_gzip_total": sum(_gzip_size(p) for p in js),
        "css_gzip_total": sum(_gzip_size(p) for p in css),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--profile", choices=PROFILES, default="fast3g")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    timings: list[float] = []
    transferred: list[int] = []
    with live_server() as server:
        with server.services.sessions.begin() as db:
            seed_demo(db)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            for _ in range(args.runs):
                context = browser.new_context(**PHONE)
                page = context.new_page()
                page.goto(f"{server.url}/signin")
                page.fill("input[name=email]", "buyer@acme.test")
                page.fill("input[name=password]", DEMO_PASSWORD)
                page.click("button[type=submit]")
                page.wait_for_url(f"{server.url}/")
                cdp = context.new_cdp_session(page)
                cdp.send("Network.enable")
                cdp.send("Network.clearBrowserCache")
                profile = PROFILES[args.profile]
                if profile:
                    cdp.send("Network.emulateNetworkConditions", {"offline": False, **profile})
                received: list[int] = []
                cdp.on("Network.loadingFinished", lambda e, r=received: r.append(int(e["encodedDataLength"])))
                started = time.perf_counter()
                page.goto(f"{server.url}/rooms/{DEMO_ROOM_ID}")
                page.locator("[data-testid=connection-state][data-state=live]").wait_for(timeout=60_000)
                page.locator("[data-testid=terms-editor] .ProseMirror[contenteditable=true]").wait_for(timeout=60_000)
                timings.append((time.perf_counter() - started) * 1000)
                transferred.append(sum(received))
                context.close()
            browser.close()
    print(
        json.dumps(
            {
                "profile": args.profile,
                **bundle_sizes(),
                "room_interactive_ms_median": round(statistics.median(timings)),
                "room_interactive_ms_all": [round(t) for t in timings],
                "bytes_transferred_median": int(statistics.median(transferred)),
            }
        )
    )


if __name__ == "__main__":
    main()
