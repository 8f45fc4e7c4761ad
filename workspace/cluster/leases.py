"""Which worker owns a room: a lease in Redis, renewed while the room is loaded.

A room (both its documents) lives in exactly one worker at a time, its owner: it alone guards,
stores, derives and compacts the room, so every guarantee of a single process holds per room.
The lease is a Redis key holding the owner's id, with a time to live. The owner renews all its
leases in one call every second; a lease whose owner has no heartbeat (a killed worker) may be
taken at once, without waiting for it to expire.

When the owner cannot renew (Redis is gone, or the key holds another worker: Redis restarted
empty and someone claimed the room), it drops the room at once (`on_lost`): its clients are told
to reconnect and resync. "No Redis, no room": two owners of one room would judge writes against
different states. Compaction is safe even then (workspace/sync/store.py merges into the stored
snapshot instead of replacing it).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable

from redis.exceptions import RedisError

from workspace.cluster.link import BEAT_EVERY, HEARTBEAT_MS, PREFIX, Link
from workspace.errors import ClusterUnavailable, RoomMoved

log = logging.getLogger(__name__)

LEASE_MS = 5000
RENEW_EVERY = BEAT_EVERY
CALL_TIMEOUT = 1.0
DROP_AFTER = HEARTBEAT_MS / 1000 / 2

# KEYS[1] the lease; ARGV: this worker, the lease's time to live, the heartbeat key prefix.
# Returns "" when this worker holds the lease now, else the holder's id.
_CLAIM = """
local holder = redis.call('GET', KEYS[1])
if holder == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return ''
end
if holder and redis.call('EXISTS', ARGV[3] .. holder) == 1 then
  return holder
end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return ''
"""

# KEYS: the leases this worker believes it holds; returns 1 for each still held (and renewed), else 0.
_RENEW = """
local held = {}
for i, key in ipairs(KEYS) do
  if redis.call('GET', key) == ARGV[1] then
    redis.call('PEXPIRE', key, ARGV[2])
    held[i] = 1
  else
    held[i] = 0
  end
end
return held
"""

_RELEASE = """
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
"""


def lease_key(room_id: str) -> str:
    return f"{PREFIX}room:{room_id}"


class Leases:
    def __init__(self, link: Link, on_lost: Callable[[str], None]) -> None:
        self.link = link
        self.worker_id = link.worker_id
        self.on_lost = on_lost
        self.held: set[str] = set()
        self._renewed_at = time.monotonic()
        self._claim = link.redis.register_script(_CLAIM)
        self._renew = link.redis.register_script(_RENEW)
        self._release = link.redis.register_script(_RELEASE)
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        self._task = asyncio.create_task(self._renewing(), name="dealroom-cluster-leases")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
        for room_id in list(self.held):
            await self.release(room_id)

    async def claim(self, room_id: str) -> None:
        """Make this worker the room's owner, or raise RoomMoved naming none (the caller relays or retries)."""
        try:
            holder = await self._claim(keys=[lease_key(room_id)], args=[self.worker_id, LEASE_MS, f"{PREFIX}worker:"])
        except (RedisError, OSError) as exc:
            raise ClusterUnavailable("Redis cannot be reached to decide which worker holds this room") from exc
        if holder:
            raise RoomMoved("another worker holds this room now; reconnect")
        self.held.add(room_id)

    async def owner(self, room_id: str) -> str | None:
        """The worker holding the room, if any worker with a heartbeat does."""
        try:
            holder = await self.link.redis.get(lease_key(room_id))
            if holder is None:
                return None
            worker = holder.decode() if isinstance(holder, bytes) else str(holder)
            if worker == self.worker_id:
                return worker
            return worker if worker in await self.link.alive([worker]) else None
        except (RedisError, OSError) as exc:
            raise ClusterUnavailable("Redis cannot be reached to find the worker holding this room") from exc

    async def release(self, room_id: str) -> None:
        self.held.discard(room_id)
        try:
            await self._release(keys=[lease_key(room_id)], args=[self.worker_id])
        except (RedisError, OSError):
            log.warning("could not release the lease of room %s; it expires by itself", room_id)

    async def _renewing(self) -> None:
        while True:
            await asyncio.sleep(RENEW_EVERY)
            rooms = list(self.held)
            if not rooms:
                self._renewed_at = time.monotonic()
                continue
            try:
                keys = [lease_key(room) for room in rooms]
                held = await asyncio.wait_for(self._renew(keys=keys, args=[self.worker_id, LEASE_MS]), CALL_TIMEOUT)
            except (RedisError, OSError, TimeoutError):
                # Keep the rooms only while nobody else can take them: another worker may claim them once this
                # worker's heartbeat (HEARTBEAT_MS) has expired, so they are dropped well before that.
                if time.monotonic() - self._renewed_at > DROP_AFTER:
                    log.warning("leases could not be renewed; dropping %d rooms", len(rooms))
                    self._lose(rooms)
                continue
            self._renewed_at = time.monotonic()
            self._lose([room for room, still in zip(rooms, held, strict=True) if not still])

    def _lose(self, rooms: list[str]) -> None:
        for room_id in rooms:
            if room_id in self.held:
                self.held.discard(room_id)
                self.on_lost(room_id)
