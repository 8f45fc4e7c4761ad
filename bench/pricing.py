"""Pricing speed: the quote engine on 10, 100 and 1,000 lines, and the time from an edit to the
re-priced totals arriving at another client.

Run: .venv/bin/python bench/pricing.py [--edits 200] [--engine-only]
Prints JSON lines. Engine figures are the median of repeated runs of `price_deal` alone and of
`price_deal` plus both views (what the room writes), wall and process CPU time. The live figure runs a real server
with the sample price book: a rep changes a quantity, another client waits until `computed.quote` carries it.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from _live import live_server, percentiles  # noqa: E402
from pycrdt import Array, Map  # noqa: E402

from tests.support.accounts import add_member, add_user, sign_in  # noqa: E402
from tests.support.yclient import YClient  # noqa: E402
from workspace.pricing import internal_view, price_deal, public_view  # noqa: E402
from workspace.pricing.samples import SAMPLE_INCENTIVE_PLAN, SAMPLE_PRICE_BOOK, sample_book, sample_deal  # noqa: E402


def _median_ms(work: object, repeat: int) -> tuple[float, float]:
    """Median wall and process CPU milliseconds of `work` (CPU: what this process spent, which other work on a
    shared machine does not lengthen the way it lengthens wall time)."""
    walls, cpus = [], []
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        work()  # type: ignore[operator]
        cpus.append((time.process_time() - cpu) * 1000)
        walls.append((time.perf_counter() - wall) * 1000)
    return statistics.median(walls), statistics.median(cpus)


def engine() -> None:
    book = sample_book()
    for lines in (10, 100, 1000):
        deal = sample_deal(lines)
        repeat = 2000 if lines == 10 else 300 if lines == 100 else 60
        quote_ms, quote_cpu = _median_ms(lambda deal=deal: price_deal(deal, book), repeat)

        def with_views(deal=deal) -> None:  # type: ignore[no-untyped-def]
            quote = price_deal(deal, book)
            public_view(quote)
            internal_view(quote)

        views_ms, views_cpu = _median_ms(with_views, repeat)
        print(
            json.dumps(
                {
                    "lines": lines,
                    "price_deal_ms": round(quote_ms, 3),
                    "with_views_ms": round(views_ms, 3),
                    "price_deal_cpu_ms": round(quote_cpu, 3),
                    "with_views_cpu_ms": round(views_cpu, 3),
                    "target_ms_for_1000": 5,
                    "target_with_views_ms_for_1000": 10,
                }
            ),
            flush=True,
        )


async def live(edits: int) -> None:
    with live_server() as server:
        sessions = server.services.sessions
        add_user(sessions, "admin@b.test", "admin")
        add_user(sessions, "rep@b.test", "rep")
        buyer_id = add_user(sessions, "buyer@b.test", "customer")
        admin, rep = sign_in(server.url, "admin@b.test"), sign_in(server.url, "rep@b.test")
        admin.http.put("/api/pricebook", json=SAMPLE_PRICE_BOOK).raise_for_status()
        admin.http.put("/api/incentives/plan", json=SAMPLE_INCENTIVE_PLAN).raise_for_status()
        room = rep.http.post("/api/rooms", json={"title": "Bench", "customer_name": "B"}).json()["id"]
        add_member(sessions, room, buyer_id, "customer")
        buyer = sign_in(server.url, "buyer@b.test")
        async with (
            YClient(server.ws_url(room), rep.bearer) as writer,
            YClient(server.ws_url(room), buyer.bearer) as reader,
        ):

            def qty() -> str | None:
                quote = reader.doc.get("computed", type=Map).get("quote") or {}
                lines = quote.get("lines") or []
                return lines[0]["qty"] if lines else None

            await writer.edit(
                lambda d: d.get("lines", type=Array).append(
                    Map({"id": "a", "sku": "PLAT-ENT", "qty": 100, "discountPct": 5})
                )
            )
            await reader.wait_for(lambda: qty() == "100", 20)
            timings = []
            for i in range(edits):
                target = 101 + i
                started = time.perf_counter()
                await writer.edit(lambda d, t=target: d.get("lines", type=Array)[0].__setitem__("qty", t))
                await reader.wait_for(lambda t=target: qty() == str(t), 20)
                timings.append((time.perf_counter() - started) * 1000)
        print(
            json.dumps(
                {
                    "edit_to_repriced_totals_at_other_client": {
                        "edits": edits,
                        **percentiles(timings),
                        "max_ms": round(max(timings), 2),
                        "reprice_runs": server.services.deriver.runs,
                    }
                }
            ),
            flush=True,
        )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--edits", type=int, default=200)
    parser.add_argument("--engine-only", action="store_true", help="the engine figures, without the live server")
    args = parser.parse_args()
    engine()
    if not args.engine_only:
        asyncio.run(live(args.edits))


if __name__ == "__main__":
    main()
