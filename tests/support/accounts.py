"""Creating users, rooms and signed-in HTTP clients for tests."""

from __future__ import annotations

from dataclasses import dataclass

import httpx
from argon2 import PasswordHasher
from sqlalchemy.orm import Session, sessionmaker

from workspace.auth.models import User
from workspace.rooms.models import Membership

PASSWORD = "correct-horse-battery"
# The test accounts' hash is Argon2id at its lowest cost: verifying reads the cost from the hash, so the
# server's own (RFC 9106) parameters stay what production uses while each test sign-in takes 1 ms, not
# the 100-400 ms a production hash takes (most of the suite's time went there: five sign-ins per test).
_HASH = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1).hash(PASSWORD)


def add_user(sessions: sessionmaker[Session], email: str, role: str, name: str | None = None) -> int:
    with sessions.begin() as db:
        user = User(email=email, name=name or email.split("@")[0].title(), role=role, password_hash=_HASH)
        db.add(user)
        db.flush()
        return user.id


def add_member(sessions: sessionmaker[Session], room_id: str, user_id: int, role: str) -> None:
    with sessions.begin() as db:
        db.add(Membership(room_id=room_id, user_id=user_id, role=role))


@dataclass
class Api:
    """A signed-in HTTP client (cookie session with CSRF header) plus an API token."""

    http: httpx.Client
    token: str
    user_id: int

    @property
    def bearer(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


def sign_in(base_url: str, email: str, password: str = PASSWORD) -> Api:
    http = httpx.Client(base_url=base_url, timeout=60)
    response = http.post("/api/session", json={"email": email, "password": password})
    response.raise_for_status()
    http.headers["X-CSRF-Token"] = http.cookies["dealroom_csrf"]
    token = http.post("/api/tokens", json={"name": "tests"}).json()["token"]
    return Api(http, token, response.json()["user"]["id"])


def seed_room(sessions: sessionmaker[Session]) -> tuple[str, str, str]:
    """A rep and a customer in one room, straight in the database; returns (room_id, rep_token, customer_token)."""
    from workspace.auth.models import ApiToken
    from workspace.auth.principal import principal_for
    from workspace.auth.secrets import digest, new_token
    from workspace.rooms.service import create_room

    rep_id = add_user(sessions, "rep@seed.test", "rep")
    customer_id = add_user(sessions, "buyer@seed.test", "customer")
    tokens = {rep_id: new_token("drt"), customer_id: new_token("drt")}
    with sessions.begin() as db:
        room = create_room(db, principal_for(db.get(User, rep_id)), "Seeded deal", "Buyer Inc")  # type: ignore[arg-type]
        db.add(Membership(room_id=room.id, user_id=customer_id, role="customer"))
        for user_id, token in tokens.items():
            db.add(ApiToken(user_id=user_id, name="seed", token_hash=digest(token)))
        room_id = room.id
    return room_id, tokens[rep_id], tokens[customer_id]
