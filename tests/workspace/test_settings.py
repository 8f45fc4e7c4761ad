"""Reading DEALROOM_* settings from the environment and a .env file."""

from __future__ import annotations

from pathlib import Path

import pytest

from workspace.errors import ConfigurationError
from workspace.settings import Settings, load_settings


def load(**env: str) -> Settings:
    return load_settings(environ=env, env_file=None)


def test_defaults_without_any_setting() -> None:
    settings = load()
    assert settings.database_url == "sqlite:///var/dealroom.sqlite3"
    assert settings.public_url == "http://127.0.0.1:8000"
    assert settings.redis_url is None
    assert settings.cookie_secure is False
    assert settings.allowed_origins == ()
    assert settings.secret_key == ""  # unset: the dealroom commands generate and keep one (with_secret_key)


def test_values_are_parsed_to_their_types() -> None:
    settings = load(
        DEALROOM_DATABASE_URL="postgresql://db/dealroom",
        DEALROOM_SECRET_KEY="s3cret",
        DEALROOM_MAX_MESSAGE_BYTES="2048",
        DEALROOM_MESSAGES_PER_SECOND="12.5",
        DEALROOM_HANDSHAKE_TIMEOUT_SECONDS="3",
        DEALROOM_GUARD_IDLE_SECONDS="2.5",
        DEALROOM_COOKIE_SECURE="yes",
        DEALROOM_ALLOWED_ORIGINS=" https://a.example/ ,https://b.example,, ",
        DEALROOM_SQLITE_SYNCHRONOUS="normal",
    )
    assert settings.database_url == "postgresql://db/dealroom" and not settings.is_sqlite
    assert settings.secret_key == "s3cret"
    assert settings.max_message_bytes == 2048
    assert settings.messages_per_second == 12.5
    assert settings.handshake_timeout_seconds == 3.0 and settings.guard_idle_seconds == 2.5
    assert settings.cookie_secure is True
    assert settings.allowed_origins == ("https://a.example", "https://b.example")


def test_secrets_stay_out_of_the_repr() -> None:
    settings = load(DEALROOM_SECRET_KEY="s3cret-key", DEALROOM_OIDC_CLIENT_SECRET="oidc-s3cret")
    assert "s3cret" not in repr(settings)


@pytest.mark.parametrize(("raw", "expected"), [("1", True), ("TRUE", True), ("no", False), ("0", False)])
def test_booleans(raw: str, expected: bool) -> None:
    assert load(DEALROOM_COOKIE_SECURE=raw).cookie_secure is expected


@pytest.mark.parametrize(
    ("name", "raw"),
    [
        ("DEALROOM_SESSION_DAYS", "two weeks"),
        ("DEALROOM_SESSION_DAYS", "1.5"),
        ("DEALROOM_MAX_CONNECTIONS_PER_ROOM", "0"),
        ("DEALROOM_MAX_CONNECTIONS_PER_PERSON", "0"),
        ("DEALROOM_TEAM_RESERVED_CONNECTIONS", "-1"),
        ("DEALROOM_MESSAGE_BURST", "-5"),
        ("DEALROOM_MESSAGES_PER_SECOND", "fast"),
        ("DEALROOM_KEEPALIVE_SECONDS", "-0.5"),
        ("DEALROOM_COOKIE_SECURE", "maybe"),
        ("DEALROOM_SQLITE_SYNCHRONOUS", "OFF"),
    ],
)
def test_bad_values_are_refused_naming_the_variable(name: str, raw: str) -> None:
    with pytest.raises(ConfigurationError) as error:
        load(**{name: raw})
    assert name in error.value.detail


@pytest.mark.parametrize("name", ["DEALROOM_MESSAGES_PER_SECOND", "DEALROOM_HANDSHAKE_TIMEOUT_SECONDS"])
def test_not_a_number_is_refused(name: str) -> None:
    with pytest.raises(ConfigurationError):
        load(**{name: "nan"})


def test_connection_places_per_person_and_for_the_team() -> None:
    defaults = load()
    assert (defaults.max_connections_per_room, defaults.max_connections_per_person) == (50, 8)
    assert defaults.team_reserved_connections == 10
    settings = load(DEALROOM_MAX_CONNECTIONS_PER_PERSON="3", DEALROOM_TEAM_RESERVED_CONNECTIONS="0")
    assert (settings.max_connections_per_person, settings.team_reserved_connections) == (3, 0)  # 0: no reserve


@pytest.mark.parametrize(("room", "reserve"), [("10", "10"), ("10", "11"), ("5", "")])
def test_a_reserve_that_leaves_customers_no_place_is_refused(room: str, reserve: str) -> None:
    with pytest.raises(ConfigurationError, match=r"DEALROOM_TEAM_RESERVED_CONNECTIONS \(\d+\) must be below"):
        load(DEALROOM_MAX_CONNECTIONS_PER_ROOM=room, DEALROOM_TEAM_RESERVED_CONNECTIONS=reserve)


def test_an_unknown_setting_is_refused_by_name() -> None:
    with pytest.raises(ConfigurationError) as error:
        load(DEALROOM_DATABSE_URL="sqlite:///typo.sqlite3")
    assert "DEALROOM_DATABSE_URL" in error.value.detail


def test_test_settings_and_other_variables_are_ignored() -> None:
    settings = load(
        DEALROOM_TEST_POSTGRES_URL="postgresql://x/y",
        DEALROOM_TEST_ANYTHING="1",
        PATH="/usr/bin",
        dealroom_lowercase="x",
    )
    assert settings == Settings(secret_key=settings.secret_key)


def test_an_empty_value_means_the_default() -> None:
    assert load(DEALROOM_SESSION_DAYS="").session_days == 14
    assert load(DEALROOM_PUBLIC_URL="").public_url == "http://127.0.0.1:8000"


def test_the_env_file_is_read_and_the_environment_wins(tmp_path: Path) -> None:
    env_file = tmp_path / ".env"
    env_file.write_text("DEALROOM_PUBLIC_URL=https://deals.example\nDEALROOM_SESSION_DAYS=3\n")
    settings = load_settings(environ={"DEALROOM_SESSION_DAYS": "5"}, env_file=env_file)
    assert settings.public_url == "https://deals.example"
    assert settings.session_days == 5


def test_an_unknown_name_in_the_env_file_is_refused(tmp_path: Path) -> None:
    env_file = tmp_path / ".env"
    env_file.write_text("DEALROOM_SMTP=smtp://mail\n")
    with pytest.raises(ConfigurationError, match="DEALROOM_SMTP"):
        load_settings(environ={}, env_file=env_file)


def test_a_missing_env_file_is_fine(tmp_path: Path) -> None:
    assert load_settings(environ={}, env_file=tmp_path / "absent.env").session_days == 14


def test_a_missing_secret_key_is_generated_once_and_kept(tmp_path: Path) -> None:
    from workspace.settings import Settings, with_secret_key

    key_file = tmp_path / "var" / "secret_key"
    first = with_secret_key(Settings(), key_file)
    again = with_secret_key(Settings(), key_file)
    assert first.secret_key and first.secret_key == again.secret_key
    assert key_file.stat().st_mode & 0o777 == 0o600
    assert with_secret_key(Settings(secret_key="configured"), key_file).secret_key == "configured"
