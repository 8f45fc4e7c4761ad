"""Edit propagation latency of Dealroom against Hocuspocus and pycrdt-websocket, in one run.

    .venv/bin/python bench/sync_latency.py                   # 50 rooms x 4 clients x 5 edits/s, 15 s
    .venv/bin/python bench/sync_latency.py --saturate        # 1 room x 2 clients, ping-pong
    .venv/bin/python bench/sync_latency.py --only dealroom   # skip the peers
    .venv/bin/python bench/sync_latency.py --only dealroom --saturate --profile /tmp/hot.txt  # py-spy of the server

Dealroom runs as `dealroom serve` on a fresh SQLite file with its defaults (synchronous=FULL:
every group commit is fsynced before anyone sees the edit). Peers run with their defaults
(bench/peers.py): Hocuspocus with its SQLite extension (in memory, and on disk), pycrdt-websocket
with SQLiteYStore. The same Node load generator (bench/loadgen.mjs) drives every server. Prints one
JSON line per server, then a table with the ratios Dealroom / peer.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import dealroom_server
from peers import cpu_seconds, free_port, run_loadgen, run_peer, stop


def start_profiler(pid: int, output: str) -> subprocess.Popen[bytes]:
    """py-spy sampling the server for the whole loadgen run: a flame graph for .svg, speedscope JSON for
    .json, else collapsed stacks (one line per stack, count last: `sort -k2 -t' ' -n`)."""
    spy = shutil.which("py-spy") or str(Path(sys.executable).with_name("py-spy"))
    # PYSPY_NATIVE=1 adds the C frames (uvloop, pycrdt, sqlite); py-spy must then pause the process to sample.
    extra = ["--native"] if os.environ.get("PYSPY_NATIVE") else ["--nonblocking"]
    extra += ["--gil"] if os.environ.get("PYSPY_GIL") else []
    kind = "flamegraph" if output.endswith(".svg") else "speedscope" if output.endswith(".json") else "raw"
    return subprocess.Popen([spy, "record", "--pid", str(pid), "--output", output, "--format", kind, *extra])


def stop_profiler(spy: subprocess.Popen[bytes]) -> None:
    spy.send_signal(signal.SIGINT)  # py-spy writes its output on SIGINT
    spy.wait(30)


def run_dealroom(workload: list[str], rooms: int, profile: str | None = None, **settings: str) -> dict:
    with tempfile.TemporaryDirectory(prefix="bench-dealroom-") as tmp:
        work = Path(tmp)
        url = f"sqlite:///{work / 'dealroom.sqlite3'}"
        token = dealroom_server.seed(url, rooms)
        port = free_port()
        process = dealroom_server.start(url, port, work, **settings)
        spy = start_profiler(process.pid, profile) if profile else None
        try:
            cpu0 = cpu_seconds(process.pid)
            args = ["--suffix", "/shared", "--header", f"Authorization: Bearer {token}", *workload]
            result = run_loadgen(f"ws://127.0.0.1:{port}/ws/rooms", args)
            result["cpu_server_s"] = round(cpu_seconds(process.pid) - cpu0, 3)
        finally:
            if spy is not None:
                stop_profiler(spy)
            stop(process)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rooms", type=int, default=50)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--rate", type=float, default=5)
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--saturate", action="store_true")
    parser.add_argument("--only", choices=["dealroom", "peers"])
    parser.add_argument("--synchronous", default="FULL", choices=["FULL", "NORMAL"], help="Dealroom's SQLite mode")
    parser.add_argument("--profile", metavar="FILE", help="record the Dealroom server with py-spy (.svg, .json or raw)")
    args = parser.parse_args()
    rooms = 1 if args.saturate else args.rooms
    # Dealroom's clients may not write `comments` (threads are the server's): every server gets plain text
    # values in a map, Dealroom's `deal` (the rep's bench token writes it).
    workload = ["--seconds", str(args.seconds), "--map", "deal", "--flat"]
    if args.saturate:
        workload += ["--saturate"]
    else:
        workload += ["--rooms", str(args.rooms), "--clients", str(args.clients), "--rate", str(args.rate)]

    results: dict[str, dict] = {}
    if args.only != "peers":
        ours_name = f"dealroom (SQLite, {args.synchronous})"
        limits = {}
        if args.saturate:
            # Saturation is one client sending as fast as it can: the per-connection rate limit
            # (60/s by default, a human's pace) would close it, so it is lifted for this run.
            limits = {"messages_per_second": "1000000", "message_burst": "1000000"}
        elif args.clients > 8:
            # Every load-generator client uses the one bench token: one person, whom the server allows
            # 8 connections per room (DEALROOM_MAX_CONNECTIONS_PER_PERSON) unless told otherwise.
            limits = {"max_connections_per_person": str(args.clients)}
        results[ours_name] = run_dealroom(workload, rooms, args.profile, sqlite_synchronous=args.synchronous, **limits)
        print(json.dumps({"server": "dealroom", **results[ours_name]}), flush=True)
    if args.only != "dealroom":
        for name, peer, disk in (
            ("hocuspocus (SQLite in memory)", "hocuspocus", False),
            ("hocuspocus (SQLite on disk)", "hocuspocus", True),
            ("pycrdt-websocket (SQLiteYStore)", "pycrdt-websocket", False),
        ):
            results[name] = run_peer(peer, workload, disk)
            print(json.dumps(results[name]), flush=True)

    keys = ("delivered", "expected_deliveries", "delivered_per_s", "p50_ms", "p99_ms", "max_ms", "cpu_server_s")
    print()
    print(f"{'server':34}" + "".join(f"{k:>20}" for k in keys))
    for name, result in results.items():
        print(f"{name:34}" + "".join(f"{result.get(k)!s:>20}" for k in keys))
    ours = next((result for name, result in results.items() if name.startswith("dealroom")), None)
    if ours:
        for name, result in results.items():
            if result is ours:
                continue
            ratio = {
                k: round(ours[k] / result[k], 2) if ours.get(k) and result.get(k) else None
                for k in ("p50_ms", "p99_ms", "max_ms", "cpu_server_s")
            }
            print(f"dealroom / {name}: {json.dumps(ratio)}")


if __name__ == "__main__":
    main()
