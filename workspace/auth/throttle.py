"""Slowing down password guessing: a token bucket per key (an email, an address, an invitation)."""

from __future__ import annotations

import threading
import time
from collections import OrderedDict

from workspace.errors import RateLimited
from workspace.sync.ratelimit import TokenBucket

# A person mistyping a password tries a few times a minute; a guesser tries thousands. Ten quick
# tries, then one every six seconds, stops the second without bothering the first.
ATTEMPTS_BURST = 10
ATTEMPTS_PER_SECOND = 1 / 6
# Buckets for this many keys are kept; the oldest are forgotten (a full bucket is the default).
MAX_KEYS = 10_000


class Throttle:
    def __init__(self, rate: float = ATTEMPTS_PER_SECOND, burst: int = ATTEMPTS_BURST) -> None:
        self.rate = rate
        self.burst = burst
        self._buckets: OrderedDict[str, TokenBucket] = OrderedDict()
        self._lock = threading.Lock()

    def ready(self, key: str) -> bool:
        """Whether `key` has an attempt left, without spending it."""
        with self._lock:
            bucket = self._buckets.get(key)
            return bucket is None or bucket.ready()

    def spend(self, key: str) -> None:
        """Count one attempt against `key` (even when it has none left)."""
        with self._lock:
            self._bucket(key).take()

    def _bucket(self, key: str) -> TokenBucket:
        bucket = self._buckets.pop(key, None) or TokenBucket(self.rate, self.burst, time.monotonic)
        self._buckets[key] = bucket
        if len(self._buckets) > MAX_KEYS:
            self._buckets.popitem(last=False)
        return bucket

    def check(self, *keys: str) -> None:
        """Count an attempt against every key; raise RateLimited when any of them is spent."""
        with self._lock:
            for key in keys:
                if not self._bucket(key).take():
                    raise RateLimited("too many attempts; wait a minute and try again")
