"""HTTP routes of single sign-on (OpenID Connect): whether it is set up, the browser's trip to the identity
provider and back, signing out there too, and the admins' "required for internal people" policy.

A sign-in's state, nonce and PKCE verifier stay in the database (`sso_logins`), each state good for one
callback within ten minutes; the browser that started it also holds the state in a short-lived HttpOnly
cookie, so a callback link cannot sign someone else's browser in (login CSRF).
"""

from __future__ import annotations

import hmac
import logging
import re
from datetime import timedelta
from typing import Any

from sqlalchemy import delete, update
from sqlalchemy.orm import Session
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from workspace.auth import sso_policy
from workspace.auth.models import BrowserSession, UserRole
from workspace.auth.oidc import OidcClient, RelyingParty
from workspace.auth.principal import open_session
from workspace.auth.routes import set_session_cookies
from workspace.auth.routes import sign_out as end_session
from workspace.auth.secrets import digest
from workspace.auth.sso_accounts import user_for_claims
from workspace.auth.sso_errors import SsoError
from workspace.auth.sso_models import SsoLogin, SsoSession
from workspace.auth.throttle import Throttle
from workspace.errors import Conflict, InvalidInput, PermissionDenied, RateLimited
from workspace.storage.base import utcnow
from workspace.web import caller, field, in_db, json_body, services

log = logging.getLogger(__name__)

STATE_COOKIE = "dealroom_sso_state"
# Time to type a password and a second factor at the provider; a stolen callback link is dead soon after.
LOGIN_SECONDS = 600
# An office behind one address signs in together in the morning; a script starting sign-ins in a loop does not
# get far past the burst.
STARTS_BURST = 60
STARTS_PER_SECOND = 1.0
# Where a sign-in may lead afterwards: a path of this site only (no "//host", no backslash, no spaces or
# control characters, which browsers drop and would turn "/\t/evil" into "//evil").
_SAFE_NEXT = re.compile(r"/(?!/)[!-\[\]-~]*")


def safe_next(value: str | None) -> str:
    return value if value and len(value) <= 2000 and _SAFE_NEXT.fullmatch(value) else "/"


def oidc_client(request: Request) -> OidcClient | None:
    """The app's client of the identity provider (made on first use; it caches metadata and keys)."""
    state = request.app.state
    client: OidcClient | None = getattr(state, "oidc_client", None)
    if client is None:
        rp = RelyingParty.from_settings(services(request).settings)
        if rp is None:
            return None
        client = state.oidc_client = OidcClient(rp)
    return client


def _required_client(request: Request) -> OidcClient:
    client = oidc_client(request)
    if client is None:
        raise SsoError("not_configured")
    return client


def _starts(request: Request) -> Throttle:
    """Sign-ins started per address: each one stores a row for ten minutes, so a loop must not fill the table."""
    state = request.app.state
    throttle: Throttle | None = getattr(state, "sso_starts", None)
    if throttle is None:
        throttle = state.sso_starts = Throttle(rate=STARTS_PER_SECOND, burst=STARTS_BURST)
    return throttle


def _back_to_signin(error: SsoError) -> Response:
    # A token that does not verify may be an attack; the other reasons are people's everyday mishaps.
    level = logging.WARNING if error.reason == "token" else logging.INFO
    log.log(level, "single sign-on did not sign in: %s (%s)", error.reason, error.detail)
    response = RedirectResponse(f"/signin?sso_error={error.reason}", status_code=303)
    response.delete_cookie(STATE_COOKIE, path="/api/sso")
    return response


async def status(request: Request) -> Response:
    """Public: whether the sign-in page offers single sign-on, and whether staff must use it."""
    configured = oidc_client(request) is not None
    required = configured and await in_db(request, sso_policy.required_for_internal)
    return JSONResponse({"configured": configured, "required_for_internal": required,
                         "login_url": "/api/sso/login" if configured else None})  # fmt: skip


async def login(request: Request) -> Response:
    """Send the browser to the identity provider (authorization code flow with PKCE, state and nonce)."""
    address = request.client.host if request.client else "unknown"
    try:
        _starts(request).check(address)
        start = await _required_client(request).authorization_request()
    except RateLimited:
        return _back_to_signin(SsoError("busy", f"too many sign-ins started from {address}"))
    except SsoError as error:
        return _back_to_signin(error)
    next_path = safe_next(request.query_params.get("next"))

    def work(db: Session) -> None:
        now = utcnow()
        db.execute(delete(SsoLogin).where(SsoLogin.expires_at < now))
        expires = now + timedelta(seconds=LOGIN_SECONDS)
        db.add(SsoLogin(state_hash=digest(start.state), nonce=start.nonce, code_verifier=start.code_verifier,
                        next_path=next_path, created_at=now, expires_at=expires))  # fmt: skip

    await in_db(request, work)
    response = RedirectResponse(start.url, status_code=303)
    response.set_cookie(STATE_COOKIE, start.state, max_age=LOGIN_SECONDS, path="/api/sso", httponly=True,
                        secure=services(request).settings.cookie_secure, samesite="lax")  # fmt: skip
    return response


def _consume(db: Session, state: str) -> tuple[str, str, str]:
    """Use a sign-in's state once: (nonce, code verifier, next path), or SsoError("state") saying why not."""
    now = utcnow()
    key = digest(state)
    taken = db.execute(update(SsoLogin)
                       .where(SsoLogin.state_hash == key, SsoLogin.used_at.is_(None), SsoLogin.expires_at > now)
                       .values(used_at=now))  # fmt: skip
    row = db.get(SsoLogin, key)
    if row is None:
        raise SsoError("state", "no sign-in was started with this state")
    if taken.rowcount != 1:  # type: ignore[attr-defined]
        if row.used_at is not None:
            raise SsoError("state", "this sign-in's state was already used (a replayed callback)")
        raise SsoError("state", "this sign-in took longer than its state lasts")
    return row.nonce, row.code_verifier, row.next_path


async def _complete(request: Request) -> Response:
    client = _required_client(request)
    params = request.query_params
    state = params.get("state") or ""
    cookie = request.cookies.get(STATE_COOKIE) or ""
    if not state or not hmac.compare_digest(state.encode(), cookie.encode()):
        raise SsoError("state", "the callback's state is not the one this browser started with")
    nonce, verifier, next_path = await in_db(request, lambda db: _consume(db, state))
    issued_by = params.get("iss")  # RFC 9207: a provider that names itself must be ours (mix-up attacks)
    if issued_by is not None and issued_by.rstrip("/") != client.rp.issuer:
        raise SsoError("provider_error", f"the callback names the issuer {issued_by!r}, not {client.rp.issuer!r}")
    if params.get("error"):
        reason = "cancelled" if params["error"] in {"access_denied", "login_required"} else "provider_error"
        raise SsoError(reason, f"the identity provider answered {params['error']}: {params.get('error_description')}")
    code = params.get("code")
    if not code:
        raise SsoError("provider_error", "the identity provider's callback has no authorization code")
    tokens = await client.exchange(code, verifier)
    id_token: str = tokens["id_token"]
    claims = await client.verify(id_token, nonce, tokens.get("access_token"))
    days = services(request).settings.session_days
    role_claim = client.rp.role_claim

    def work(db: Session) -> BrowserSession:
        user = user_for_claims(db, claims, role_claim)
        session = open_session(db, user, days)
        db.flush()
        db.add(SsoSession(session_id=session.id, subject=str(claims["sub"])[:255], id_token=id_token))
        return session

    session = await in_db(request, work)
    response = RedirectResponse(next_path, status_code=303)
    set_session_cookies(request, response, session)
    response.delete_cookie(STATE_COOKIE, path="/api/sso")
    return response


async def callback(request: Request) -> Response:
    """The identity provider sends the browser back here; a refusal goes to /signin?sso_error=REASON."""
    try:
        return await _complete(request)
    except SsoError as error:
        return _back_to_signin(error)


async def logout(request: Request) -> Response:
    """End the caller's session like DELETE /api/session; after a single sign-on session also answer where
    the browser signs out at the identity provider (its end_session_endpoint), else null."""
    principal = await caller(request)
    session_id = principal.session_id

    def id_token(db: Session) -> str | None:
        row = db.get(SsoSession, session_id) if session_id else None
        return row.id_token if row is not None else None

    hint = await in_db(request, id_token)
    ended = await end_session(request)
    client = oidc_client(request)
    url = await client.logout_url(hint) if client is not None and hint is not None else None
    response = JSONResponse({"logout_url": url})
    # The same cookie clearing as DELETE /api/session.
    response.raw_headers.extend(header for header in ended.raw_headers if header[0] == b"set-cookie")
    return response


def _policy_view(request: Request, db: Session) -> dict[str, Any]:
    row = sso_policy.policy(db)
    settings = services(request).settings
    return {
        "configured": sso_policy.sso_configured(settings),
        "issuer": settings.oidc_issuer,
        "required_for_internal": bool(row and row.required_for_internal),
        "updated_at": row.updated_at.isoformat() if row else None,
        "updated_by": row.updated_by if row else None,
    }


async def _admin(request: Request) -> int:
    principal = await caller(request)
    if principal.role is not UserRole.ADMIN:
        raise PermissionDenied("only admins manage single sign-on")
    return principal.user_id


async def get_settings(request: Request) -> Response:
    await _admin(request)
    return JSONResponse(await in_db(request, lambda db: _policy_view(request, db)))


async def put_settings(request: Request) -> Response:
    """`{"required_for_internal": bool}`: whether internal people must sign in with single sign-on (audited)."""
    actor = await _admin(request)
    data = await json_body(request)
    unknown = set(data) - {"required_for_internal"}
    if unknown:
        raise InvalidInput(f"unknown field(s): {', '.join(sorted(unknown))}")
    required = field(data, "required_for_internal", bool)
    if required and not sso_policy.sso_configured(services(request).settings):
        raise Conflict("set up an identity provider (DEALROOM_OIDC_ISSUER, its client) before requiring single sign-on")

    def work(db: Session) -> dict[str, Any]:
        sso_policy.set_required_for_internal(db, required, actor)
        return _policy_view(request, db)

    return JSONResponse(await in_db(request, work))


routes = [
    Route("/api/sso", status, methods=["GET"]),
    Route("/api/sso/login", login, methods=["GET"]),
    Route("/api/sso/callback", callback, methods=["GET"]),
    Route("/api/sso/logout", logout, methods=["POST"]),
    Route("/api/sso/settings", get_settings, methods=["GET"]),
    Route("/api/sso/settings", put_settings, methods=["PUT"]),
]
