"""Start Dealroom as the benchmarks' target: a fresh database, N rooms named bench-0.., one token.

Used by bench/sync_latency.py; runnable alone to poke at a seeded server:
    .venv/bin/python bench/dealroom_server.py --rooms 50
"""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from workspace.auth.models import ApiToken, User  # noqa: E402
from workspace.auth.secrets import digest, new_token  # noqa: E402
from workspace.rooms.models import Membership, Room  # noqa: E402
from workspace.settings import Settings  # noqa: E402
from workspace.storage.engine import make_engine, make_sessionmaker  # noqa: E402
from workspace.storage.migrate import upgrade  # noqa: E402


def seed(database_url: str, rooms: int, prefix: str = "bench-") -> str:
    """Create the rooms and a rep who is in all of them; return the rep's API token."""
    engine = make_engine(Settings(database_url=database_url))
    upgrade(engine)
    token = new_token("drt")
    with make_sessionmaker(engine).begin() as db:
        user = User(email="bench@dealroom.test", name="Bench Rep", role="rep", password_hash=None)
        db.add(user)
        db.flush()
        db.add(ApiToken(user_id=user.id, name="bench", token_hash=digest(token)))
        for i in range(rooms):
            db.add(
                Room(
                    id=f"{prefix}{i}",
                    title=f"Bench {i}",
                    customer_name="Bench",
                    created_by=user.id,
                    customer_deal_fields=[],
                )
            )
            db.flush()
            db.add(Membership(room_id=f"{prefix}{i}", user_id=user.id, role="rep"))
    engine.dispose()
    return token


def start(
    database_url: str, port: int, workdir: Path, workers: int = 1, redis_url: str | None = None, **settings: str
) -> subprocess.Popen[bytes]:
    """`dealroom serve --workers N` on port, in a session of its own (`kill_all` ends supervisor and workers)."""
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "DEALROOM_DATABASE_URL": database_url,
        "DEALROOM_SECRET_KEY": "bench",
        # The load generator is one process with many sockets: per-connection limits are not the
        # subject here, but they stay on at their defaults unless a run overrides them.
        **{f"DEALROOM_{k.upper()}": v for k, v in settings.items()},
    }
    if redis_url:
        env["DEALROOM_REDIS_URL"] = redis_url
    log = workdir / "dealroom.log"
    process = subprocess.Popen(
        [sys.executable, "-m", "workspace.cli", "serve", "--port", str(port), "--workers", str(workers)],
        cwd=workdir,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=open(log, "ab"),  # noqa: SIM115
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            tail = log.read_text(errors="replace")[-1500:]
            raise RuntimeError(f"dealroom serve --workers {workers} exited with {process.returncode}:\n{tail}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/readyz", timeout=1).status_code == 200:
                return process
        except httpx.TransportError:
            time.sleep(0.05)
    kill_all(process)
    raise RuntimeError(f"Dealroom did not start; see {log}")


def stop_all(process: subprocess.Popen[bytes]) -> None:
    """Stop the whole server gracefully (SIGTERM to its session), then SIGKILL whatever is left after 15 s."""
    with contextlib.suppress(ProcessLookupError, subprocess.TimeoutExpired):
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(15)
    kill_all(process)


def kill_all(process: subprocess.Popen[bytes], sig: int = signal.SIGKILL) -> None:
    """Signal the whole server (the supervisor's session: supervisor and workers) and reap the supervisor."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, sig)
    process.wait()


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--rooms", type=int, default=50)
    parser.add_argument("--port", type=int, default=8765)
    args = parser.parse_args()
    work = Path("/tmp/dealroom-bench")
    work.mkdir(exist_ok=True)
    url = f"sqlite:///{work / 'bench.sqlite3'}"
    (work / "bench.sqlite3").unlink(missing_ok=True)
    print("token", seed(url, args.rooms))
    proc = start(url, args.port, work)
    print("ready", args.port)
    proc.wait()
