"""The `dealroom` console script, run as a real subprocess against a throwaway SQLite file."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest

from tests import conftest
from tests.support.accounts import sign_in
from tests.support.server import LiveServer

SCRIPT = Path(sys.executable).with_name("dealroom")
Run = Callable[..., subprocess.CompletedProcess[str]]


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'cli.sqlite3'}"


@pytest.fixture
def dealroom(tmp_path: Path, db_url: str) -> Run:
    """Run `dealroom ARGS` in tmp_path (no .env there) with only this test's DEALROOM_ settings."""
    command = [str(SCRIPT)] if SCRIPT.exists() else [sys.executable, "-m", "workspace.cli"]
    base_env = {k: v for k, v in os.environ.items() if not k.startswith("DEALROOM_")}

    def run(*args: str, stdin: str = "", **env: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [*command, *args],
            input=stdin,
            capture_output=True,
            text=True,
            cwd=tmp_path,
            env={**base_env, "DEALROOM_DATABASE_URL": db_url, **env},
            timeout=60,
        )

    return run


@pytest.fixture
def migrated(dealroom: Run) -> Run:
    result = dealroom("migrate")
    assert result.returncode == 0, result.stderr
    return dealroom


def _serve(db_url: str) -> LiveServer:
    return LiveServer(conftest.test_settings(db_url)).start()


def test_migrate_is_repeatable(dealroom: Run) -> None:
    for _ in range(2):
        result = dealroom("migrate")
        assert result.returncode == 0, result.stderr
        assert "latest schema" in result.stdout


def test_seed_demo_creates_the_demo_data_once(migrated: Run, db_url: str) -> None:
    first = migrated("seed-demo")
    assert first.returncode == 0, first.stderr
    assert "user rep@demo.test" in first.stdout and "Acme — Platform renewal" in first.stdout
    second = migrated("seed-demo")
    assert second.returncode == 0, second.stderr
    assert "nothing new" in second.stdout
    server = _serve(db_url)
    try:
        rep = sign_in(server.url, "rep@demo.test", "demo-password")
        buyer = sign_in(server.url, "buyer@acme.test", "demo-password")
        rooms = [r for r in rep.http.get("/api/rooms").json()["rooms"] if r["id"] == "demo-acme-renewal"]
        titles = sorted(room["title"] for room in rep.http.get("/api/rooms").json()["rooms"])
        assert titles == ["Acme — Platform renewal", "Globex — Platform Professional"]  # seeded once, not twice
        shared = buyer.http.get(f"/api/rooms/{rooms[0]['id']}/snapshot").json()["shared"]
        assert shared["deal"]["customerName"] == "Acme Corp"
        assert "Subscription and use rights" in shared["terms"] and len(shared["lines"]) == 4
        for api in (rep, buyer):
            api.http.close()
    finally:
        server.stop()


def test_user_add_creates_an_internal_user_who_can_sign_in(migrated: Run, db_url: str) -> None:
    result = migrated(
        "user", "add", "Fin@Example.test", "--name", "Fay Finance", "--role", "finance", "--password-stdin",
        stdin="a-strong-password\n",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "created finance fin@example.test" in result.stdout  # stored (and reported) lowercased
    assert "password" not in result.stdout  # it came from stdin: never echoed
    server = _serve(db_url)
    try:
        api = sign_in(server.url, "fin@example.test", "a-strong-password")
        assert api.http.get("/api/me").json() == {
            "id": api.user_id,
            "email": "fin@example.test",
            "name": "Fay Finance",
            "role": "finance",
        }
        api.http.close()
    finally:
        server.stop()


def test_user_add_without_stdin_prints_a_generated_password(migrated: Run, db_url: str) -> None:
    result = migrated("user", "add", "legal@example.test", "--name", "Lou", "--role", "legal")
    assert result.returncode == 0, result.stderr
    password = result.stdout.split("password: ", 1)[1].strip()
    assert len(password) >= 10
    server = _serve(db_url)
    try:
        response = httpx.post(
            server.url + "/api/session", json={"email": "legal@example.test", "password": password}, timeout=10
        )
        assert response.status_code == 200
    finally:
        server.stop()


@pytest.mark.parametrize("role", ["customer", "superuser"])
def test_user_add_refuses_a_role_that_is_not_internal(migrated: Run, role: str) -> None:
    result = migrated("user", "add", "x@example.test", "--name", "X", "--role", role, "--password-stdin", stdin="pw")
    assert result.returncode != 0
    assert "invalid choice" in result.stderr and role in result.stderr


def test_user_add_refuses_a_duplicate_email(migrated: Run) -> None:
    args = ("user", "add", "rep@example.test", "--name", "Rita", "--role", "rep", "--password-stdin")
    assert migrated(*args, stdin="a-strong-password\n").returncode == 0
    again = migrated(*args[:2], "REP@example.test", *args[3:], stdin="another-password\n")
    assert again.returncode != 0
    assert "already exists" in again.stderr and "rep@example.test" in again.stderr


def test_user_add_refuses_a_short_password(migrated: Run) -> None:
    result = migrated("user", "add", "a@example.test", "--name", "A", "--role", "admin", "--password-stdin", stdin="x")
    assert result.returncode != 0
    assert "at least 10 characters" in result.stderr


def test_serve_on_an_unmigrated_database_tells_to_migrate(dealroom: Run) -> None:
    result = dealroom("serve", "--port", "0")
    assert result.returncode != 0
    assert "dealroom migrate" in result.stderr


def test_several_workers_without_redis_are_refused(migrated: Run) -> None:
    result = migrated("serve", "--port", "0", "--workers", "2")
    assert result.returncode != 0
    assert "DEALROOM_REDIS_URL" in result.stderr


def test_several_workers_on_sqlite_are_refused_naming_postgresql(migrated: Run) -> None:
    result = migrated("serve", "--port", "0", "--workers", "2", DEALROOM_REDIS_URL="redis://127.0.0.1:1/0")
    assert result.returncode != 0
    assert "several workers need PostgreSQL" in result.stderr


def test_an_unknown_setting_is_reported(dealroom: Run) -> None:
    result = dealroom("migrate", DEALROOM_DATABSE_URL="sqlite:///typo.sqlite3")
    assert result.returncode != 0
    assert "unknown setting DEALROOM_DATABSE_URL" in result.stderr


def test_an_unknown_setting_in_the_env_file_is_reported(dealroom: Run, tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("DEALROOM_SMTP_HOST=mail.example\n")
    result = dealroom("migrate")
    assert result.returncode != 0
    assert "DEALROOM_SMTP_HOST" in result.stderr


def test_a_bad_setting_value_is_reported(dealroom: Run) -> None:
    result = dealroom("migrate", DEALROOM_SESSION_DAYS="soon")
    assert result.returncode != 0
    assert "DEALROOM_SESSION_DAYS" in result.stderr
    assert "Traceback" not in result.stderr
