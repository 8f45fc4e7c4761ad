"""Everything the app holds for its lifetime, started and stopped in the lifespan."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass, field

from prometheus_client import CollectorRegistry
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from workspace.auth.principal import SessionCookies
from workspace.settings import Settings
from workspace.storage.engine import make_engine, make_sessionmaker
from workspace.sync.connection import Connection
from workspace.sync.manager import RoomManager
from workspace.sync.metrics import SyncMetrics
from workspace.sync.store import UpdateStore


@dataclass
class Services:
    settings: Settings
    engine: Engine
    sessions: sessionmaker[Session]
    cookies: SessionCookies
    registry: CollectorRegistry
    metrics: SyncMetrics
    store: UpdateStore
    rooms: RoomManager
    live: set[Connection] = field(default_factory=set)  # open websocket connections

    @classmethod
    def create(cls, settings: Settings) -> Services:
        engine = make_engine(settings)
        registry = CollectorRegistry()
        metrics = SyncMetrics(registry)
        store = UpdateStore(engine)
        store.stats.observers.append(metrics.observe_commit)
        return cls(
            settings=settings,
            engine=engine,
            sessions=make_sessionmaker(engine),
            # Without a configured key (tests, embedded use) sessions last as long as the process.
            cookies=SessionCookies(settings.secret_key or secrets.token_urlsafe(32)),
            registry=registry,
            metrics=metrics,
            store=store,
            rooms=RoomManager(store, settings, metrics),
        )

    async def start(self) -> None:
        await self.store.start()
        await self.rooms.start()

    def close_connections(self, matches: Callable[[Connection], bool], code: int, reason: str) -> None:
        for connection in list(self.live):
            if matches(connection):
                connection.close(code, reason)

    async def stop(self) -> None:
        await self.rooms.stop()
        await self.store.stop()
        self.engine.dispose()
