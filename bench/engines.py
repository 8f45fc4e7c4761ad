"""Throwaway engines for the benchmarks, and CPU accounting of process trees.

    with Postgres() as pg:              # scripts/pg-throwaway in a temporary folder
        url = pg.new_database()         # an empty database per server under test
    with Redis() as redis:              # redis-server on a free port, no persistence
        redis.url

Both engines run for the whole benchmark; `cpu_seconds()` of their process trees is read before and after
each measured run, so every system's engine CPU is counted the same way (see `tree_cpu_seconds`).
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path
from types import TracebackType

ROOT = Path(__file__).resolve().parent.parent
PG_THROWAWAY = ROOT / "scripts" / "pg-throwaway"
TICK = os.sysconf("SC_CLK_TCK")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _stat(pid: int) -> list[str] | None:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (FileNotFoundError, ProcessLookupError):
        return None


def children(pid: int) -> list[int]:
    """Direct children of pid (from /proc/PID/task/*/children)."""
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found += [int(c) for c in (task / "children").read_text().split()]
        except (FileNotFoundError, ProcessLookupError):
            continue
    return found


def descendants(pid: int) -> list[int]:
    out: list[int] = []
    todo = children(pid)
    while todo:
        child = todo.pop()
        out.append(child)
        todo += children(child)
    return out


def tree_cpu_seconds(pid: int) -> float:
    """CPU seconds (user + system) of pid and all its descendants, alive or reaped.

    A process's own utime/stime plus cutime/cstime (its children that exited and were waited for: a
    PostgreSQL backend that ended, a uvicorn worker that died), plus the same for every live descendant.
    """
    total = 0
    for p in (pid, *descendants(pid)):
        fields = _stat(p)
        if fields:
            total += sum(int(fields[i]) for i in (11, 12, 13, 14))  # utime stime cutime cstime
    return total / TICK


class Postgres:
    """A throwaway PostgreSQL cluster (scripts/pg-throwaway); `new_database()` gives each run an empty one."""

    def __init__(self) -> None:
        self.dir = Path(tempfile.mkdtemp(prefix="bench-pg-", dir="/tmp"))
        self.url = ""
        self._count = 0

    def __enter__(self) -> Postgres:
        if not PG_THROWAWAY.exists():
            raise SystemExit(f"{PG_THROWAWAY} is missing")
        done = subprocess.run([str(PG_THROWAWAY), "start", str(self.dir)], capture_output=True, text=True)
        if done.returncode:
            raise SystemExit(f"PostgreSQL did not start (scripts/pg-throwaway):\n{done.stderr[-2000:]}")
        self.url = done.stdout.strip()
        return self

    def __exit__(self, *exc: object) -> None:
        subprocess.run([str(PG_THROWAWAY), "stop", str(self.dir)], capture_output=True)

    @property
    def pid(self) -> int:
        """The postmaster (parent of every backend)."""
        return int((self.dir / "data" / "postmaster.pid").read_text().split()[0])

    def cpu_seconds(self) -> float:
        return tree_cpu_seconds(self.pid)

    def new_database(self) -> str:
        import psycopg

        self._count += 1
        name = f"bench_{os.getpid()}_{self._count}"
        with psycopg.connect(self.url, autocommit=True) as conn:
            conn.execute(f"create database {name}")  # name is ours: digits and underscores
        return self.url.rsplit("/", 1)[0] + "/" + name


class Redis:
    """redis-server on a free loopback port with persistence off, in a temporary folder."""

    def __init__(self) -> None:
        self.dir = Path(tempfile.mkdtemp(prefix="bench-redis-", dir="/tmp"))
        self.port = 0
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def __enter__(self) -> Redis:
        binary = shutil.which("redis-server") or "/usr/bin/redis-server"
        if not Path(binary).exists():
            raise SystemExit("redis-server is not installed: apt-get install redis-server")
        self.port = free_port()
        cmd = [binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
        cmd += ["--daemonize", "no", "--dir", str(self.dir)]
        log = open(self.dir / "redis.log", "wb")
        self.process = subprocess.Popen(cmd, cwd=self.dir, stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1) as s:
                    s.sendall(b"PING\r\n")
                    if s.recv(16).startswith(b"+PONG"):
                        return self
            except OSError:
                time.sleep(0.05)
        self.__exit__(None, None, None)
        raise SystemExit(f"redis-server did not answer on port {self.port}: see {self.dir / 'redis.log'}")

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        shutil.rmtree(self.dir, ignore_errors=True)

    def cpu_seconds(self) -> float:
        return tree_cpu_seconds(self.process.pid) if self.process else 0.0

    def flush(self) -> None:
        """Empty Redis between two servers under test (leases, streams and keys of the previous one)."""
        with socket.create_connection(("127.0.0.1", self.port), timeout=5) as s:
            s.sendall(b"FLUSHALL\r\n")
            s.recv(16)
