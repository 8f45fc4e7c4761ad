"""The uvicorn configuration shared by `dealroom serve` and the test servers."""

from __future__ import annotations

import uvicorn
from starlette.types import ASGIApp

from workspace.settings import Settings


def uvicorn_config(app: ASGIApp, settings: Settings, host: str, port: int, log_level: str = "info") -> uvicorn.Config:
    return uvicorn.Config(
        app,
        host=host,
        port=port,
        # Frames a little over our own limit reach the app, which refuses them with a readable
        # reason; anything larger is cut off by the protocol layer (close code 1009).
        ws_max_size=settings.max_message_bytes + 1024,
        ws_ping_interval=20,
        ws_ping_timeout=20,
        log_level=log_level,
        proxy_headers=True,
        timeout_graceful_shutdown=5,
    )
