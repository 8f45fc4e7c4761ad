"""Typed settings, read once from the environment and an optional `.env` file.

Every limit has a default and a comment saying why it is that number.
"""

from __future__ import annotations

import math
import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from urllib.parse import urlsplit

from dotenv import dotenv_values

from workspace.errors import ConfigurationError

PREFIX = "DEALROOM_"


@dataclass(frozen=True)
class Settings:
    database_url: str = "sqlite:///var/dealroom.sqlite3"
    # Signs session cookies. When unset, the `dealroom` commands generate one once into
    # var/secret_key (see `with_secret_key`), so restarts keep people signed in.
    secret_key: str = field(default="", repr=False)
    public_url: str = "http://127.0.0.1:8000"
    redis_url: str | None = None
    smtp_url: str | None = None
    oidc_issuer: str | None = None
    oidc_client_id: str | None = None
    oidc_client_secret: str | None = field(default=None, repr=False)
    # The ID token claim naming a person's Dealroom role (rep, sales_manager, vp_sales, finance, legal,
    # admin); a dotted name reads a nested claim. Someone without one of those values is refused.
    oidc_role_claim: str = "dealroom_role"
    # Asked of the identity provider; the ID token must then carry email and the role claim.
    oidc_scopes: str = "openid email profile"
    # Extra origins allowed to open websockets with a session cookie (the public URL always is).
    allowed_origins: tuple[str, ...] = ()
    # "FULL" fsyncs every group commit (survives power loss); "NORMAL" in WAL mode survives a
    # process crash (SIGKILL) but may lose the last commits on power loss. See README.
    sqlite_synchronous: str = "FULL"

    # --- sync limits -------------------------------------------------------------------------
    # A y-websocket message is one keystroke or a pasted page; 1 MiB fits a 300-page contract
    # pasted at once, and keeps one hostile frame from costing the server much memory.
    max_message_bytes: int = 1024 * 1024
    # A deal room is a handful of people on each side; 50 leaves room for many tabs and devices,
    # and caps how much fan-out one room can cost.
    max_connections_per_room: int = 50
    # One person is a laptop with a couple of tabs and a phone; 8 leaves room for that and a
    # reconnect overlapping its old socket, and keeps one account (one leaked token, one script)
    # from filling a room. Counted per room document, by person (all their sessions and tokens).
    max_connections_per_person: int = 8
    # Customers may never take the room's last places: however many customer connections there are,
    # this many stay open for the room's own team (rep, legal, approvers), each with a tab or two.
    # 0 turns the reserve off. Must be below max_connections_per_room.
    team_reserved_connections: int = 10
    # Typing at 15 characters a second plus cursor awareness is ~30 messages a second; the bucket
    # refills at 60/s and holds a burst of 300 (a reconnect flushing queued offline edits).
    messages_per_second: float = 60.0
    message_burst: int = 300
    # A client that has not finished the sync handshake (its first sync step 1) by then is
    # holding a socket and a room for nothing.
    handshake_timeout_seconds: float = 10.0
    # y-websocket clients drop a connection after 30 s without a message; we send a keep-alive
    # (an empty awareness update) well within that.
    keepalive_seconds: float = 15.0
    # A phone that loses its network sends no close frame: its socket just goes quiet, and the person
    # would stay "present" for good. y-websocket clients renew their awareness every 15 s (at most
    # 18 s apart), so a client that has sent nothing for 30 s is taken for gone: its socket is closed
    # and its presence removed for everyone. 30 s is also when every y-protocols client already
    # treats a state that was not renewed as outdated, so the server and the browsers agree.
    client_timeout_seconds: float = 30.0
    # A client that cannot take what the room broadcasts falls behind without bound; past this
    # many queued outgoing messages it is closed and resyncs when it comes back.
    max_send_queue: int = 1000
    # Rooms stay loaded this long after the last connection leaves, so a reload or a flaky
    # phone connection does not pay for a cold load.
    room_idle_unload_seconds: float = 30.0
    # A loaded room keeps a second copy of its document (the write guard's twin) only while people
    # write; after this long without a write it is dropped, halving an idle room's memory.
    guard_idle_seconds: float = 60.0
    # The most each of a room's two documents may hold. Every join downloads the whole document, and a
    # long-negotiated contract with its history is a few megabytes; 16 MiB leaves room for that many times
    # over while one customer can no longer grow a room without bound. Past it, a client update that makes
    # the document bigger is refused with 4413 (each root has its own, smaller limit: sync/schema.py).
    room_max_bytes: int = 16 * 1024 * 1024
    # Every item of a client update is read by the guard (about 50 us each): one message of tiny items could
    # otherwise hold the event loop for seconds. A pasted 50-clause contract is about 1,000 items, a phone's
    # day offline a few hundred; more in one update is refused with 4413 before anything is read.
    max_items_per_update: int = 5_000
    # Compaction merges a document's log into its snapshot once it holds this many updates:
    # keeps cold loads to one snapshot read plus a short tail.
    compact_after_updates: int = 500

    # --- operations --------------------------------------------------------------------------
    # /metrics tells how busy every room is; it is not public unless asked for. A scraper sends
    # `Authorization: Bearer <token>`; or DEALROOM_METRICS_PUBLIC=true opens it (behind a private network).
    metrics_token: str | None = field(default=None, repr=False)
    metrics_public: bool = False

    # --- mail ---------------------------------------------------------------------------------
    # A person gets at most one mail per room this often; what comes up meanwhile (mentions) is batched
    # into the next one. A quarter hour keeps a busy negotiation from flooding an inbox without making
    # anyone wait long for the first word.
    digest_minutes: float = 15.0

    # --- sessions and invitations ------------------------------------------------------------
    session_days: int = 14
    invitation_days: int = 7
    cookie_secure: bool = False

    # --- the vendor, as contracts name it (clause variables vendor.* and contract.*) -----------
    vendor_name: str = "Dealroom Software GmbH"
    vendor_address: str = "Torstrasse 1, 10119 Berlin, Germany"
    vendor_signatory: str = ""
    vendor_signatory_title: str = ""
    # The clause text says "governed by the laws of {{contract.governing_law}}" and "The courts of
    # {{contract.venue}}": the values are the country and the city only (see __post_init__).
    governing_law: str = "Germany"
    venue: str = "Berlin"

    def __post_init__(self) -> None:
        # Earlier defaults were "the laws of Germany" / "the courts of Berlin", which the clause text doubled
        # ("the laws of the laws of Germany"); a value set that way still reads once.
        object.__setattr__(self, "governing_law", _without_prefix(self.governing_law, "the laws of"))
        object.__setattr__(self, "venue", _without_prefix(self.venue, "the courts of"))

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")


def _without_prefix(value: str, prefix: str) -> str:
    """`value` without a leading `prefix` (any case, surrounding spaces dropped)."""
    value = value.strip()
    if value.lower().startswith(prefix + " "):
        return value[len(prefix) :].strip()
    return value


def vendor_values(settings: Settings) -> dict[str, str]:
    """The vendor's fields as clause variables read them (`clauses.variables`: name, address, ...)."""
    return {"name": settings.vendor_name, "address": settings.vendor_address,
            "governingLaw": settings.governing_law, "venue": settings.venue}  # fmt: skip


# Numbers where 0 means "none" rather than a mistake.
_MAY_BE_ZERO = frozenset({"team_reserved_connections"})


def _convert(name: str, raw: str) -> object:
    """Parse a raw value by the type the Settings field declares."""
    kind = str(Settings.__dataclass_fields__[name].type)
    try:
        if kind == "int":
            value: object = int(raw)
        elif kind == "float":
            value = float(raw)
        elif kind == "bool":
            if raw.lower() not in {"1", "0", "true", "false", "yes", "no"}:
                raise ValueError(raw)
            value = raw.lower() in {"1", "true", "yes"}
        elif kind.startswith("tuple"):
            value = tuple(part.strip().rstrip("/") for part in raw.split(",") if part.strip())
        else:
            value = raw
    except ValueError as exc:
        raise ConfigurationError(f"{PREFIX}{name.upper()}={raw!r} is not a valid value") from exc
    if isinstance(value, float) and not math.isfinite(value):
        raise ConfigurationError(f"{PREFIX}{name.upper()} must be a finite number, got {raw!r}")
    if name in _MAY_BE_ZERO and value == 0:
        return value
    if isinstance(value, int | float) and not isinstance(value, bool) and value <= 0:
        raise ConfigurationError(f"{PREFIX}{name.upper()} must be positive, got {raw!r}")
    return value


def load_settings(environ: Mapping[str, str] | None = None, env_file: Path | None = Path(".env")) -> Settings:
    """Read DEALROOM_* settings from a .env file, overridden by the environment."""
    values: dict[str, str] = {}
    if env_file is not None and env_file.is_file():
        values.update({k: v for k, v in dotenv_values(env_file).items() if v is not None})
    values.update(os.environ if environ is None else environ)
    known = Settings.__dataclass_fields__
    kwargs: dict[str, object] = {}
    for key, raw in values.items():
        if not key.startswith(PREFIX) or key.startswith(PREFIX + "TEST_"):
            continue
        name = key[len(PREFIX) :].lower()
        if name not in known:
            raise ConfigurationError(f"unknown setting {key}")
        if raw == "":
            continue
        kwargs[name] = _convert(name, raw)
    settings = Settings(**kwargs)  # type: ignore[arg-type]
    if settings.sqlite_synchronous.upper() not in {"FULL", "NORMAL", "EXTRA"}:
        raise ConfigurationError("DEALROOM_SQLITE_SYNCHRONOUS must be FULL, NORMAL or EXTRA")
    if settings.team_reserved_connections >= settings.max_connections_per_room:
        raise ConfigurationError(
            f"DEALROOM_TEAM_RESERVED_CONNECTIONS ({settings.team_reserved_connections}) must be below "
            f"DEALROOM_MAX_CONNECTIONS_PER_ROOM ({settings.max_connections_per_room}), or customers could never join"
        )
    if settings.oidc_issuer and not (settings.oidc_client_id and settings.oidc_client_secret):
        raise ConfigurationError("DEALROOM_OIDC_ISSUER needs DEALROOM_OIDC_CLIENT_ID and DEALROOM_OIDC_CLIENT_SECRET")
    if settings.oidc_issuer and not _https_or_loopback(settings.oidc_issuer):
        raise ConfigurationError("DEALROOM_OIDC_ISSUER must be an https:// URL (plain http only on this machine)")
    return settings


def _https_or_loopback(url: str) -> bool:
    """Tokens and keys come from the issuer: over the network only with TLS."""
    parts = urlsplit(url)
    return parts.scheme == "https" or (parts.scheme == "http" and parts.hostname in {"127.0.0.1", "localhost", "::1"})


def with_secret_key(settings: Settings, key_file: Path = Path("var/secret_key")) -> Settings:
    """Settings with a secret key: the configured one, else one generated once and kept in
    `key_file` (readable by the owner only), so that a restart does not sign everyone out."""
    if settings.secret_key:
        return settings
    if key_file.is_file():
        key = key_file.read_text().strip()
    else:
        key_file.parent.mkdir(parents=True, exist_ok=True)
        key = secrets.token_urlsafe(32)
        fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as out:
            out.write(key)
    return replace(settings, secret_key=key)
