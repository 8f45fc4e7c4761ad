"""What the live-server benchmarks share: a real server on a fresh SQLite file, and percentiles."""

from __future__ import annotations

import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.support.server import LiveServer  # noqa: E402
from workspace.settings import Settings  # noqa: E402
from workspace.storage.engine import make_engine  # noqa: E402
from workspace.storage.migrate import upgrade  # noqa: E402


@contextmanager
def live_server() -> Iterator[LiveServer]:
    """A server on a new SQLite database in a temporary folder (synchronous=FULL, as by default); stopped after."""
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"
        engine = make_engine(Settings(database_url=url))
        upgrade(engine)
        engine.dispose()
        server = LiveServer(Settings(database_url=url, secret_key="bench")).start()
        try:
            yield server
        finally:
            server.stop()


def percentiles(samples: list[float]) -> dict[str, float]:
    """p50 and p99 of samples in milliseconds, rounded to 0.01 ms."""
    ordered = sorted(samples)
    return {"p50_ms": round(ordered[len(ordered) // 2], 2),
            "p99_ms": round(ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))], 2)}  # fmt: skip
