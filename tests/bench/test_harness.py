"""The multi-worker benchmark's own machinery: its options, CPU accounting of process trees, and finding
uvicorn's workers to kill. The figures themselves are never tested."""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench"
sys.path.insert(0, str(BENCH))

from crash import workers_of  # noqa: E402
from engines import free_port, tree_cpu_seconds  # noqa: E402
from sync_latency import parse_list, parse_workers, scenario_workload  # noqa: E402


def test_workers_take_a_list_of_positive_numbers() -> None:
    assert parse_workers("1,2,4") == [1, 2, 4]
    assert parse_workers("2") == [2]
    for bad in ("0", "1,-2", "two", ""):
        with pytest.raises(argparse.ArgumentTypeError):
            parse_workers(bad)


def test_scenarios_and_peers_are_checked_by_name() -> None:
    parse = parse_list(("a", "sat1", "sat20"))
    assert parse("sat20,a") == ["sat20", "a"]
    with pytest.raises(argparse.ArgumentTypeError, match="choose from a,sat1,sat20"):
        parse("sat2")


def test_saturation_over_twenty_rooms_asks_the_load_generator_for_them() -> None:
    args = argparse.Namespace(seconds=5, rooms=50, clients=4, rate=5)
    workload, rooms, clients = scenario_workload("sat20", args)
    assert (rooms, clients) == (20, 4)
    assert workload[workload.index("--rooms") + 1] == "20" and "--saturate" in workload
    workload, rooms, clients = scenario_workload("a", args)
    assert (rooms, clients) == (50, 4) and "--saturate" not in workload


def _wait_for(predicate, what: str, timeout: float = 30):  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def test_tree_cpu_counts_a_child_that_already_ended() -> None:
    # The child burns 0.3 s of CPU in a grandchild it waits for, then idles until told to end: what the
    # grandchild spent lives on only in the child's cutime.
    burn = "import time\nt = time.process_time()\nwhile time.process_time() - t < 0.3: pass"
    script = f"import subprocess, sys\nsubprocess.run([sys.executable, '-c', {burn!r}])\nprint('done', flush=True)\n"
    script += "sys.stdin.read()"
    child = subprocess.Popen([sys.executable, "-c", script], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout is not None and child.stdout.readline().strip() == "done"
        assert tree_cpu_seconds(child.pid) >= 0.25
    finally:
        child.communicate("")


def test_the_workers_of_uvicorns_supervisor_are_found_without_its_resource_tracker(tmp_path: Path) -> None:
    (tmp_path / "app.py").write_text("async def app(scope, receive, send):\n    pass\n")
    cmd = [sys.executable, "-m", "uvicorn", "app:app", "--workers", "2", "--port", str(free_port())]
    supervisor = subprocess.Popen(cmd, cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        workers = _wait_for(lambda: len(workers_of(supervisor.pid)) == 2 and workers_of(supervisor.pid), "2 workers")
        for pid in workers:
            assert "resource_tracker" not in Path(f"/proc/{pid}/cmdline").read_text()
    finally:
        supervisor.terminate()
        supervisor.wait(30)
