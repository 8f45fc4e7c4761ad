"""Creating users, rooms and signed-in HTTP clients for tests."""

from __future__ import annotations

from dataclasses import dataclass

import httpx
from sqlalchemy.orm import Session, sessionmaker

from workspace.auth import passwords
from workspace.auth.models import User
from workspace.rooms.models import Membership

PASSWORD = "correct-horse-battery"
_HASH = passwords.hash_password(PASSWORD)  # hashing once keeps the suite fast


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
    http = httpx.Client(base_url=base_url, timeout=10)
    response = http.post("/api/session", json={"email": email, "password": password})
    response.raise_for_status()
    http.headers["X-CSRF-Token"] = http.cookies["dealroom_csrf"]
    token = http.post("/api/tokens", json={"name": "tests"}).json()["token"]
    return Api(http, token, response.json()["user"]["id"])
