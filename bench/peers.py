"""Run the loadgen workload against peer y-websocket servers (and optionally a target).

    .venv/bin/python bench/peers.py -- --rooms 50 --clients 4 --rate 5 --seconds 15
    .venv/bin/python bench/peers.py --peer hocuspocus -- --saturate --seconds 10
    .venv/bin/python bench/peers.py --target ws://127.0.0.1:8000/ws \\
        --target-header "Authorization: Bearer X" --target-suffix /shared -- --rooms 50 --seconds 15

Arguments after "--" are the workload, passed unchanged to every loadgen run. Each peer is
started on a free loopback port, awaited ("ready PORT"), benchmarked, and stopped. One JSON
line is printed per server (loadgen's output plus "server" and "cpu_server_s", the server
process's CPU seconds over the whole loadgen run); with --target, a final line gives the
target/peer ratios of the latency percentiles and of delivered/s.

Python use: run_peer("hocuspocus", ["--rooms", "5"]) -> dict; run_loadgen(url, args) -> dict;
run_peer("hocuspocus", args, disk=True, redis=engines.Redis(), instances=2): Hocuspocus with its Redis
extension on two Node processes sharing one SQLite file, each room's clients spread over both.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from engines import free_port, tree_cpu_seconds

BENCH = Path(__file__).resolve().parent
PYTHON = sys.executable
PEERS = ("hocuspocus", "pycrdt-websocket")


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


def run_loadgen(url: str, args: list[str], timeout: float = 600) -> dict:
    """Run loadgen.mjs against url and return its JSON result."""
    cmd = ["node", str(BENCH / "loadgen.mjs"), "--url", url, *args]
    proc = subprocess.run(cmd, cwd=BENCH, capture_output=True, text=True, timeout=timeout)
    lines = proc.stdout.strip().splitlines()
    try:
        return json.loads(lines[-1])
    except (IndexError, json.JSONDecodeError):
        return {"error": f"loadgen exit {proc.returncode}", "stderr": proc.stderr[-2000:]}


def start_peer(name: str, port: int, workdir: Path, disk: bool, redis_url: str | None = None) -> subprocess.Popen:
    if name == "hocuspocus":
        cmd = ["node", str(BENCH / "peers/hocuspocus.mjs"), "--port", str(port)]
        if disk:
            cmd += ["--db", str(workdir / "hocuspocus.sqlite")]
        if redis_url:
            cmd += ["--redis", redis_url]
    elif name == "pycrdt-websocket":
        script = BENCH / "peers/pycrdt_websocket_server.py"
        cmd = [PYTHON, str(script), "--port", str(port), "--db", str(workdir / "ystore.db")]
    else:
        raise ValueError(f"unknown peer {name!r}; choose from {PEERS}")
    logfile = workdir / f"{name}-{port}-{time.monotonic_ns()}.log"  # one per start (a restart gets its own)
    log = open(logfile, "w")  # noqa: SIM115 - closed with the process
    proc = subprocess.Popen(cmd, cwd=BENCH, stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if f"ready {port}" in logfile.read_text():
            return proc
        if proc.poll() is not None:
            break
        time.sleep(0.05)
    stop(proc)
    raise RuntimeError(f"{name} did not become ready:\n{logfile.read_text()[-2000:]}")


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def run_peer(name: str, args: list[str], disk: bool = False, redis: Any = None, instances: int = 1) -> dict:
    """Start peer `name`, run the loadgen workload `args` against it, stop it, return the result.

    With `redis` (an engines.Redis), Hocuspocus gets its Redis extension; `instances` processes share one
    SQLite file and the load generator spreads each room's clients over them. `cpu_server_s` sums the
    instances' CPU; `cpu_engines_s` is Redis's (0 without an engine).
    """
    with tempfile.TemporaryDirectory(prefix=f"bench-{name}-") as tmp:
        procs, urls = [], []
        try:
            if redis is not None:
                redis.flush()
            for _ in range(instances):
                port = free_port()
                procs.append(start_peer(name, port, Path(tmp), disk, redis.url if redis is not None else None))
                urls.append(f"ws://127.0.0.1:{port}")
            extra = ["--protocol", "hocuspocus"] if name == "hocuspocus" else []
            cpu0 = sum(tree_cpu_seconds(p.pid) for p in procs)
            engine0 = redis.cpu_seconds() if redis is not None else 0.0
            result = run_loadgen(",".join(urls), [*extra, *args])
            result["cpu_server_s"] = round(sum(tree_cpu_seconds(p.pid) for p in procs) - cpu0, 3)
            result["cpu_engines_s"] = round((redis.cpu_seconds() if redis is not None else 0.0) - engine0, 3)
        finally:
            for proc in procs:
                stop(proc)
    return {"server": name, **result}


def ratios(target: dict, peer: dict) -> dict:
    keys = ("p50_ms", "p90_ms", "p99_ms", "max_ms", "delivered_per_s")
    return {k: round(target[k] / peer[k], 3) if target.get(k) and peer.get(k) else None for k in keys}


def main() -> None:
    argv = sys.argv[1:]
    workload = argv[argv.index("--") + 1 :] if "--" in argv else []
    own = argv[: argv.index("--")] if "--" in argv else argv
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--peer", action="append", choices=PEERS, help="default: all peers")
    ap.add_argument("--disk", action="store_true", help="Hocuspocus SQLite in a file, not :memory:")
    ap.add_argument("--target", help="URL of an already running server to compare (e.g. Dealroom)")
    ap.add_argument("--target-header", action="append", default=[])
    ap.add_argument("--target-suffix")
    opts = ap.parse_args(own)

    results = {}
    if opts.target:
        extra = [a for h in opts.target_header for a in ("--header", h)]
        extra += ["--suffix", opts.target_suffix] if opts.target_suffix else []
        results["target"] = {"server": "target", **run_loadgen(opts.target, [*extra, *workload])}
        print(json.dumps(results["target"]), flush=True)
    for name in opts.peer or PEERS:
        results[name] = run_peer(name, workload, opts.disk)
        print(json.dumps(results[name]), flush=True)
    if opts.target:
        peers = {n: ratios(results["target"], r) for n, r in results.items() if n != "target"}
        print(json.dumps({"ratios_target_over_peer": peers}), flush=True)


if __name__ == "__main__":
    main()
