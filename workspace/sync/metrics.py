"""Prometheus figures of the sync server: connections, rooms, updates and their latency."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram

_LATENCY_BUCKETS = (0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5)


class SyncMetrics:
    """One set per app, in the app's own registry (tests run several apps in one process)."""

    def __init__(self, registry: CollectorRegistry) -> None:
        self.connections = Gauge("dealroom_ws_connections", "Open websocket connections", registry=registry)
        self.rooms_loaded = Gauge("dealroom_room_docs_loaded", "Room documents loaded in memory", registry=registry)
        self.messages_received = Counter(
            "dealroom_ws_messages_received", "Websocket messages received", registry=registry
        )
        self.messages_sent = Counter("dealroom_ws_messages_sent", "Websocket messages sent", registry=registry)
        self.updates = Counter("dealroom_updates_accepted", "Client updates accepted and stored", registry=registry)
        self.refused = Counter(
            "dealroom_ws_refused", "Messages or connections refused, by reason", ["reason"], registry=registry
        )
        self.update_seconds = Histogram(
            "dealroom_update_seconds",
            "From receiving an update to broadcasting it (guard, durable commit, apply)",
            buckets=_LATENCY_BUCKETS,
            registry=registry,
        )
        self.commit_seconds = Histogram(
            "dealroom_commit_seconds", "Duration of one group commit", buckets=_LATENCY_BUCKETS, registry=registry
        )
        self.commit_batch = Histogram(
            "dealroom_commit_batch_size",
            "Updates per group commit",
            buckets=(1, 2, 5, 10, 20, 50, 100, 500),
            registry=registry,
        )
        self.room_loads = Counter("dealroom_room_loads", "Room documents loaded from the database", registry=registry)
        self.compactions = Counter("dealroom_compactions", "Log compactions", registry=registry)

    def observe_commit(self, size: int, seconds: float) -> None:
        self.commit_batch.observe(size)
        self.commit_seconds.observe(seconds)
