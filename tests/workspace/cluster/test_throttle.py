"""Attempt budgets in Redis: two workers spend from one bucket per key, and the key (a secret) is not stored."""

from __future__ import annotations

import subprocess

import pytest
import redis as redis_client

from tests.workspace.cluster.conftest import Redis
from workspace.cluster.throttle import SharedThrottle
from workspace.errors import ClusterUnavailable, RateLimited


def test_two_workers_share_one_budget_per_key(redis: Redis) -> None:
    client = redis_client.Redis.from_url(redis.url)
    worker_a, worker_b = (SharedThrottle(client, "attempts", rate=0.001, burst=4) for _ in range(2))
    for worker in (worker_a, worker_b, worker_a, worker_b):
        worker.check("invitation:secret-token")
    assert not worker_a.ready("invitation:secret-token")
    with pytest.raises(RateLimited):
        worker_b.check("invitation:secret-token")
    worker_a.check("invitation:another")  # another key has its own budget
    keys = subprocess.run(["redis-cli", "-p", str(redis.port), "--raw", "keys", "*"], capture_output=True, text=True)
    assert "secret-token" not in keys.stdout and "dealroom:throttle:attempts:" in keys.stdout


def test_ready_spends_nothing_and_an_unreachable_redis_refuses_the_attempt(redis: Redis) -> None:
    throttle = SharedThrottle(redis_client.Redis.from_url(redis.url), "attempts", rate=0.001, burst=1)
    for _ in range(5):
        assert throttle.ready("k")
    throttle.spend("k")
    assert not throttle.ready("k")
    gone = SharedThrottle(redis_client.Redis.from_url("redis://127.0.0.1:1/0"), "attempts", rate=1, burst=1)
    with pytest.raises(ClusterUnavailable):
        gone.check("k")
