"""sync_latency.py --plot: latency (p50, p99) against offered load, Dealroom 1/2 workers beside Hocuspocus.

Sweeps the paced scenario over --plot-rates (edits/s per client) on --plot-rooms rooms x 4 clients, each
point a separate run of --plot-seconds, and writes a PNG (matplotlib) plus the figures as JSON beside it.
The title names the machine: nproc, the CPU model from /proc/cpuinfo, and the date, and how late the load
generator was at worst (its p99 send lag: other work on the machine shows there).

    .venv/bin/python bench/plot.py docs/benchmarks/sync_latency.json   # redraw the PNG from saved figures
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import sys
from pathlib import Path

from engines import Postgres, Redis
from peers import run_peer
from sync_latency import COMMON, dealroom_limits, run_dealroom_cluster

CLIENTS = 4


def machine() -> str:
    model = "unknown CPU"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            model = line.split(":", 1)[1].strip()
            break
    return f"{os.cpu_count()} cores ({model}), {datetime.date.today().isoformat()}"


def sweep(workers: list[int], pg: Postgres, redis: Redis, args: argparse.Namespace) -> dict[str, list[dict]]:
    series: dict[str, list[dict]] = {}
    for rate in args.plot_rates:
        workload = ["--seconds", str(args.plot_seconds), *COMMON]
        workload += ["--rooms", str(args.plot_rooms), "--clients", str(CLIENTS), "--rate", str(rate)]
        offered = args.plot_rooms * CLIENTS * rate
        for n in workers[:2]:
            name = f"dealroom, {n} worker{'s' if n > 1 else ''} (PostgreSQL + Redis)"
            result = run_dealroom_cluster(workload, args.plot_rooms, n, pg, redis, **dealroom_limits(False, CLIENTS))
            series.setdefault(name, []).append({"offered_edits_per_s": offered, **result})
            print(json.dumps({"plot": name, "offered_edits_per_s": offered, **result}), flush=True)
        if args.only != "dealroom":
            name = "hocuspocus 4.7 (SQLite on disk)"
            result = run_peer("hocuspocus", workload, disk=True)
            series.setdefault(name, []).append({"offered_edits_per_s": offered, **result})
            print(json.dumps({"plot": name, "offered_edits_per_s": offered, **result}), flush=True)
    return series


def draw(series: dict[str, list[dict]], out: Path, subtitle: str) -> None:
    import matplotlib
    import matplotlib.ticker

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(9, 5.5), dpi=120)
    colours = ["tab:blue", "tab:green", "tab:orange", "tab:red"]
    for colour, (name, points) in zip(colours, series.items(), strict=False):
        points = [p for p in points if p.get("p50_ms") is not None]
        if not points:
            continue
        x = [p["offered_edits_per_s"] for p in points]
        ax.plot(x, [p["p50_ms"] for p in points], "-o", color=colour, label=f"{name}: p50")
        ax.plot(x, [p["p99_ms"] for p in points], "--s", color=colour, label=f"{name}: p99")
        for p in points:
            if p.get("expected_deliveries") and p["delivered"] < 0.99 * p["expected_deliveries"]:
                share = p["delivered"] / p["expected_deliveries"]
                ax.annotate(
                    f"{share:.0%} delivered",
                    (p["offered_edits_per_s"], p["p99_ms"]),
                    xytext=(-70, 4),
                    textcoords="offset points",
                    fontsize=7,
                )
    ax.set_xscale("log")
    ax.set_yscale("log")
    offered = sorted({p["offered_edits_per_s"] for points in series.values() for p in points})
    ax.set_xticks(offered)
    ax.xaxis.set_minor_locator(matplotlib.ticker.NullLocator())
    for axis in (ax.xaxis, ax.yaxis):
        axis.set_major_formatter(matplotlib.ticker.FuncFormatter(lambda v, _: f"{v:g}"))
    lags = [p["send_lag_p99_ms"] for points in series.values() for p in points if p.get("send_lag_p99_ms") is not None]
    if lags:
        subtitle += f"\nload generator late by up to {max(lags):.0f} ms (p99 send lag of a point)"
    ax.set_xlabel("offered load (edits/s sent, all clients; each edit reaches 3 other clients)")
    ax.set_ylabel("edit propagation latency (ms)")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=7, loc="upper left")
    ax.set_title(f"Edit latency against offered load\n{subtitle}", fontsize=9)
    fig.tight_layout()
    fig.savefig(out)
    plt.close(fig)


def run(workers: list[int], pg: Postgres, redis: Redis, args: argparse.Namespace) -> None:
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)  # before the sweep: a missing folder must not cost a run
    series = sweep(workers, pg, redis, args)
    subtitle = (
        f"{args.plot_rooms} rooms x {CLIENTS} clients, {args.plot_seconds:g} s per point, one Node load generator, "
        f"loopback; {machine()}"
    )
    out.with_suffix(".json").write_text(json.dumps({"machine": subtitle, "series": series}, indent=1) + "\n")
    draw(series, out, subtitle)
    print(f"wrote {out} and {out.with_suffix('.json')}")


if __name__ == "__main__":
    saved = Path(sys.argv[1])
    figures = json.loads(saved.read_text())
    draw(figures["series"], saved.with_suffix(".png"), figures["machine"])
    print(f"wrote {saved.with_suffix('.png')}")
