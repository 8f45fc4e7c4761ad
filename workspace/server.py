"""The uvicorn configuration shared by `dealroom serve` and the test servers."""

from __future__ import annotations

from typing import Any

import uvicorn
from starlette.types import ASGIApp

from workspace.settings import Settings

FRAME_LIMIT_FACTOR = 8


def uvicorn_config(
    app: ASGIApp | str, settings: Settings, host: str, port: int, log_level: str = "info", **options: Any
) -> uvicorn.Config:
    return uvicorn.Config(
        app,
        host=host,
        port=port,
        # Frames up to 8x our own limit reach the app, which refuses them with 4413 and a readable
        # reason (a pasted document a little too big should say so); a frame larger than that is cut
        # off by the protocol layer (1009) before it costs more memory.
        ws_max_size=settings.max_message_bytes * FRAME_LIMIT_FACTOR,
        ws_ping_interval=20,
        ws_ping_timeout=20,
        log_level=log_level,
        proxy_headers=True,
        timeout_graceful_shutdown=5,
        **options,
    )
