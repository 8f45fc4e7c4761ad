"""Fixtures: a fresh database per test (SQLite, and PostgreSQL when the test command provides one),
and a real server on an ephemeral port."""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from sqlalchemy import create_engine, text

from tests.support.accounts import Api, add_member, add_user, sign_in
from tests.support.server import LiveServer
from workspace.settings import Settings
from workspace.storage.engine import make_engine
from workspace.storage.migrate import upgrade

POSTGRES_URL = os.environ.get("DEALROOM_TEST_POSTGRES_URL")
REQUIRE_POSTGRES = os.environ.get("DEALROOM_TEST_REQUIRE_POSTGRES") == "1"


def _postgres_schema_url(base: str) -> Iterator[str]:
    schema = f"t_{secrets.token_hex(6)}"
    admin = create_engine(base.replace("postgresql://", "postgresql+psycopg://", 1))
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    separator = "&" if "?" in base else "?"
    yield f"{base}{separator}options={quote(f'-csearch_path={schema}')}"
    with admin.begin() as conn:
        conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A migrated, empty database, once on SQLite and once on PostgreSQL."""
    yield from migrated_database(request.param, tmp_path)


def migrated_database(kind: str, directory: Path) -> Iterator[str]:
    """A migrated, empty database of `kind` ("sqlite" in `directory`, or "postgresql" in a throwaway schema)."""
    if kind == "sqlite":
        url = f"sqlite:///{directory / 'dealroom.sqlite3'}"
        _migrate(url)
        yield url
        return
    if not POSTGRES_URL:
        if REQUIRE_POSTGRES:
            pytest.fail("DEALROOM_TEST_POSTGRES_URL is not set but PostgreSQL tests are required")
        pytest.skip("no PostgreSQL: run the README's test command, which starts one")
    for url in _postgres_schema_url(POSTGRES_URL):
        _migrate(url)
        yield url


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'dealroom.sqlite3'}"
    _migrate(url)
    return url


def _migrate(url: str) -> None:
    engine = make_engine(Settings(database_url=url))
    upgrade(engine)
    engine.dispose()


def test_settings(url: str, **overrides: object) -> Settings:
    return Settings(database_url=url, secret_key="test-secret", public_url="http://testserver.local", **overrides)  # type: ignore[arg-type]


@pytest.fixture
def make_server(database_url: str) -> Iterator[object]:
    servers: list[LiveServer] = []

    def start(**overrides: object) -> LiveServer:
        server = LiveServer(test_settings(database_url, **overrides)).start()
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()


@pytest.fixture
def server(make_server: object) -> LiveServer:
    return make_server()  # type: ignore[operator, no-any-return]


class World:
    """A server with a rep, a customer and a room they share, and an outsider in another room."""

    def __init__(self, server: LiveServer) -> None:
        self.server = server
        sessions = server.services.sessions
        add_user(sessions, "rep@example.test", "rep", "Rita Rep")
        add_user(sessions, "buyer@customer.test", "customer", "Bo Buyer")
        add_user(sessions, "other@else.test", "customer", "Oz Other")
        add_user(sessions, "legal@example.test", "legal", "Lou Legal")
        self.rep = sign_in(server.url, "rep@example.test")
        self.room_id = self.rep.http.post("/api/rooms", json={"title": "Deal", "customer_name": "Cust"}).json()["id"]
        self.other_room_id = self.rep.http.post(
            "/api/rooms", json={"title": "Other deal", "customer_name": "Else"}
        ).json()["id"]
        self.customer = self._member("buyer@customer.test", self.room_id)
        self.outsider = self._member("other@else.test", self.other_room_id)
        self.legal = sign_in(server.url, "legal@example.test")

    def _member(self, email: str, room_id: str) -> Api:
        from sqlalchemy import select

        from workspace.auth.models import User

        with self.server.services.sessions() as db:
            user_id = db.execute(select(User.id).where(User.email == email)).scalar_one()
        add_member(self.server.services.sessions, room_id, user_id, "customer")
        return sign_in(self.server.url, email)

    def ws(self, room_id: str | None = None, doc: str = "shared") -> str:
        return self.server.ws_url(room_id or self.room_id, doc)


@pytest.fixture
def world(server: LiveServer) -> Iterator[World]:
    w = World(server)
    yield w
    for api in (w.rep, w.customer, w.outsider, w.legal):
        api.http.close()


class PricedWorld(World):
    """A world with an admin who has uploaded the sample price book and incentive plan."""

    admin: Api


@pytest.fixture
def priced(world: World) -> Iterator[PricedWorld]:
    from workspace.pricing.samples import SAMPLE_INCENTIVE_PLAN, SAMPLE_PRICE_BOOK

    add_user(world.server.services.sessions, "admin@example.test", "admin", "Ada Admin")
    admin = sign_in(world.server.url, "admin@example.test")
    admin.http.put("/api/pricebook", json=SAMPLE_PRICE_BOOK).raise_for_status()
    admin.http.put("/api/incentives/plan", json=SAMPLE_INCENTIVE_PLAN).raise_for_status()
    world.admin = admin  # type: ignore[attr-defined]
    yield world  # type: ignore[misc]
    admin.http.close()
