"""Helpers shared by every HTTP route: the app's services, JSON bodies, the caller, the database."""

from __future__ import annotations

import hmac
import json
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool
from starlette.requests import HTTPConnection, Request

from workspace.auth.principal import CSRF_COOKIE, CSRF_HEADER, SESSION_COOKIE, Principal, authenticate
from workspace.errors import CsrfFailed, InvalidInput, NotSignedIn, PermissionDenied, TooLarge
from workspace.json_checks import MAX_JSON_DEPTH, check_json

if TYPE_CHECKING:
    from workspace.services import Services

T = TypeVar("T")

# JSON bodies of this API are small; a price book upload has its own limit.
MAX_JSON_BYTES = 256 * 1024
_SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


def services(conn: HTTPConnection) -> Services:
    return conn.app.state.services  # type: ignore[no-any-return]


async def in_db(conn: HTTPConnection, work: Callable[[Session], T]) -> T:
    """Run `work` in a worker thread inside one transaction (committed if it returns)."""
    maker = services(conn).sessions

    def run() -> T:
        with maker.begin() as db:
            return work(db)

    return await run_in_threadpool(run)


async def read_body(request: Request, limit: int) -> bytes:
    """The raw request body, refused (413) as soon as it grows past `limit` bytes."""
    body = b""
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            raise TooLarge(f"request body exceeds the limit of {limit} bytes")
    return body


async def json_body(request: Request, limit: int = MAX_JSON_BYTES) -> dict[str, Any]:
    # Only JSON: a cross-site HTML form can send text/plain or form data without a CORS preflight,
    # but not application/json. This closes login CSRF on the endpoints that need no CSRF token.
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type != "application/json":
        raise InvalidInput("send the request body as JSON with 'Content-Type: application/json'")
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise TooLarge(f"request body of {declared} bytes exceeds the limit of {limit} bytes")
    body = await read_body(request, limit)
    try:
        data = json.loads(body or b"null")
    except RecursionError as exc:  # Python's parser gives up on a few thousand levels
        raise InvalidInput(f"the request body nests deeper than {MAX_JSON_DEPTH} levels") from exc
    except ValueError as exc:
        raise InvalidInput("the request body is not valid JSON") from exc
    if not isinstance(data, dict):
        raise InvalidInput("the request body must be a JSON object")
    check_json(data)
    return data


def field(
    data: dict[str, Any], name: str, kind: type[T], *, max_length: int = 200, required: bool = True, strip: bool = True
) -> T:
    """A typed field of a JSON body; strings are trimmed (passwords pass `strip=False`) and must not be blank."""
    value = data.get(name)
    if value is None:
        if required:
            raise InvalidInput(f"'{name}' is required")
        return None  # type: ignore[return-value]
    if kind is bool and not isinstance(value, bool):
        raise InvalidInput(f"'{name}' must be true or false")
    if not isinstance(value, kind):
        raise InvalidInput(f"'{name}' must be a {kind.__name__}")
    if isinstance(value, str):
        text = value.strip() if strip else value
        if not text.strip():
            raise InvalidInput(f"'{name}' must not be empty")
        if len(text) > max_length:
            raise InvalidInput(f"'{name}' may have at most {max_length} characters")
        return text  # type: ignore[return-value]
    return value


async def caller(conn: HTTPConnection, method: str | None = None) -> Principal:
    """The signed-in caller; enforce the double-submit CSRF check for cookie-authenticated writes."""
    svc = services(conn)
    authorization = conn.headers.get("authorization")
    cookie = conn.cookies.get(SESSION_COOKIE)
    principal = await in_db(conn, lambda db: authenticate(db, svc.cookies, authorization, cookie))
    if principal is None:
        raise NotSignedIn("sign in first")
    method = method or (conn.scope.get("method") or "GET")
    if principal.session_id is not None and method not in _SAFE_METHODS:
        header = conn.headers.get(CSRF_HEADER, "")
        cookie_token = conn.cookies.get(CSRF_COOKIE, "")
        expected = principal.csrf_token or ""
        if not (header and hmac.compare_digest(header, cookie_token) and hmac.compare_digest(header, expected)):
            raise CsrfFailed("missing or wrong X-CSRF-Token header")
    return principal


def require_internal(principal: Principal) -> None:
    if not principal.is_internal:
        raise PermissionDenied("only internal users may do this")
