"""The Starlette app: routes mounted from each package, services in the lifespan, errors mapped
to responses in one place."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.gzip import GZipMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Match, Route

from approvals import ApprovalError
from clauses.errors import ClauseError
from workspace import frontend, openapi, ops
from workspace.activity import routes as activity_routes
from workspace.approval_policy import delegations as approval_delegations
from workspace.approval_policy import drafts as approval_drafts
from workspace.approval_policy import request_routes as approval_request_routes
from workspace.approval_policy import routes as approval_policy_routes
from workspace.audit import routes as audit_routes
from workspace.audit.security import SecurityEvents
from workspace.auth import colleagues as colleague_routes
from workspace.auth import people as people_routes
from workspace.auth import routes as auth_routes
from workspace.auth import sso_routes
from workspace.clause_library import routes as clause_routes
from workspace.cluster.routing import RoomRouting
from workspace.enablement import routes as enablement_routes
from workspace.errors import DealroomError
from workspace.exports import routes as export_routes
from workspace.insights import routes as insight_routes
from workspace.pipeline import routes as pipeline_routes
from workspace.pricebook import routes as pricebook_routes
from workspace.proposals import routes as proposal_routes
from workspace.record import routes as record_routes
from workspace.rooms import routes as room_routes
from workspace.security_headers import SecurityHeaders
from workspace.services import Services
from workspace.settings import Settings, load_settings
from workspace.sync import closecodes
from workspace.sync import endpoint as sync_endpoint
from workspace.templates import routes as template_routes
from workspace.threads import routes as thread_routes

log = logging.getLogger(__name__)


async def _refused(request: Request, status: int, code: str, detail: str) -> None:
    events: SecurityEvents | None = getattr(request.app.state, "security", None)  # set in the lifespan
    if events is not None:
        await events.observe(request, status, code, detail)


async def _dealroom_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, DealroomError)
    await _refused(request, exc.status, exc.code, exc.detail)
    # 503s (a room changing worker, Redis unreachable) clear in a moment: say when to retry.
    headers = {"Retry-After": "1"} if exc.status == 503 else None
    return JSONResponse(exc.body(), status_code=exc.status, headers=headers)


async def _approval_error(request: Request, exc: Exception) -> Response:
    # The approvals core knows no HTTP; its errors carry the code and status to answer with.
    assert isinstance(exc, ApprovalError)
    await _refused(request, exc.status, exc.code, str(exc))
    return JSONResponse({"error": exc.code, "detail": str(exc)}, status_code=exc.status)


async def _clause_error(request: Request, exc: Exception) -> Response:
    # Like the approvals core: the clauses core carries its code and status; invalid data lists every problem.
    assert isinstance(exc, ClauseError)
    body: dict[str, object] = {"error": exc.code, "detail": str(exc)}
    problems = getattr(exc, "errors", None)
    if problems is not None:
        body["errors"] = problems
    return JSONResponse(body, status_code=exc.status)


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    codes = {404: "not_found", 405: "method_not_allowed"}
    headers = dict(exc.headers or {})
    if exc.status_code == 405:
        # RFC 9110: a 405 names the path's methods; Starlette's names only those of the route it matched first
        # (one route per method here), so add those of the other routes with the same path.
        routes = [r for r in request.app.routes if isinstance(r, Route)]
        first = next((r for r in routes if r.matches(request.scope)[0] is Match.PARTIAL), None)
        if first is not None:
            methods = {method for r in routes if r.path == first.path for method in r.methods or ()}
            headers["Allow"] = ", ".join(sorted(methods))
    return JSONResponse(
        {"error": codes.get(exc.status_code, "http_error"), "detail": exc.detail},
        status_code=exc.status_code,
        headers=headers,
    )


async def _unexpected(request: Request, exc: Exception) -> Response:
    log.exception("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    return JSONResponse({"error": "internal", "detail": "the server failed; it has been logged"}, status_code=500)


def create_app(settings: Settings | None = None) -> Starlette:
    settings = settings or load_settings()

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        services = Services.create(settings)
        app.state.services = services
        if services.cluster is not None:
            services.cluster.relay.app = app  # the owner of a room serves what gateways relay through the app
        app.state.security = SecurityEvents(services.registry)
        await services.start()
        try:
            yield
        finally:
            if services.cluster is not None:
                await services.cluster.leave()
            services.close_connections(lambda c: True, closecodes.GOING_AWAY, "the server is restarting")
            await services.stop()

    routes = [
        *ops.routes,
        *auth_routes.routes,
        *sso_routes.routes,
        *people_routes.routes,
        *colleague_routes.routes,
        *audit_routes.routes,
        *room_routes.routes,
        *template_routes.routes,
        *pricebook_routes.routes,
        *pipeline_routes.routes,
        *approval_policy_routes.routes,
        *approval_drafts.routes,
        *approval_request_routes.routes,
        *approval_delegations.routes,
        *clause_routes.routes,
        *enablement_routes.routes,
        *export_routes.routes,
        *proposal_routes.routes,
        *thread_routes.routes,
        *record_routes.routes,
        *activity_routes.routes,
        *insight_routes.routes,
        *sync_endpoint.routes,
        *openapi.routes,
        *frontend.routes(),
    ]
    return Starlette(
        routes=routes,
        # Compress what the browser downloads (the app's scripts shrink to a third); websockets
        # are not touched by this middleware.
        # A room's traffic goes to the worker holding the room (several workers only; see workspace/cluster/).
        middleware=[
            Middleware(RoomRouting),
            Middleware(SecurityHeaders),
            Middleware(GZipMiddleware, minimum_size=1024),
        ],
        lifespan=lifespan,
        exception_handlers={
            DealroomError: _dealroom_error,
            ApprovalError: _approval_error,
            ClauseError: _clause_error,
            HTTPException: _http_error,
            Exception: _unexpected,
        },
    )
