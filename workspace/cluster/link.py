"""This worker's line to Redis: one ordered publisher, one subscriber, and the worker's heartbeat.

Redis delivers the messages published on one connection in the order they were published, so
everything this worker publishes goes through one queue, sent in pipelined batches by one task:
the frames of a relayed socket arrive in the order they were sent. Messages are fire and forget:
when the line breaks (Redis restarts, the network drops), whatever was in transit is gone, so
`on_down` is told at once and every relayed stream is ended (its client reconnects and resyncs);
nothing acknowledged depends on Redis, only on the database.

Lifecycle: `start` connects (and fails when Redis cannot be reached: a worker that cannot
coordinate must not serve rooms); `stop` ends the tasks and removes the heartbeat.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections import deque
from collections.abc import Callable, Iterable

import redis.asyncio as aioredis
from redis.exceptions import RedisError

from workspace.errors import ClusterUnavailable

log = logging.getLogger(__name__)

PREFIX = "dealroom:"
HEARTBEAT_MS = 5000
"""A worker whose heartbeat key is older than this is taken for dead: its rooms may be claimed."""
BEAT_EVERY = 1.0
RETRY_EVERY = 0.5


def worker_key(worker_id: str) -> str:
    return f"{PREFIX}worker:{worker_id}"


def relay_channel(worker_id: str) -> bytes:
    return f"{PREFIX}relay:{worker_id}".encode()


NOTICES = f"{PREFIX}notices".encode()


class Link:
    def __init__(
        self,
        url: str,
        worker_id: str,
        on_message: Callable[[bytes, bytes], None],
        on_down: Callable[[], None],
    ) -> None:
        self.worker_id = worker_id
        # A few connections serve every command (80 sockets opening at once must not open 80 connections).
        pool = aioredis.BlockingConnectionPool.from_url(
            url, max_connections=8, timeout=2, socket_timeout=5, socket_connect_timeout=2
        )
        self.redis = aioredis.Redis(connection_pool=pool)
        self._on_message = on_message
        self._on_down = on_down
        self._outbox: deque[tuple[bytes, bytes]] = deque()
        self._wake = asyncio.Event()
        self._tasks: list[asyncio.Task[None]] = []
        self._subscribed = asyncio.Event()
        # Rewrites each batch before it is published (the relay merges one broadcast's frames to one worker).
        self.coalesce: Callable[[list[tuple[bytes, bytes]]], list[tuple[bytes, bytes]]] = lambda batch: batch
        self.up = False
        self.last_beat = 0.0  # monotonic time of the last heartbeat Redis took

    async def start(self) -> None:
        try:
            await self.redis.ping()
        except (RedisError, OSError) as exc:
            raise ClusterUnavailable(f"Redis cannot be reached: {exc}") from exc
        await self._beat()
        self._tasks = [
            asyncio.create_task(self._subscriber(), name="dealroom-cluster-subscriber"),
            asyncio.create_task(self._publisher(), name="dealroom-cluster-publisher"),
            asyncio.create_task(self._heartbeat(), name="dealroom-cluster-heartbeat"),
        ]
        await asyncio.wait_for(self._subscribed.wait(), timeout=5)

    async def stop(self) -> None:
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        with contextlib.suppress(RedisError, OSError):  # the key expires by itself
            await self.redis.delete(worker_key(self.worker_id))
        await self.redis.aclose(close_connection_pool=True)

    # --- publishing ---------------------------------------------------------------------------

    def publish(self, channel: bytes, data: bytes) -> None:
        """Queue a message; raise ClusterUnavailable while the line is down."""
        if not self.up:
            raise ClusterUnavailable("Redis cannot be reached; reconnect in a moment")
        self._outbox.append((channel, data))
        self._wake.set()

    async def _publisher(self) -> None:
        while True:
            await self._wake.wait()
            self._wake.clear()
            while self._outbox:
                batch = self.coalesce([self._outbox.popleft() for _ in range(min(len(self._outbox), 512))])
                try:
                    async with self.redis.pipeline(transaction=False) as pipe:
                        for channel, data in batch:
                            pipe.publish(channel, data)
                        await pipe.execute()
                except (RedisError, OSError):
                    log.warning("publishing to Redis failed; relayed streams end", exc_info=True)
                    self._outbox.clear()
                    self._down()

    # --- subscribing --------------------------------------------------------------------------

    async def _subscriber(self) -> None:
        channels = [relay_channel(self.worker_id), NOTICES]
        while True:
            pubsub = self.redis.pubsub(ignore_subscribe_messages=True)
            try:
                await pubsub.subscribe(*channels)
                self.up = True
                self._subscribed.set()
                while True:
                    message = await pubsub.get_message(timeout=None)
                    if message is not None and message["type"] == "message":
                        self._on_message(message["channel"], message["data"])
            except asyncio.CancelledError:
                await _quietly_close(pubsub)
                raise
            except (RedisError, OSError):
                log.warning("the Redis subscription broke; relayed streams end", exc_info=True)
                self._down()
                await _quietly_close(pubsub)
                await asyncio.sleep(RETRY_EVERY)

    def _down(self) -> None:
        was_up, self.up = self.up, False
        if was_up:
            self._on_down()

    # --- heartbeat ----------------------------------------------------------------------------

    async def _beat(self) -> None:
        await self.redis.set(worker_key(self.worker_id), b"1", px=HEARTBEAT_MS)
        self.last_beat = time.monotonic()

    async def _heartbeat(self) -> None:
        while True:
            await asyncio.sleep(BEAT_EVERY)
            try:
                await self._beat()
            except (RedisError, OSError):
                log.warning("the heartbeat did not reach Redis", exc_info=True)

    async def alive(self, worker_ids: Iterable[str]) -> set[str]:
        """Which of these workers have a heartbeat now."""
        ids = list(worker_ids)
        if not ids:
            return set()
        async with self.redis.pipeline(transaction=False) as pipe:
            for worker_id in ids:
                pipe.exists(worker_key(worker_id))
            found = await pipe.execute()
        return {worker_id for worker_id, exists in zip(ids, found, strict=True) if exists}


async def _quietly_close(pubsub: aioredis.client.PubSub) -> None:
    with contextlib.suppress(RedisError, OSError):
        await pubsub.aclose()
