"""HTTP routes: sign-in, sign-out, the caller, personal API tokens."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from workspace.audit import chain as audit
from workspace.auth import passwords, sso_policy
from workspace.auth.models import ApiToken, BrowserSession, User
from workspace.auth.principal import CSRF_COOKIE, SESSION_COOKIE, open_session
from workspace.auth.secrets import digest, new_token
from workspace.auth.signin_guard import DEVICE_COOKIE, DEVICE_DAYS
from workspace.errors import NotFound, NotSignedIn
from workspace.ids import path_id
from workspace.storage.base import utcnow
from workspace.sync import closecodes
from workspace.web import caller, field, in_db, json_body, services


def set_session_cookies(request: Request, response: Response, session: BrowserSession) -> None:
    svc = services(request)
    max_age = svc.settings.session_days * 86400
    secure = svc.settings.cookie_secure
    response.set_cookie(
        SESSION_COOKIE, svc.cookies.sign(session.id), max_age=max_age, httponly=True, secure=secure, samesite="lax"
    )
    # Readable by the page's script on purpose: it echoes it in X-CSRF-Token (double submit).
    response.set_cookie(CSRF_COOKIE, session.csrf_token, max_age=max_age, httponly=False, secure=secure, samesite="lax")


async def sign_in(request: Request) -> Response:
    data = await json_body(request)
    email = field(data, "email", str, max_length=320).lower()
    password = field(data, "password", str, max_length=passwords.MAX_LENGTH, strip=False)
    address = request.client.host if request.client else "unknown"
    svc = services(request)
    guard = svc.signin
    assert guard is not None
    guard.before(email, address, request.cookies.get(DEVICE_COOKIE))
    days = svc.settings.session_days

    def work(db: Session) -> tuple[dict[str, object], BrowserSession]:
        user = db.execute(select(User).where(func.lower(User.email) == email)).scalar_one_or_none()
        valid = passwords.verify(user.password_hash if user else None, password)
        if user is None or not valid or not user.is_active:
            raise NotSignedIn("wrong email or password")
        sso_policy.check_password_sign_in(db, user, svc.settings)  # 403 for staff while admins require SSO
        session = open_session(db, user, days)
        return user.public(), session

    try:
        user, session = await in_db(request, work)
    except NotSignedIn:
        guard.failed(email, address)
        raise
    response = JSONResponse({"user": user})
    set_session_cookies(request, response, session)
    # This browser is now known for this account: an attack on the account from elsewhere does not lock it out.
    response.set_cookie(DEVICE_COOKIE, guard.device_cookie(email), max_age=DEVICE_DAYS * 86400, httponly=True,
                        secure=svc.settings.cookie_secure, samesite="lax")  # fmt: skip
    return response


async def sign_out(request: Request) -> Response:
    principal = await caller(request)
    if principal.session_id is not None:
        session_id = principal.session_id

        def work(db: Session) -> None:
            session = db.get(BrowserSession, session_id)
            if session is not None:
                session.revoked_at = utcnow()

        await in_db(request, work)
        services(request).close_sockets("session_id", session_id, closecodes.UNAUTHENTICATED, "signed out")
    response = Response(status_code=204)
    response.delete_cookie(SESSION_COOKIE)
    response.delete_cookie(CSRF_COOKIE)
    return response


async def me(request: Request) -> Response:
    principal = await caller(request)
    return JSONResponse(principal.public())


async def create_token(request: Request) -> Response:
    principal = await caller(request)
    data = await json_body(request)
    name = field(data, "name", str)
    token = new_token("drt")

    def work(db: Session) -> dict[str, object]:
        row = ApiToken(user_id=principal.user_id, name=name, token_hash=digest(token))
        db.add(row)
        db.flush()
        audit.append(db, "token.created", actor_id=principal.user_id, room_id=None, at=utcnow(),
                     data={"token_id": row.id, "name": name})  # fmt: skip
        return {"id": row.id, "name": name, "token": token}

    return JSONResponse(await in_db(request, work), status_code=201)


async def list_tokens(request: Request) -> Response:
    principal = await caller(request)

    def work(db: Session) -> list[dict[str, object]]:
        rows = db.execute(select(ApiToken).where(ApiToken.user_id == principal.user_id).order_by(ApiToken.id))
        return [_token_view(row) for row in rows.scalars()]

    return JSONResponse({"tokens": await in_db(request, work)})


async def revoke_token(request: Request) -> Response:
    principal = await caller(request)
    token_id = path_id(request, "token_id", "token")

    def work(db: Session) -> None:
        row = db.get(ApiToken, token_id)
        if row is None or row.user_id != principal.user_id:
            raise NotFound("no such token")
        if row.revoked_at is None:
            row.revoked_at = utcnow()
            audit.append(db, "token.revoked", actor_id=principal.user_id, room_id=None, at=row.revoked_at,
                         data={"token_id": row.id, "name": row.name})  # fmt: skip

    await in_db(request, work)
    # A revoked token's open websockets close at once, not at their next reconnect.
    services(request).close_sockets("token_id", token_id, closecodes.UNAUTHENTICATED, "this API token was revoked")
    return Response(status_code=204)


def _token_view(row: ApiToken) -> dict[str, object]:
    return {
        "id": row.id,
        "name": row.name,
        "created_at": row.created_at.isoformat(),
        "last_used_at": row.last_used_at.isoformat() if row.last_used_at else None,
        "revoked": row.revoked_at is not None,
    }


routes = [
    Route("/api/session", sign_in, methods=["POST"]),
    Route("/api/session", sign_out, methods=["DELETE"]),
    Route("/api/me", me, methods=["GET"]),
    Route("/api/tokens", create_token, methods=["POST"]),
    Route("/api/tokens", list_tokens, methods=["GET"]),
    Route("/api/tokens/{token_id:int}", revoke_token, methods=["DELETE"]),
]
