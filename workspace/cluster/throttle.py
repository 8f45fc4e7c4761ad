"""Attempt budgets shared by every worker: the sign-in and secret-link throttles, kept in Redis.

In one process `workspace.auth.throttle.Throttle` keeps its buckets in memory; with several workers
that would give a guesser one budget per worker. `SharedThrottle` keeps the same token buckets in
Redis (one hash per key, the key hashed: invitation tokens are secrets), timed by Redis's clock so
that workers on several machines agree. A sign-in costs one short call; when Redis cannot be reached
the attempt is refused (503), never let through unthrottled.
"""

from __future__ import annotations

import hashlib

import redis
from redis.exceptions import RedisError

from workspace.auth.throttle import Throttle
from workspace.cluster.link import PREFIX
from workspace.errors import ClusterUnavailable, RateLimited

# KEYS[1] the bucket; ARGV: rate per second, burst, 1 to take a token (0 to look). Returns 1 when one was there.
_BUCKET = """
local now = redis.call('TIME')
now = tonumber(now[1]) + tonumber(now[2]) / 1000000
local rate, burst = tonumber(ARGV[1]), tonumber(ARGV[2])
local held = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(held[1]) or burst
local at = tonumber(held[2]) or now
tokens = math.min(burst, tokens + (now - at) * rate)
local there = tokens >= 1
if ARGV[3] == '1' then
  if there then tokens = tokens - 1 end
  redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(now))
  redis.call('PEXPIRE', KEYS[1], math.ceil(burst / rate * 1000) + 1000)
end
if there then return 1 end
return 0
"""


class SharedThrottle(Throttle):
    def __init__(self, client: redis.Redis, name: str, rate: float, burst: int) -> None:
        super().__init__(rate, burst)
        self._name = name
        self._bucket_script = client.register_script(_BUCKET)

    def _call(self, key: str, take: bool) -> bool:
        digest = hashlib.sha256(key.encode()).hexdigest()[:32]
        try:
            found = self._bucket_script(keys=[f"{PREFIX}throttle:{self._name}:{digest}"],
                                        args=[self.rate, self.burst, 1 if take else 0])  # fmt: skip
        except (RedisError, OSError) as exc:
            raise ClusterUnavailable("the attempt cannot be counted now (Redis is unreachable); try again") from exc
        return bool(found)

    def ready(self, key: str) -> bool:
        return self._call(key, take=False)

    def spend(self, key: str) -> None:
        self._call(key, take=True)

    def check(self, *keys: str) -> None:
        for key in keys:
            if not self._call(key, take=True):
                raise RateLimited("too many attempts; wait a minute and try again")
