"""The workers as one server: this worker's link to Redis, its room leases, the relay and the notices.

Only built when `DEALROOM_REDIS_URL` is set. Without it there is one process and no cluster object:
every room is local and nothing here runs (the embedded default is unchanged).

Lifecycle: `Cluster.create` then `start` in the app's lifespan, before the rooms are served; `stop`
after the room manager stopped (the leases are released last).
"""

from __future__ import annotations

import os
import secrets
import socket
from collections.abc import Callable

from workspace.cluster.leases import Leases
from workspace.cluster.link import NOTICES, Link
from workspace.cluster.notices import Notices
from workspace.cluster.relay import GatewayLimits, Relay


def new_worker_id() -> str:
    return f"{socket.gethostname()}-{os.getpid()}-{secrets.token_hex(3)}"


class Cluster:
    def __init__(
        self, url: str, limits: GatewayLimits, on_room_lost: Callable[[str], None], on_down: Callable[[], None]
    ) -> None:
        self.worker_id = new_worker_id()
        self._on_down = on_down
        self.link = Link(url, self.worker_id, self._arrived, self._down)
        self.leases = Leases(self.link, on_room_lost)
        self.relay = Relay(self.link, limits)
        self.notices = Notices(self.link)

    async def start(self) -> None:
        await self.link.start()
        await self.leases.start()
        await self.relay.start()

    async def leave(self) -> None:
        """Before this worker closes its sockets at shutdown: take no new relayed request and give up every
        room, so that the clients it is about to close find the rooms' next owners when they come back."""
        self.relay.closing = True
        for room_id in list(self.leases.held):
            await self.leases.release(room_id)

    async def stop(self) -> None:
        await self.relay.stop()
        await self.leases.stop()
        await self.link.stop()

    def _arrived(self, channel: bytes, data: bytes) -> None:
        if channel == NOTICES:
            self.notices.handle(data)
        else:
            self.relay.handle(data)

    def _down(self) -> None:
        """The line to Redis broke: relayed streams end, and this worker gives up its rooms."""
        self.relay.down()
        self._on_down()
