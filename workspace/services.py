"""Everything the app holds for its lifetime, started and stopped in the lifespan."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass, field

from prometheus_client import CollectorRegistry
from sqlalchemy import Engine, update
from sqlalchemy.orm import Session, sessionmaker
from starlette.concurrency import run_in_threadpool

from workspace.activity.listeners import Listeners
from workspace.activity.recorder import ChangeRecorder
from workspace.approval_policy.service import Policies
from workspace.auth.principal import SessionCookies
from workspace.auth.signin_guard import SignInGuard
from workspace.auth.throttle import Throttle
from workspace.clause_library.service import ClauseStore
from workspace.derive import Deriver
from workspace.notify.digest import Digest
from workspace.notify.links import StepLinks
from workspace.notify.mail import Mailer
from workspace.pricebook.service import Catalog
from workspace.proposals.tracker import Tracker
from workspace.rooms.models import Room
from workspace.settings import Settings, vendor_values
from workspace.storage.engine import make_engine, make_sessionmaker
from workspace.sync.connection import Connection
from workspace.sync.manager import RoomManager
from workspace.sync.metrics import SyncMetrics
from workspace.sync.room import DealHeader
from workspace.sync.store import UpdateStore
from workspace.threads.service import Threads


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
    catalog: Catalog
    mailer: Mailer
    links: StepLinks
    policies: Policies
    deriver: Deriver
    clause_store: ClauseStore
    proposals: Tracker
    digest: Digest
    threads: Threads
    activity: ChangeRecorder
    live: set[Connection] = field(default_factory=set)  # open websocket connections
    # Tries of secret links (invitations, mailed approval links); sign-ins have their own guard.
    attempts: Throttle = field(default_factory=Throttle)
    signin: SignInGuard | None = None
    # Turns thread and proposal actions into the room's activity and its mails (set up in `create`).
    listeners: Listeners | None = None

    @classmethod
    def create(cls, settings: Settings) -> Services:
        engine = make_engine(settings)
        registry = CollectorRegistry()
        metrics = SyncMetrics(registry)
        store = UpdateStore(engine)
        store.stats.observers.append(metrics.observe_commit)
        sessions = make_sessionmaker(engine)

        async def rename_room(room_id: str, header: DealHeader) -> None:
            values = {"title": header.title, "customer_name": header.customer_name}
            values = {key: value for key, value in values.items() if value is not None}
            if not values:
                return

            def work() -> None:
                with sessions.begin() as db:
                    db.execute(update(Room).where(Room.id == room_id).values(**values))

            await run_in_threadpool(work)

        rooms = RoomManager(store, settings, metrics, on_header_change=rename_room)
        # Without a configured key (tests, embedded use) sessions and links last as long as the process.
        cookie_key = settings.secret_key or secrets.token_urlsafe(32)
        catalog = Catalog()
        policies = Policies()
        clause_store = ClauseStore()
        deriver = Deriver(rooms, sessions, catalog, policies, clause_store, vendor_values(settings))
        rooms.on_client_change = deriver.changed
        proposals = Tracker(rooms)
        rooms.on_load = proposals.loaded
        rooms.on_commit = proposals.committed
        proposals.accepted_changed = deriver.changed
        deriver.pending = proposals.pending
        mailer = Mailer(settings.smtp_url)
        digest = Digest(sessions, mailer, settings.digest_minutes)
        # An external dispute opening or closing changes the approval fact `open_disputes`: derive again.
        threads = Threads(rooms, sessions, settings.public_url, on_disputes_changed=deriver.changed,
                          wake_digest=digest.wake)  # fmt: skip
        activity = ChangeRecorder(sessions, catalog)
        rooms.write_observer = activity
        services = cls(
            settings=settings,
            engine=engine,
            sessions=sessions,
            cookies=SessionCookies(cookie_key),
            signin=SignInGuard(cookie_key),
            registry=registry,
            metrics=metrics,
            store=store,
            rooms=rooms,
            catalog=catalog,
            mailer=mailer,
            links=StepLinks(cookie_key),
            policies=policies,
            deriver=deriver,
            clause_store=clause_store,
            proposals=proposals,
            digest=digest,
            threads=threads,
            activity=activity,
        )
        services.listeners = Listeners(services)
        services.listeners.subscribe()
        return services

    async def start(self) -> None:
        await self.store.start()
        await self.rooms.start()
        await self.digest.start()
        await self.activity.start()

    def close_connections(self, matches: Callable[[Connection], bool], code: int, reason: str) -> None:
        for connection in list(self.live):
            if matches(connection):
                connection.close(code, reason)

    async def stop(self) -> None:
        if self.listeners is not None:
            await self.listeners.stop()
        await self.digest.stop()
        await self.deriver.stop()
        await self.proposals.stop()
        await self.rooms.stop()
        await self.activity.stop()
        await self.store.stop()
        self.engine.dispose()
