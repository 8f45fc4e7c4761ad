"""Several workers on real engines: PostgreSQL (the test command's throwaway cluster) and a throwaway Redis
(scripts/redis-throwaway, which installs redis-server as root where it is missing)."""

from __future__ import annotations

import subprocess
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import migrated_database
from tests.support.accounts import seed_room
from tests.support.process import ServerProcess
from workspace.settings import Settings
from workspace.storage.engine import make_engine, make_sessionmaker

SCRIPTS = Path(__file__).resolve().parents[3] / "scripts"


class Redis:
    """A throwaway Redis server that a test may stop and start again on the same port."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.url = ""

    def start(self) -> Redis:
        self.url = subprocess.run(
            [str(SCRIPTS / "redis-throwaway"), "start", str(self.directory)], check=True, capture_output=True, text=True
        ).stdout.strip()
        return self

    @property
    def port(self) -> int:
        return int(self.url.rsplit(":", 1)[1].split("/")[0])

    def restart(self) -> None:
        """Stop it without saving (its keys are gone, as after a crash) and start it again on the same port."""
        port = self.port
        subprocess.run(["redis-cli", "-p", str(port), "shutdown", "nosave"], capture_output=True)
        subprocess.run(
            ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--daemonize", "yes", "--dir", str(self.directory), "--logfile", str(self.directory / "log")],
            check=True, capture_output=True,
        )  # fmt: skip
        subprocess.run(["redis-cli", "-p", str(port), "--raw", "ping"], check=True, capture_output=True)

    def stop(self) -> None:
        subprocess.run([str(SCRIPTS / "redis-throwaway"), "stop", str(self.directory)], capture_output=True)

    def get(self, key: str) -> str:
        return subprocess.run(
            ["redis-cli", "-p", str(self.port), "--raw", "get", key], capture_output=True, text=True
        ).stdout.strip()


@pytest.fixture
def redis(tmp_path: Path) -> Iterator[Redis]:
    server = Redis(tmp_path / "redis").start()
    yield server
    server.stop()


@pytest.fixture
def pg_url(tmp_path: Path) -> Iterator[str]:
    """Several workers need PostgreSQL (they refuse SQLite)."""
    yield from migrated_database("postgresql", tmp_path)


@dataclass
class Cluster:
    """Two workers (two `dealroom serve` processes, as on two machines) on one database and one Redis."""

    a: ServerProcess
    b: ServerProcess
    redis: Redis
    room_id: str
    rep: dict[str, str]
    customer: dict[str, str]

    def owner_pid(self) -> int | None:
        """The process id of the worker holding the room's lease (worker ids are host-pid-random)."""
        holder = self.redis.get(f"dealroom:room:{self.room_id}")
        return int(holder.rsplit("-", 2)[1]) if holder else None


MakeCluster = Callable[..., Cluster]

# The crash tests type at 500 edits a second per client (tests/support/yclient.edit_until_closed) to have
# plenty in flight when a worker dies; the per-connection rate limit (60/s) is the relay tests' subject, not theirs.
LOAD_TEST_RATES = {"messages_per_second": "2000", "message_burst": "2000"}


@pytest.fixture
def make_cluster(pg_url: str, redis: Redis, tmp_path: Path) -> Iterator[MakeCluster]:
    """Start two workers with these DEALROOM_ settings (lower-case names, string values)."""
    started: list[ServerProcess] = []

    def start(**settings: str) -> Cluster:
        engine = make_engine(Settings(database_url=pg_url))
        room_id, rep_token, customer_token = seed_room(make_sessionmaker(engine))
        engine.dispose()
        for _ in range(2):
            started.append(ServerProcess(pg_url, tmp_path, redis_url=redis.url, metrics_public="true",
                                         **{**LOAD_TEST_RATES, **settings}))  # fmt: skip
            started[-1].start()
        return Cluster(started[-2], started[-1], redis, room_id, {"Authorization": f"Bearer {rep_token}"},
                       {"Authorization": f"Bearer {customer_token}"})  # fmt: skip

    yield start
    for server in started:
        server.stop()


@pytest.fixture
def cluster(make_cluster: MakeCluster) -> Cluster:
    return make_cluster()
