"""Creating the SQLAlchemy engine for SQLite (WAL, a file under ./var/) or PostgreSQL."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

from workspace.settings import Settings


def _sqlite_path(url: str) -> Path | None:
    prefix = "sqlite:///"
    if not url.startswith(prefix) or url in {"sqlite://", "sqlite:///:memory:"}:
        return None
    return Path(url[len(prefix) :])


def make_engine(settings: Settings) -> Engine:
    """One engine per process. SQLite gets WAL and a busy timeout so that the update writer and the
    HTTP threads wait for each other instead of failing with "database is locked"."""
    url = settings.database_url
    if settings.is_sqlite:
        path = _sqlite_path(url)
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})
        synchronous = settings.sqlite_synchronous.upper()

        @event.listens_for(engine, "connect")
        def _on_connect(dbapi_connection: Any, _record: Any) -> None:
            # Let SQLAlchemy drive BEGIN so that transactions are real (pysqlite's legacy
            # behaviour would defer BEGIN and break group commit atomicity).
            dbapi_connection.isolation_level = None
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute(f"PRAGMA synchronous={synchronous}")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA busy_timeout=30000")
            cursor.close()

        @event.listens_for(engine, "begin")
        def _on_begin(conn: Any) -> None:
            # IMMEDIATE takes the write lock up front: no deadlock-prone lock upgrades.
            conn.exec_driver_sql("BEGIN IMMEDIATE")

        return engine
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    # pool_pre_ping: a connection cut by a failover or a restart is replaced at its next checkout. The
    # application name tells the database's operators (pg_stat_activity) which connections are Dealroom's.
    return create_engine(url, pool_size=10, max_overflow=20, pool_pre_ping=True,
                         connect_args={"application_name": "dealroom"})  # fmt: skip


def make_sessionmaker(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)
