"""Operations endpoints: liveness, readiness, Prometheus metrics."""

from __future__ import annotations

import hmac

from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from sqlalchemy import text
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from workspace.errors import NotFound, NotSignedIn
from workspace.web import services


async def healthz(request: Request) -> Response:
    return JSONResponse({"status": "ok"})


async def readyz(request: Request) -> Response:
    svc = services(request)

    def ping() -> None:
        with svc.engine.connect() as conn:
            conn.execute(text("SELECT 1"))

    try:
        await run_in_threadpool(ping)
    except Exception as exc:  # any failure to answer means "not ready", with the reason
        body = {"error": "not_ready", "detail": "the database does not answer", "database": str(exc)[:200]}
        return JSONResponse({"status": "unavailable", **body}, status_code=503)
    if svc.cluster is not None and not svc.cluster.link.up:
        body = {"error": "not_ready", "detail": "Redis does not answer: this worker cannot hold or relay rooms"}
        return JSONResponse({"status": "unavailable", "database": "ok", "redis": "down", **body}, status_code=503)
    if svc.cluster is not None:
        return JSONResponse({"status": "ready", "database": "ok", "redis": "ok"})
    return JSONResponse({"status": "ready", "database": "ok"})


async def metrics(request: Request) -> Response:
    """Prometheus text, for a scraper with the metrics token, or anyone when metrics are public."""
    settings = services(request).settings
    if not settings.metrics_public:
        if not settings.metrics_token:
            raise NotFound("metrics are off: set DEALROOM_METRICS_TOKEN (or DEALROOM_METRICS_PUBLIC=true)")
        scheme, _, given = request.headers.get("authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not hmac.compare_digest(given.strip(), settings.metrics_token):
            raise NotSignedIn("send the metrics token as 'Authorization: Bearer <token>'")
    return Response(generate_latest(services(request).registry), media_type=CONTENT_TYPE_LATEST)


routes = [
    Route("/healthz", healthz, methods=["GET"]),
    Route("/readyz", readyz, methods=["GET"]),
    Route("/metrics", metrics, methods=["GET"]),
]
