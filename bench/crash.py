"""The crash scenario of sync_latency.py --crash: SIGKILL under load, then count seen edits that are gone.

bench/crashcheck.mjs edits (10 rooms x 2 clients x 5 edits/s, a new key per edit), says "KILL"; this side
SIGKILLs, restarts what a process manager would restart, and says "restarted"; crashcheck then checks with a
fresh client per room that every value a client had received from the server is still there. Cases:

- dealroom N workers, one worker: SIGKILL one worker process (a child of uvicorn's supervisor, which starts
  a new one); the clients reconnect to the same port, served by the other workers. Needs N >= 2.
- dealroom N workers, whole server: SIGKILL the supervisor and every worker at once, start
  `dealroom serve --workers N` again on the same database, Redis and port.
- hocuspocus (SQLite on disk): SIGKILL the process, start it again on the same file and port.
- hocuspocus+redis x2: SIGKILL one of the two instances, start it again on the same port.
- pycrdt-websocket (SQLiteYStore): SIGKILL, start again on the same file and port.

`lost_gone_group` (rooms whose clients vanished with the server) is the server's own durability;
`lost_reconnect_group` is what is gone even though clients reconnected and sent back what they held.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import dealroom_server
from engines import Postgres, Redis, descendants, free_port
from peers import start_peer, stop

BENCH = Path(__file__).resolve().parent
ROOMS, CLIENTS, RATE, LOAD, AFTER = 10, 2, 5, 8, 4


def crashcheck(urls: list[str], extra: list[str], kill: Callable[[], None], restart: Callable[[], None]) -> dict:
    """Run crashcheck.mjs against urls; at its "KILL" call kill(), then restart(); return its JSON result."""
    cmd = ["node", str(BENCH / "crashcheck.mjs"), "--url", ",".join(urls), *extra]
    cmd += ["--rooms", str(ROOMS), "--clients", str(CLIENTS), "--rate", str(RATE), "--load", str(LOAD)]
    cmd += ["--after", str(AFTER), "--map", "deal"]
    proc = subprocess.Popen(cmd, cwd=BENCH, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert proc.stdin and proc.stdout
    result: dict = {"error": "crashcheck ended without a result"}
    restart_s = None
    try:
        for line in proc.stdout:
            line = line.strip()
            if line == "KILL":
                t0 = time.monotonic()
                kill()
                proc.stdin.write("killed\n")
                proc.stdin.flush()
                restart()
                proc.stdin.write("restarted\n")
                proc.stdin.flush()
                restart_s = round(time.monotonic() - t0, 3)
            elif line.startswith("{"):
                result = json.loads(line)
        proc.wait(120)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    return {**result, "restart_s": restart_s}


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except FileNotFoundError:
        return ""


def workers_of(supervisor: int) -> list[int]:
    """uvicorn's worker processes under the supervisor (multiprocessing's resource tracker left out)."""
    found = [pid for pid in descendants(supervisor) if "resource_tracker" not in _cmdline(pid)]
    spawned = [pid for pid in found if "spawn_main" in _cmdline(pid) or "multiprocessing-fork" in _cmdline(pid)]
    return spawned or found


def dealroom_case(workers: int, whole: bool, pg: Postgres, redis: Redis) -> dict:
    with tempfile.TemporaryDirectory(prefix="bench-crash-dealroom-") as tmp:
        work = Path(tmp)
        url = pg.new_database()
        token = dealroom_server.seed(url, ROOMS)
        redis.flush()
        port = free_port()
        state = {"process": dealroom_server.start(url, port, work, workers=workers, redis_url=redis.url)}
        killed: list[int] = []

        def kill() -> None:
            if whole:
                killed.append(state["process"].pid)
                dealroom_server.kill_all(state["process"])
            else:
                found = workers_of(state["process"].pid)
                if not found:
                    raise RuntimeError("no worker process under `dealroom serve`'s supervisor")
                victim = found[0]
                killed.append(victim)
                os.kill(victim, signal.SIGKILL)

        def restart() -> None:
            if whole:
                state["process"] = dealroom_server.start(url, port, work, workers=workers, redis_url=redis.url)

        extra = ["--suffix", "/shared", "--header", f"Authorization: Bearer {token}"]
        try:
            result = crashcheck([f"ws://127.0.0.1:{port}/ws/rooms"], extra, kill, restart)
        finally:
            dealroom_server.stop_all(state["process"])
    return result


def peer_case(name: str, pg: Postgres, redis: Redis, with_redis: bool = False) -> dict:
    with tempfile.TemporaryDirectory(prefix=f"bench-crash-{name}-") as tmp:
        work = Path(tmp)
        instances = 2 if with_redis else 1
        redis_url = redis.url if with_redis else None
        if with_redis:
            redis.flush()
        ports = [free_port() for _ in range(instances)]
        procs = [start_peer(name, p, work, disk=True, redis_url=redis_url) for p in ports]

        def kill() -> None:
            procs[0].send_signal(signal.SIGKILL)
            procs[0].wait()

        def restart() -> None:
            procs[0] = start_peer(name, ports[0], work, disk=True, redis_url=redis_url)

        extra = ["--protocol", "hocuspocus"] if name == "hocuspocus" else []
        try:
            return crashcheck([f"ws://127.0.0.1:{p}" for p in ports], extra, kill, restart)
        finally:
            for proc in procs:
                stop(proc)


def run_all(workers: list[int], pg: Postgres, redis: Redis, args: argparse.Namespace) -> None:
    print(
        f"# crash: {ROOMS} rooms x {CLIENTS} clients x {RATE} edits/s (a new key per edit), SIGKILL after {LOAD} s; "
        "even rooms: clients vanish with the server (gone group); odd rooms: clients reconnect and resync",
        flush=True,
    )
    rows: dict[str, dict] = {}
    cases: list[tuple[str, Callable[[], dict]]] = []
    if args.only != "peers":
        for n in workers:
            label = f"dealroom ({n} worker{'s' if n > 1 else ''}, PG+Redis)"
            if n >= 2:
                cases.append((f"{label}: one worker killed", lambda n=n: dealroom_case(n, False, pg, redis)))
            cases.append((f"{label}: whole server killed", lambda n=n: dealroom_case(n, True, pg, redis)))
    if args.only != "dealroom":
        cases.append(("hocuspocus (SQLite on disk): killed, restarted", lambda: peer_case("hocuspocus", pg, redis)))
        cases.append(
            ("hocuspocus+redis x2: one instance killed, restarted", lambda: peer_case("hocuspocus", pg, redis, True))
        )
        cases.append(("pycrdt-websocket: killed, restarted", lambda: peer_case("pycrdt-websocket", pg, redis)))
    for label, case in cases:
        try:
            rows[label] = case()
        except RuntimeError as error:
            rows[label] = {"error": str(error)[-600:]}
        print(json.dumps({"crash": label, **rows[label]}), flush=True)
    print()
    keys = ("seen_gone_group", "lost_gone_group", "seen_reconnect_group", "lost_reconnect_group", "reconnect_max_s")
    print(f"{'crash case':56}" + "".join(f"{k:>22}" for k in keys))
    for label, row in rows.items():
        if "error" in row:
            print(f"{label:56} error: {row['error'][:300]}")
        else:
            print(f"{label:56}" + "".join(f"{row.get(k)!s:>22}" for k in keys))
