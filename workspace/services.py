"""Everything the app holds for its lifetime, started and stopped in the lifespan."""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import redis
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
from workspace.cluster.cluster import Cluster
from workspace.cluster.relay import GatewayLimits
from workspace.cluster.throttle import SharedThrottle
from workspace.derive import Deriver
from workspace.errors import ClusterUnavailable
from workspace.insights.timings import Timings
from workspace.notify.digest import Digest
from workspace.notify.links import StepLinks
from workspace.notify.mail import Mailer
from workspace.pricebook.service import Catalog
from workspace.pricing.entry import PriceLimits
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
from workspace.web import MAX_JSON_BYTES

log = logging.getLogger(__name__)


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
    timings: Timings
    live: set[Connection] = field(default_factory=set)  # open websocket connections
    # Tries of secret links (invitations, mailed approval links); sign-ins have their own guard.
    attempts: Throttle = field(default_factory=Throttle)
    signin: SignInGuard | None = None
    # Turns thread and proposal actions into the room's activity and its mails (set up in `create`).
    listeners: Listeners | None = None
    # Several workers (DEALROOM_REDIS_URL): room leases, the relay and notices (workspace/cluster/).
    cluster: Cluster | None = None
    _tasks: set[asyncio.Task[None]] = field(default_factory=set)

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
        timings = Timings(sessions)
        deriver.timed = timings.note
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
            timings=timings,
        )
        services.listeners = Listeners(services)
        services.listeners.subscribe()
        if settings.redis_url:
            limits = GatewayLimits(
                settings.max_message_bytes, settings.messages_per_second, settings.message_burst, MAX_JSON_BYTES
            )
            services._join_cluster(Cluster(settings.redis_url, limits, rooms.drop, services._cluster_down))
            # One budget of attempts per key for all workers, not one per worker.
            shared = redis.Redis.from_url(settings.redis_url, socket_timeout=1, socket_connect_timeout=1)
            services.attempts = SharedThrottle(shared, "attempts", services.attempts.rate, services.attempts.burst)
            services.signin = SignInGuard(
                cookie_key, lambda name, rate, burst: SharedThrottle(shared, name, rate, burst)
            )
        return services

    def _join_cluster(self, cluster: Cluster) -> None:
        self.cluster = cluster
        self.rooms.placement = cluster.leases
        # Two workers may briefly both believe they hold a room (a paused one): compaction then merges
        # into the stored snapshot rather than replacing it, so neither can drop what the other stored.
        self.store.merge_on_compact = True
        cluster.notices.handlers.update({
            "close_sockets": self._close_sockets,
            "policy_changed": lambda data: self._policy_changed(),
            "library_changed": lambda data: self._library_changed(),
            "request_changed": lambda data: self.deriver.request_changed(str(data["room_id"])),
            "price_book_saved": self._price_book_saved,
        })  # fmt: skip

    def _cluster_down(self) -> None:
        """The line to Redis broke: no worker can know who holds a room, so this one gives up all of its."""
        assert self.cluster is not None
        for room_id in list(self.cluster.leases.held):
            self.cluster.leases.held.discard(room_id)
            self.rooms.drop(room_id)

    async def start(self) -> None:
        await self.store.start()
        if self.cluster is not None:
            await self.cluster.start()
        await self.rooms.start()
        await self.digest.start()
        await self.activity.start()

    def close_connections(self, matches: Callable[[Connection], bool], code: int, reason: str) -> None:
        for connection in list(self.live):
            if matches(connection):
                connection.close(code, reason)

    # --- what every worker must act on (each acts here, then tells the others) -------------------

    def close_sockets(self, key: str, value: object, code: int, reason: str) -> None:
        """Close the websockets of one person, session or token (`key`: user_id, session_id, token_id),
        on every worker."""
        data = {"key": key, "value": value, "code": code, "reason": reason}
        self._close_sockets(data)
        self._tell("close_sockets", data)

    def _close_sockets(self, data: dict[str, Any]) -> None:
        key, value = str(data["key"]), data["value"]
        self.close_connections(lambda c: getattr(c.identity, key) == value, int(data["code"]), str(data["reason"]))

    def policy_changed(self) -> None:
        """A new approval policy: the rooms open now show the new routing at once."""
        self._policy_changed()
        self._tell("policy_changed", {})

    def _policy_changed(self) -> None:
        self.policies.forget()
        for room in self.rooms:
            self.deriver.changed(room)

    def library_changed(self) -> None:
        """The clause library changed: every open room re-checks its clauses."""
        self._library_changed()
        self._tell("library_changed", {})

    def _library_changed(self) -> None:
        self.clause_store.changed()
        self.deriver.library_changed()

    def request_changed(self, room_id: str) -> None:
        """An approval request of the room was submitted, decided, recalled or reassigned."""
        self.deriver.request_changed(room_id)
        self._tell("request_changed", {"room_id": room_id})

    def refresh_price_limits(self, which: Callable[[Connection], bool], limits: PriceLimits) -> None:
        """Open connections write under `limits` (the SKUs and currencies the guard lets through) from their
        next message on."""
        for connection in list(self.live):
            if which(connection):
                identity = connection.identity
                context = dataclasses.replace(identity.context, prices=limits)
                connection.identity = dataclasses.replace(identity, context=context)

    def price_book_saved(self, version: int) -> None:
        """Tell the other workers: their connections to rooms without a book yet write under this one."""
        self._tell("price_book_saved", {"version": version})

    def _price_book_saved(self, data: dict[str, Any]) -> None:
        version = int(data["version"])

        async def refresh() -> None:
            def read() -> PriceLimits | None:
                with self.sessions.begin() as db:
                    return self.catalog.limits(db, version)

            limits = await run_in_threadpool(read)
            if limits is not None:
                self.refresh_price_limits(lambda c: c.identity.context.prices is None, limits)

        task = asyncio.ensure_future(refresh())
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def _tell(self, kind: str, data: dict[str, Any]) -> None:
        if self.cluster is None:
            return
        try:
            self.cluster.notices.publish(kind, data)
        except ClusterUnavailable:
            # The others lost Redis too, and with it their rooms and sockets; their caches expire in seconds.
            log.warning("could not tell the other workers: %s", kind)

    async def stop(self) -> None:
        if self.listeners is not None:
            await self.listeners.stop()
        await self.digest.stop()
        await self.deriver.stop()
        await self.proposals.stop()
        await self.rooms.stop()
        if self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)
        if self.cluster is not None:
            await self.cluster.stop()
        await self.activity.stop()
        await self.timings.stop()
        await self.store.stop()
        self.engine.dispose()
