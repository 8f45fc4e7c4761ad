"""Edit propagation latency of Dealroom against Hocuspocus and pycrdt-websocket, in one run.

    .venv/bin/python bench/sync_latency.py                   # 50 rooms x 4 clients x 5 edits/s, 15 s
    .venv/bin/python bench/sync_latency.py --saturate        # 1 room x 2 clients, ping-pong
    .venv/bin/python bench/sync_latency.py --only dealroom   # skip the peers
    .venv/bin/python bench/sync_latency.py --only dealroom --saturate --profile /tmp/hot.txt  # py-spy of the server
    .venv/bin/python bench/sync_latency.py --workers 1,2,4   # PostgreSQL + Redis, scenarios a, sat1, sat20
    .venv/bin/python bench/sync_latency.py --workers 1,2 --crash   # SIGKILL under load: seen edits lost
    .venv/bin/python bench/sync_latency.py --workers 1,2 --plot    # latency vs offered load -> PNG

Without --workers, Dealroom runs as `dealroom serve` on a fresh SQLite file with its defaults
(synchronous=FULL: every group commit is fsynced before anyone sees the edit). Peers run with their defaults
(bench/peers.py): Hocuspocus with its SQLite extension (in memory, and on disk), pycrdt-websocket with
SQLiteYStore.

With --workers N[,N...], the bench starts a throwaway PostgreSQL (scripts/pg-throwaway) and a throwaway
Redis (redis-server, no persistence) and runs `dealroom serve --workers N` with DEALROOM_DATABASE_URL and
DEALROOM_REDIS_URL on them (an empty database per run). The N workers share one port: the kernel spreads the
connections, so the clients of one room land on different workers. Peers in the same run: Hocuspocus alone
(SQLite on disk), Hocuspocus with @hocuspocus/extension-redis on two instances sharing one SQLite file (each
room's clients spread over both), and pycrdt-websocket (SQLiteYStore). Scenarios (--scenarios): a = ROOMS x
CLIENTS x RATE paced; sat1 = 1 room x 2 clients ping-pong; sat20 = 20 rooms x 4 clients, one edit in flight
per room. CPU: `cpu_server_s` sums every server process (uvicorn's supervisor and its workers, both Hocuspocus
instances); `cpu_engines_s` sums the engines the system uses (PostgreSQL's postmaster and backends, Redis).

The same Node load generator (bench/loadgen.mjs) drives every server. Prints one JSON line per server, then a
table with the ratios Dealroom / peer.
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
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import dealroom_server
from engines import Postgres, Redis, free_port, tree_cpu_seconds
from peers import run_loadgen, run_peer

# Dealroom's clients may not write `comments` (threads are the server's): every server gets plain text
# values in a map, Dealroom's `deal` (the rep's bench token writes it).
COMMON = ["--map", "deal", "--flat"]
SCENARIOS = ("a", "sat1", "sat20")
PEERS = ("hocuspocus", "hocuspocus-redis", "pycrdt-websocket")
PEER_NAMES = {
    "hocuspocus": "hocuspocus (SQLite on disk)",
    "hocuspocus-redis": "hocuspocus+redis x2 (SQLite on disk)",
    "pycrdt-websocket": "pycrdt-websocket (SQLiteYStore)",
}


def parse_workers(text: str) -> list[int]:
    """'1,2,4' -> [1, 2, 4]; refuses anything but positive integers."""
    try:
        workers = [int(part) for part in text.split(",") if part.strip()]
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"--workers takes numbers like 1,2,4, not {text!r}") from error
    if not workers or any(n < 1 for n in workers):
        raise argparse.ArgumentTypeError(f"--workers takes positive numbers like 1,2,4, not {text!r}")
    return workers


def parse_list(choices: tuple[str, ...]) -> Any:
    def parse(text: str) -> list[str]:
        items = [part.strip() for part in text.split(",") if part.strip()]
        unknown = [item for item in items if item not in choices]
        if unknown or not items:
            raise argparse.ArgumentTypeError(f"choose from {','.join(choices)}, not {text!r}")
        return items

    return parse


def scenario_workload(scenario: str, args: argparse.Namespace) -> tuple[list[str], int, int]:
    """(loadgen arguments, rooms, clients per room) of a scenario."""
    base = ["--seconds", str(args.seconds), *COMMON]
    if scenario == "sat1":
        return [*base, "--saturate"], 1, 2
    if scenario == "sat20":
        return [*base, "--saturate", "--rooms", "20", "--clients", "4"], 20, 4
    paced = ["--rooms", str(args.rooms), "--clients", str(args.clients), "--rate", str(args.rate)]
    return [*base, *paced], args.rooms, args.clients


def dealroom_limits(saturate: bool, clients: int) -> dict[str, str]:
    if saturate:
        # Saturation is clients sending as fast as they can: the per-connection rate limit (60/s by
        # default, a human's pace) would close them, so it is lifted for this run.
        return {"messages_per_second": "1000000", "message_burst": "1000000"}
    if clients > 8:
        # Every load-generator client uses the one bench token: one person, whom the server allows
        # 8 connections per room (DEALROOM_MAX_CONNECTIONS_PER_PERSON) unless told otherwise.
        return {"max_connections_per_person": str(clients)}
    return {}


def start_profiler(pid: int, output: str, subprocesses: bool = False) -> subprocess.Popen[bytes]:
    """py-spy sampling the server for the whole loadgen run: a flame graph for .svg, speedscope JSON for
    .json, else collapsed stacks (one line per stack, count last: `sort -k2 -t' ' -n`). With subprocesses,
    uvicorn's workers (children of the supervisor) are sampled too."""
    spy = shutil.which("py-spy") or str(Path(sys.executable).with_name("py-spy"))
    # PYSPY_NATIVE=1 adds the C frames (uvloop, pycrdt, sqlite); py-spy must then pause the process to sample.
    extra = ["--native"] if os.environ.get("PYSPY_NATIVE") else ["--nonblocking"]
    extra += ["--gil"] if os.environ.get("PYSPY_GIL") else []
    extra += ["--subprocesses"] if subprocesses else []
    kind = "flamegraph" if output.endswith(".svg") else "speedscope" if output.endswith(".json") else "raw"
    return subprocess.Popen([spy, "record", "--pid", str(pid), "--output", output, "--format", kind, *extra])


def stop_profiler(spy: subprocess.Popen[bytes]) -> None:
    spy.send_signal(signal.SIGINT)  # py-spy writes its output on SIGINT
    spy.wait(30)


def run_dealroom(workload: list[str], rooms: int, profile: str | None = None, **settings: str) -> dict:
    """Dealroom on SQLite (one process), as before issue 13."""
    with tempfile.TemporaryDirectory(prefix="bench-dealroom-") as tmp:
        work = Path(tmp)
        url = f"sqlite:///{work / 'dealroom.sqlite3'}"
        token = dealroom_server.seed(url, rooms)
        port = free_port()
        process = dealroom_server.start(url, port, work, **settings)
        spy = start_profiler(process.pid, profile) if profile else None
        try:
            cpu0 = tree_cpu_seconds(process.pid)
            args = ["--suffix", "/shared", "--header", f"Authorization: Bearer {token}", *workload]
            result = run_loadgen(f"ws://127.0.0.1:{port}/ws/rooms", args)
            result["cpu_server_s"] = round(tree_cpu_seconds(process.pid) - cpu0, 3)
        finally:
            if spy is not None:
                stop_profiler(spy)
            dealroom_server.stop_all(process)
    return result


def run_dealroom_cluster(
    workload: list[str],
    rooms: int,
    workers: int,
    pg: Postgres,
    redis: Redis,
    profile: str | None = None,
    **settings: str,
) -> dict:
    """`dealroom serve --workers N` on an empty PostgreSQL database and an emptied Redis."""
    with tempfile.TemporaryDirectory(prefix="bench-dealroom-") as tmp:
        work = Path(tmp)
        url = pg.new_database()
        token = dealroom_server.seed(url, rooms)
        redis.flush()
        port = free_port()
        try:
            process = dealroom_server.start(url, port, work, workers=workers, redis_url=redis.url, **settings)
        except RuntimeError as error:
            return {"server": "dealroom", "workers": workers, "error": str(error)[-600:]}
        spy = start_profiler(process.pid, profile, subprocesses=workers > 1) if profile else None
        try:
            cpu0 = tree_cpu_seconds(process.pid)
            engines0 = pg.cpu_seconds() + redis.cpu_seconds()
            args = ["--suffix", "/shared", "--header", f"Authorization: Bearer {token}", *workload]
            result = run_loadgen(f"ws://127.0.0.1:{port}/ws/rooms", args)
            result["cpu_server_s"] = round(tree_cpu_seconds(process.pid) - cpu0, 3)
            result["cpu_engines_s"] = round(pg.cpu_seconds() + redis.cpu_seconds() - engines0, 3)
        finally:
            if spy is not None:
                stop_profiler(spy)
            dealroom_server.stop_all(process)
    return {"server": "dealroom", "workers": workers, **result}


def profile_path(profile: str, scenario: str, workers: int) -> str:
    """/tmp/hot.svg -> /tmp/hot-sat1-w2.svg: one profile per scenario and worker count."""
    path = Path(profile)
    return str(path.with_name(f"{path.stem}-{scenario}-w{workers}{path.suffix}"))


def cpu_ms_per_delivery(result: dict) -> float | None:
    delivered, cpu = result.get("delivered"), result.get("cpu_server_s")
    return round(1000 * cpu / delivered, 3) if delivered and cpu is not None else None


def print_table(title: str, results: dict[str, dict]) -> None:
    for result in results.values():
        result.setdefault("cpu_ms_per_delivered", cpu_ms_per_delivery(result))
    keys = ("delivered", "expected_deliveries", "delivered_per_s", "p50_ms", "p99_ms", "max_ms")
    keys += ("cpu_server_s", "cpu_engines_s", "cpu_ms_per_delivered")
    print()
    print(title)
    print(f"{'server':38}" + "".join(f"{k:>21}" for k in keys))
    for name, result in results.items():
        if "error" in result:
            print(f"{name:38} error: {result['error'][:300]}")
            continue
        print(f"{name:38}" + "".join(f"{result.get(k)!s:>21}" for k in keys))
    ratio_keys = ("p50_ms", "p99_ms", "delivered_per_s", "cpu_server_s", "cpu_engines_s", "cpu_ms_per_delivered")
    for ours_name, ours in results.items():
        if not ours_name.startswith("dealroom") or "error" in ours:
            continue
        for name, result in results.items():
            if name.startswith("dealroom") or "error" in result:
                continue
            ratio = {k: round(ours[k] / result[k], 2) if ours.get(k) and result.get(k) else None for k in ratio_keys}
            print(f"{ours_name} / {name}: {json.dumps(ratio)}")


def legacy(args: argparse.Namespace) -> None:
    """The single-process comparison (SQLite), unchanged in what it runs."""
    rooms = 1 if args.saturate else args.rooms
    workload = ["--seconds", str(args.seconds), *COMMON]
    if args.saturate:
        workload += ["--saturate"]
    else:
        workload += ["--rooms", str(args.rooms), "--clients", str(args.clients), "--rate", str(args.rate)]

    results: dict[str, dict] = {}
    if args.only != "peers":
        ours_name = f"dealroom (SQLite, {args.synchronous})"
        limits = dealroom_limits(args.saturate, args.clients)
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
    print_table("saturation, 1 room x 2 clients" if args.saturate else "paced", results)


def run_peer_named(peer: str, workload: list[str], redis: Redis) -> dict:
    if peer == "hocuspocus-redis":
        return {
            **run_peer("hocuspocus", workload, disk=True, redis=redis, instances=2),
            "server": "hocuspocus+redis x2",
        }
    return run_peer(peer, workload, disk=peer == "hocuspocus")


def cluster(args: argparse.Namespace) -> None:
    """Dealroom with N workers on PostgreSQL + Redis beside the peers, scenario by scenario."""
    print(
        f"# Dealroom: `dealroom serve --workers N` for N in {args.workers}, PostgreSQL + Redis; the N workers share "
        "one port and the kernel spreads the connections, so one room's clients land on different workers",
        flush=True,
    )
    every: dict[str, dict[str, dict]] = {}
    with Postgres() as pg, Redis() as redis:
        for scenario in args.scenarios:
            workload, rooms, clients = scenario_workload(scenario, args)
            limits = dealroom_limits(scenario.startswith("sat"), clients)
            results: dict[str, dict] = {}
            if args.only != "peers":
                for n in args.workers:
                    profile = profile_path(args.profile, scenario, n) if args.profile else None
                    result = run_dealroom_cluster(workload, rooms, n, pg, redis, profile, **limits)
                    results[f"dealroom ({n} worker{'s' if n > 1 else ''}, PG+Redis)"] = result
                    print(json.dumps({"scenario": scenario, **result}), flush=True)
            if args.only != "dealroom":
                for peer in args.peers:
                    results[PEER_NAMES[peer]] = result = run_peer_named(peer, workload, redis)
                    print(json.dumps({"scenario": scenario, **result}), flush=True)
            every[scenario] = results
    titles = {
        "a": f"scenario a: {args.rooms} rooms x {args.clients} clients x {args.rate} edits/s, {args.seconds} s",
        "sat1": "saturation: 1 room x 2 clients (ping-pong)",
        "sat20": "saturation: 20 rooms x 4 clients (one edit in flight per room)",
    }
    for scenario, results in every.items():
        print_table(titles[scenario], results)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rooms", type=int, default=50)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--rate", type=float, default=5)
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--saturate", action="store_true", help="without --workers: 1 room x 2 clients")
    parser.add_argument("--only", choices=["dealroom", "peers"])
    parser.add_argument("--synchronous", default="FULL", choices=["FULL", "NORMAL"], help="Dealroom's SQLite mode")
    parser.add_argument("--profile", metavar="FILE", help="record the Dealroom server with py-spy (.svg, .json or raw)")
    parser.add_argument("--workers", type=parse_workers, help="e.g. 1,2,4: Dealroom on PostgreSQL + Redis")
    parser.add_argument("--scenarios", type=parse_list(SCENARIOS), default=list(SCENARIOS), help="with --workers")
    parser.add_argument("--peers", type=parse_list(PEERS), default=list(PEERS), help="with --workers")
    parser.add_argument("--crash", action="store_true", help="SIGKILL under load; count seen edits lost")
    parser.add_argument("--plot", action="store_true", help="sweep the offered load; write the PNG")
    parser.add_argument(
        "--plot-rates",
        type=lambda t: [float(x) for x in t.split(",")],
        default=[1, 2.5, 5, 10, 20],
        help="edits/s per client, one point each (default 1,2.5,5,10,20)",
    )
    parser.add_argument("--plot-rooms", type=int, default=20, help="rooms of the sweep (x 4 clients)")
    parser.add_argument("--plot-seconds", type=float, default=8, help="measured seconds per point")
    parser.add_argument(
        "--out", default=str(Path(__file__).resolve().parent.parent / "docs/benchmarks/sync_latency.png")
    )
    args = parser.parse_args()
    if args.crash or args.plot:
        workers = args.workers or [1]
        with Postgres() as pg, Redis() as redis:
            if args.crash:
                import crash

                crash.run_all(workers, pg, redis, args)
            if args.plot:
                import plot

                plot.run(workers, pg, redis, args)
    elif args.workers:
        cluster(args)
    else:
        legacy(args)


if __name__ == "__main__":
    main()
